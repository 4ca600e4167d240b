package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.report.Json;

/**
 * Kills a running experiment (a separate JVM, killed without warning) and checks that every row it stored is whole
 * and that starting again runs exactly the rows that are missing.
 */
class InterruptedExperimentTest {
    private static final String EXPERIMENT = """
            name: killed
            references: 60000
            warmup: 20000
            replications: 6
            modes: [nested, flat-nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 64MiB}}
            """;

    @Test
    void killingARunMidwayLosesNoFinishedRow(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("killed.yaml");
        Files.writeString(file, EXPERIMENT);
        Path out = tmp.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.nestwalk.cli.Main", "run", file.toString(), "--out", out.toString(), "--jobs", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rows(out).size() < 2 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<Path> stored = rows(out);
        assertTrue(stored.size() >= 2, "rows stored before the kill: " + stored + "; log: "
                + Files.readString(tmp.resolve("log.txt")));
        assertTrue(stored.size() < 12, "the run was killed before it finished");
        for (Path f : stored) {
            RunRecord r = Json.mapper().readValue(f.toFile(), RunRecord.class);
            assertTrue(r.ok(), f + ": " + r.status());
            assertTrue(r.metric("cycles") > 0, f.toString());
        }

        Manifest m = Manifest.expand(ExperimentFile.read(file, false));
        ExperimentRunner.Outcome resumed = new ExperimentRunner(m, new RowStore(out), 2, ExperimentRunTest.QUIET)
                .run();
        assertEquals(stored.size(), resumed.reused());
        assertEquals(12 - stored.size(), resumed.ran());
        assertEquals(12, rows(out).size());
    }

    /** The row files present: named r<k>.json (a temporary file being written has another name). */
    private static List<Path> rows(Path out) throws Exception {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (var s = Files.walk(runs)) {
            return s.filter(f -> f.getFileName().toString().matches("r\\d+\\.json")).toList();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return List.of();
        }
    }
}
