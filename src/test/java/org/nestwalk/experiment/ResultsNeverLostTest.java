package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.SimulationException;
import org.nestwalk.sim.Simulation;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.walk.ModeKind;

/**
 * A replication that throws, or a disk that fills up, loses no finished row: the failure is reported with the row it
 * struck, a failed row is stored as failed with its error, and running the experiment again runs only what is
 * missing or failed. (A run killed outright is {@link InterruptedExperimentTest}.)
 */
class ResultsNeverLostTest {
    private static Manifest small() {
        String shorter = ExperimentRunTest.SMALL.replace("references: 30000", "references: 6000")
                .replace("warmup: 10000", "warmup: 2000").replace("64MiB", "8MiB");
        return Manifest.expand(ExperimentFile.parse(shorter, "small.yaml", "small", false));
    }

    /** Collects what the runner tells the user. */
    private static final class Messages implements ExperimentRunner.Listener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void progress(int done, int total, int failed, long elapsedNanos) {
        }

        @Override
        public void message(String text) {
            lines.add(text);
        }
    }

    @Test
    void aReplicationThatThrowsInsideAnEventIsStoredAsFailedAndTheSweepGoesOn(@TempDir Path dir) {
        Manifest m = small();
        Messages messages = new Messages();
        // Replication 1 of flat-nested runs a DSOL replication whose event at cycle 100 throws; the rest run as usual.
        ExperimentRunner.RowSimulator crashing = spec -> {
            if (spec.mode() == ModeKind.FLAT_NESTED && spec.replication() == 1) {
                ReplicationRunner.run(spec.label(), s -> s.schedule(100, () -> {
                    throw new IllegalStateException("boom at cycle " + s.now());
                }), 1, 60);
                throw new AssertionError("the replication should have failed");
            }
            return Simulation.run(spec);
        };
        ExperimentRunner.Outcome o = new ExperimentRunner(m, new RowStore(dir), 2, messages, crashing).run();
        assertEquals(8, o.ran());
        assertEquals(1, o.failed());

        Configuration flat = m.configurations().stream().filter(c -> c.mode() == ModeKind.FLAT_NESTED).findFirst()
                .orElseThrow();
        String said = String.join("\n", messages.lines);
        assertTrue(said.contains("flat-nested on gups, replication 1 (" + flat.id() + "/r1) failed: "
                + SimulationException.class.getName() + ": flat-nested/gups/r1: java.lang.IllegalStateException: "
                + "boom at cycle 100"), said);

        RowStore store = new RowStore(dir);
        RunRecord failed = store.read(flat.id(), 1).orElseThrow();
        assertEquals(RunRecord.FAILED, failed.status());
        assertTrue(failed.error().contains("IllegalStateException: boom at cycle 100"), failed.error());
        assertEquals("flat-nested", failed.mode());
        assertEquals("gups", failed.workload());
        assertEquals("8MiB", failed.parameters().get("workload.footprint"), "the row keeps its configuration");
        assertTrue(failed.metrics().isEmpty());
        for (Configuration c : m.configurations()) {
            for (int r = 0; r < 4; r++) {
                assertEquals(c != flat || r != 1, store.finished(c, r), c.id() + "/r" + r);
            }
        }

        ExperimentRunner.Outcome again = new ExperimentRunner(m, new RowStore(dir), 2, new Messages()).run();
        assertEquals(1, again.ran(), "only the failed row runs again");
        assertEquals(7, again.reused());
        assertEquals(0, again.failed());
        assertTrue(store.read(flat.id(), 1).orElseThrow().ok());
    }

    /**
     * Issue 17, defect 1: when the simulator's runtime cannot start (its class initializer failed, as DSOL's did for a
     * jar under a directory with a space), every row is stored as failed with its one-line error, rather than the
     * error escaping the runner with nothing stored.
     */
    @Test
    void aRuntimeThatCannotStartStoresEveryRowAsFailed(@TempDir Path dir) {
        Manifest m = small();
        Messages messages = new Messages();
        ExperimentRunner.RowSimulator broken = spec -> {
            throw new ExceptionInInitializerError(new IllegalArgumentException("Illegal character in path"));
        };
        ExperimentRunner.Outcome o = new ExperimentRunner(m, new RowStore(dir), 2, messages, broken).run();
        assertEquals(8, o.ran());
        assertEquals(8, o.failed());
        RowStore store = new RowStore(dir);
        for (Configuration c : m.configurations()) {
            for (int r = 0; r < 4; r++) {
                RunRecord row = store.read(c.id(), r).orElseThrow();
                assertEquals(RunRecord.FAILED, row.status());
                assertTrue(row.error().contains("ExceptionInInitializerError"), row.error());
                assertTrue(!row.error().contains("\n"), row.error());
            }
        }
        assertTrue(messages.lines.stream().allMatch(l -> !l.contains("\n")), String.join("\n", messages.lines));
    }

    @Test
    void aFullDiskStopsTheSweepAndEveryStoredRowSurvives(@TempDir Path dir) {
        Manifest m = small();
        AtomicInteger writes = new AtomicInteger();
        // The disk takes three rows, then refuses every write, as a full file system does.
        AtomicFiles.Writer fillsUp = (target, bytes) -> {
            if (writes.incrementAndGet() > 3) {
                throw new UncheckedIOException("cannot write " + target + ": No space left on device",
                        new java.io.IOException("No space left on device"));
            }
            AtomicFiles.write(target, bytes);
        };
        Messages messages = new Messages();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new ExperimentRunner(m, new RowStore(dir, fillsUp), 1, messages).run());
        assertTrue(e.getMessage().contains("No space left on device; the experiment stopped there: 3 rows were "
                + "stored in this invocation and every stored row is intact"), e.getMessage());
        assertEquals(4, writes.get(), "no row is started once a result could not be stored");
        assertTrue(String.join("\n", messages.lines).contains("cannot store nested on gups, replication 3"),
                String.join("\n", messages.lines));

        RowStore store = new RowStore(dir);
        List<RunRecord> kept = new ArrayList<>();
        m.configurations().forEach(c -> kept.addAll(store.rows(c)));
        assertEquals(3, kept.size());
        assertTrue(kept.stream().allMatch(r -> r.ok() && r.metric("cycles") > 0));

        ExperimentRunner.Outcome resumed = new ExperimentRunner(m, new RowStore(dir), 2, new Messages()).run();
        assertEquals(3, resumed.reused());
        assertEquals(5, resumed.ran());
        assertEquals(0, resumed.failed());
    }
}
