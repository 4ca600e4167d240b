package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.experiment.Manifest.Row;

/**
 * The rows a job array gets ({@link ReplicationTargets#due}) and how a task runs them
 * ({@link ExperimentRunner#run(List)}): adaptive replications round by round, one array per round, reaching the
 * rows a local run reaches; MSER-5 pilots made by the task that needs them.
 */
class ArrayRowsTest {
    private static final String ONE = """
            name: one
            references: 30000
            warmup: 10000
            replications: {min: 2, max: 4, until: {metric: cycles, halfWidth: 0.0001%}}
            modes: [nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 16MiB}}
            """;

    private static Manifest manifest(String text) {
        return Manifest.expand(ExperimentFile.parse(text, "one.yaml", "one", false));
    }

    @Test
    void adaptiveReplicationsComeOneRoundPerArrayAndEndWhereALocalRunEnds(@TempDir Path tmp) {
        Manifest m = manifest(ONE);
        RowStore local = new RowStore(tmp.resolve("local"));
        new ExperimentRunner(m, local, 2, ExperimentRunTest.QUIET).run();

        RowStore arrays = new RowStore(tmp.resolve("arrays"));
        List<Row> first = ReplicationTargets.due(m, arrays);
        assertEquals(List.of(0, 1), first.stream().map(Row::replication).toList(), "the first round: min");
        int rounds = 0;
        for (List<Row> due = first; !due.isEmpty(); due = ReplicationTargets.due(m, arrays)) {
            assertTrue(++rounds <= 4, "rounds end");
            ExperimentRunner.Outcome o = new ExperimentRunner(m, arrays, 2, ExperimentRunTest.QUIET).run(due);
            assertEquals(due.size(), o.ran());
            assertEquals(0, o.reused());
        }
        assertTrue(rounds >= 2, "an interval this narrow asks for a second round");
        Configuration c = m.configurations().get(0);
        assertEquals(replications(local, c), replications(arrays, c));
        assertEquals(Set.of(0, 1, 2, 3), replications(arrays, c), "the maximum, for an interval never narrow "
                + "enough");
    }

    @Test
    void aTaskMakesThePilotItsRowsNeedOnceAndRunsOnlyItsRows(@TempDir Path tmp) {
        Manifest m = manifest(ONE.replace("warmup: 10000", "warmup: {mser5: {pilot: 204800}}")
                .replaceAll("replications: .*", "replications: 3"));
        RowStore store = new RowStore(tmp);
        Configuration c = m.configurations().get(0);
        List<Row> mine = List.of(new Row(c, 0), new Row(c, 2));
        ExperimentRunner.Outcome o = new ExperimentRunner(m, store, 2, ExperimentRunTest.QUIET).run(mine);
        assertEquals(1, o.pilots());
        assertEquals(2, o.ran());
        long warm = store.readPilot(c.id()).orElseThrow().warmupReferences();
        assertEquals(Set.of(0, 2), replications(store, c));
        store.rows(c).forEach(r -> assertEquals(warm, r.warmup()));
        assertFalse(store.finished(c, 1));

        ExperimentRunner.Outcome again = new ExperimentRunner(m, store, 2, ExperimentRunTest.QUIET).run(mine);
        assertEquals(0, again.pilots());
        assertEquals(0, again.ran());
        assertEquals(2, again.reused());
    }

    private static Set<Integer> replications(RowStore store, Configuration c) {
        Set<Integer> s = new TreeSet<>();
        store.rows(c).stream().filter(RunRecord::ok).forEach(r -> s.add(r.replication()));
        return s;
    }
}
