package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.Main;

/**
 * Issue 17, defects 3 and 4: a stored row that is damaged ({@code null}, not a row), mislabelled (its replication or
 * configuration is not the one its path names) or impossible ({@code cycles: -5}) is reported in one line, left out
 * of every summary, and run again; merge and run never crash on it.
 */
class DamagedRowsTest {
    private static final String EXPERIMENT = """
            name: damaged
            references: 6000
            warmup: 2000
            replications: 4
            modes: [nested, flat-nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 8MiB}}
            """;

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the experiment into {@code out}; returns its manifest. */
    private static Manifest ran(Path tmp, Path out) throws Exception {
        Path file = tmp.resolve("damaged.yaml");
        Files.writeString(file, EXPERIMENT);
        Cli first = cli("run", file.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, first.code(), first.err());
        return Manifest.expand(new ResultsDirectory(out).load());
    }

    private static List<String> warnings(Cli c) {
        return c.err().lines().filter(l -> l.startsWith("nestwalk: warning: ")).toList();
    }

    /** Defect 3: a row file holding null crashed merge and run (NullPointerException, exit 70). */
    @Test
    void aRowFileHoldingNullIsAWarningAndRunsAgain(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Manifest m = ran(tmp, out);
        Configuration nested = m.configurations().get(0);
        RowStore store = new RowStore(out);
        Files.writeString(store.file(nested.id(), 1), "null");

        Cli merged = cli("merge", out.toString());
        assertEquals(0, merged.code(), merged.err());
        assertEquals(List.of("nestwalk: warning: " + store.file(nested.id(), 1) + ": holds no row (null); ignored, "
                + "the row will be run again"), warnings(merged));
        assertTrue(merged.out().contains("1 row missing (7 stored)"), merged.out());
        assertTrue(merged.out().contains(nested.id() + "/r1  damaged: holds no row (null)"), merged.out());

        Cli again = cli("run", tmp.resolve("damaged.yaml").toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("ran 1 run (0 failed), reused 7"), again.out());
        assertEquals(4, Analysis.of(m, new RowStore(out)).summary(nested.id()).n());
    }

    /**
     * Defect 4: an r3.json that says replication 7 was counted (n = 5 of 4 rows, while merge said every row was
     * stored); a row naming another configuration added a mislabelled line to runs.csv; cycles: -5 was accepted.
     */
    @Test
    void mislabelledAndImpossibleRowsAreNotCountedAndRunAgain(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Manifest m = ran(tmp, out);
        Configuration nested = m.configurations().get(0);
        Configuration flat = m.configurations().get(1);
        List<String> warned = new java.util.ArrayList<>();
        RowStore store = RowStore.reporting(out, warned::add);

        Path r3 = store.file(nested.id(), 3);
        Files.writeString(r3, Files.readString(r3).replaceFirst("\"replication\" : 3", "\"replication\" : 7"));
        Files.copy(store.file(nested.id(), 0), store.file(flat.id(), 0),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path negative = store.file(flat.id(), 2);
        Files.writeString(negative, Files.readString(negative).replaceFirst("\"cycles\" : [0-9.E]+",
                "\"cycles\" : -5"));

        Cli merged = cli("merge", out.toString());
        assertEquals(0, merged.code(), merged.err());
        assertEquals(3, warnings(merged).size(), "one line per damaged file: " + merged.err());
        assertTrue(merged.out().contains("3 rows missing (5 stored)"), merged.out());
        assertTrue(merged.out().contains(nested.id() + "/r3  damaged: says it is replication 7, but its name is "
                + "r3.json"), merged.out());
        assertTrue(merged.out().contains(flat.id() + "/r0  damaged: says it is a row of configuration '"
                + nested.id() + "', not of '" + flat.id() + "'"), merged.out());
        assertTrue(merged.out().contains(flat.id() + "/r2  damaged: has cycles = -5.0"), merged.out());

        Analysis a = Analysis.of(m, store);
        assertEquals(3, a.summary(nested.id()).n(), "r0 to r2 of nested count, not a replication 7");
        assertEquals(2, a.summary(flat.id()).n(), "only r1 and r3 of flat count");
        List<String> lines = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(6, lines.size(), "one line per usable row: " + lines);
        assertTrue(lines.stream().skip(1).allMatch(l -> l.contains(nested.id() + ",nested,")
                || l.contains(flat.id() + ",flat-nested,")), "no line names another configuration: " + lines);
        assertEquals(3, store.damaged().size(), store.damaged().toString());
        assertEquals(3, warned.size(), "each file reported once, however often it is read: " + warned);

        Cli again = cli("run", tmp.resolve("damaged.yaml").toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("ran 3 runs (0 failed), reused 5"), again.out());
        assertEquals(3, warnings(again).size(), again.err());
        Analysis whole = Analysis.of(m, RowStore.reporting(out, w -> {
            throw new AssertionError("no damaged row is left: " + w);
        }));
        assertEquals(4, whole.summary(nested.id()).n());
        assertEquals(4, whole.summary(flat.id()).n());
    }

    /** Defect 3: a pilot file holding null crashed run the same way. */
    @Test
    void aNullPilotIsRunAgain(@TempDir Path tmp) throws Exception {
        String mser = EXPERIMENT.replace("warmup: 2000", "warmup: {mser5: {pilot: 204800}}")
                .replace("replications: 4", "replications: 2");
        Path file = tmp.resolve("damaged.yaml");
        Files.writeString(file, mser);
        Path out = tmp.resolve("out");
        assertEquals(0, cli("run", file.toString(), "--out", out.toString()).code());
        Manifest m = Manifest.expand(new ResultsDirectory(out).load());
        Path pilot = out.resolve("pilots").resolve(m.configurations().get(0).id() + ".json");
        Files.writeString(pilot, "null");
        Files.delete(new RowStore(out).file(m.configurations().get(0).id(), 0));
        Cli again = cli("run", file.toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("ran 1 run (0 failed), reused 3, 1 pilot run"), again.out());
    }
}
