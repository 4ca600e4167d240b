package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void damagedMislabelledAndImpossibleRowsAreRunAgainNeverCounted(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("damaged.yaml");
        Files.writeString(file, EXPERIMENT);
        Path out = tmp.resolve("out");
        Cli first = cli("run", file.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, first.code(), first.err());
        Manifest m = Manifest.expand(new ResultsDirectory(out).load());
        Configuration nested = m.configurations().get(0);
        Configuration flat = m.configurations().get(1);
        List<String> warned = new java.util.ArrayList<>();
        RowStore store = RowStore.reporting(out, warned::add);
        Path runs = out.resolve("runs");

        // r1 of nested holds null; r3 of nested is a copy of r2 (it says replication 2); r0 of flat is nested's r0
        // (it names the other configuration); r2 of flat claims -5 cycles.
        Files.writeString(store.file(nested.id(), 1), "null");
        Files.copy(store.file(nested.id(), 2), store.file(nested.id(), 3),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(store.file(nested.id(), 0), store.file(flat.id(), 0),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path negative = store.file(flat.id(), 2);
        Files.writeString(negative, Files.readString(negative).replaceFirst("\"cycles\" : [0-9.E]+",
                "\"cycles\" : -5"));

        Cli merged = cli("merge", out.toString());
        assertEquals(0, merged.code(), merged.err());
        List<String> warnings = merged.err().lines().filter(l -> l.startsWith("nestwalk: warning: ")).toList();
        assertEquals(4, warnings.size(), "one line per damaged file: " + merged.err());
        assertTrue(warnings.contains("nestwalk: warning: " + store.file(nested.id(), 1) + ": holds no row (null); "
                + "ignored, the row will be run again"), warnings.toString());
        assertTrue(merged.out().contains("4 rows missing (4 stored)"), merged.out());
        assertTrue(merged.out().contains(nested.id() + "/r1  damaged: holds no row (null)"), merged.out());
        assertTrue(merged.out().contains(nested.id() + "/r3  damaged: says it is replication 2, but its name is "
                + "r3.json"), merged.out());
        assertTrue(merged.out().contains(flat.id() + "/r0  damaged: says it is a row of configuration '"
                + nested.id() + "', not of '" + flat.id() + "'"), merged.out());
        assertTrue(merged.out().contains(flat.id() + "/r2  damaged: has cycles = -5.0"), merged.out());

        Analysis a = Analysis.of(m, store);
        assertEquals(2, a.summary(nested.id()).n(), "only r0 and r2 of nested count");
        assertEquals(2, a.summary(flat.id()).n(), "only r1 and r3 of flat count");
        List<String> lines = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals(5, lines.size(), "one line per usable row, none mislabelled: " + lines);
        Map<Path, String> damaged = store.damaged();
        assertEquals(4, damaged.size(), damaged.toString());
        assertEquals(4, warned.size(), "each file reported once, however often it is read: " + warned);

        Cli again = cli("run", file.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("ran 4 runs (0 failed), reused 4"), again.out());
        assertTrue(again.err().lines().filter(l -> l.startsWith("nestwalk: warning: ")).count() == 4, again.err());
        Analysis whole = Analysis.of(m, RowStore.reporting(out, w -> {
            throw new AssertionError("no damaged row is left: " + w);
        }));
        assertEquals(4, whole.summary(nested.id()).n());
        assertEquals(4, whole.summary(flat.id()).n());
        assertTrue(Files.isDirectory(runs));
    }

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
