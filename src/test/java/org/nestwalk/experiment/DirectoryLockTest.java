package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.Main;

/**
 * Issue 17, defect 9: two processes on one results directory each computed every row. A second run is now refused
 * at once while the first holds the directory; and defect 8: the temporary files a killed write leaves are removed
 * by the next run or merge that has the directory to itself.
 */
class DirectoryLockTest {
    private static final String LONG = """
            name: locked
            references: 60000
            warmup: 20000
            replications: 30
            modes: [nested, flat-nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 64MiB}}
            """;

    private static int cli(ByteArrayOutputStream err, String... args) {
        return Main.execute(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedWhileTheFirstRuns(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("locked.yaml");
        Files.writeString(file, LONG);
        Path out = tmp.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process first = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.nestwalk.cli.Main", "run", file.toString(), "--out", out.toString(), "--jobs", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (rows(out) < 1 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), "the first run is still running: " + Files.readString(tmp.resolve("log.txt")));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = cli(err, "run", file.toString(), "--out", out.toString(), "--jobs", "1");
            String said = err.toString(StandardCharsets.UTF_8).strip();
            assertEquals(2, code, said);
            assertEquals(1, said.lines().count(), said);
            assertTrue(said.startsWith("nestwalk: " + out + ": another nestwalk process is storing rows there "
                    + "(nestwalk run " + file + ", process " + first.pid() + ", since "), said);
            assertTrue(said.endsWith("; wait for it to end (the rows it stores are kept), or choose another --out"),
                    said);
            assertTrue(first.isAlive());
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // Killed, the first run holds nothing any more: the directory is free again.
        try (DirectoryLock l = DirectoryLock.exclusive(out, "test")) {
            assertTrue(l.held());
        }
    }

    @Test
    void withinOneProcessTheLockIsExclusiveToo(@TempDir Path tmp) {
        try (DirectoryLock l = DirectoryLock.exclusive(tmp, "test")) {
            assertTrue(l.held());
            assertTrue(DirectoryLock.tryExclusive(tmp, "other").isEmpty());
            org.nestwalk.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.nestwalk.config.ConfigException.class, () -> DirectoryLock.shared(tmp));
            assertTrue(e.getMessage().contains("(test, process " + ProcessHandle.current().pid()), e.getMessage());
        }
        try (DirectoryLock a = DirectoryLock.shared(tmp); DirectoryLock b = DirectoryLock.tryExclusive(tmp, "x")
                .orElse(null)) {
            assertTrue(a.held());
            assertEquals(null, b, "a shared holder keeps an exclusive one out");
        }
    }

    @Test
    void temporaryFilesOfKilledWritesAreRemovedByTheNextMerge(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("small.yaml");
        Files.writeString(file, LONG.replace("replications: 30", "replications: 2").replace("60000", "6000")
                .replace("20000", "2000").replace("64MiB", "8MiB"));
        Path out = tmp.resolve("out");
        assertEquals(0, cli(new ByteArrayOutputStream(), "run", file.toString(), "--out", out.toString()));
        Path row = firstRow(out);
        Path leftover = row.resolveSibling(".r0.json.5be2f3a19c0d7e41.tmp");
        Path plotLeftover = out.resolve("plots").resolve(".runtime.png.00ff.tmp");
        Files.writeString(leftover, "{\"half\": ");
        Files.writeString(plotLeftover, "");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, cli(err, "merge", out.toString()));
        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(plotLeftover));
        assertTrue(Files.exists(row), "the rows stay");
        assertEquals("nestwalk: removed 2 temporary files left in " + out + " by an interrupted run",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    private static Path firstRow(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out.resolve("runs"))) {
            return s.filter(f -> f.getFileName().toString().equals("r0.json")).findFirst().orElseThrow();
        }
    }

    private static int rows(Path out) throws Exception {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(runs)) {
            List<Path> l = s.filter(f -> f.getFileName().toString().matches("r\\d+\\.json")).toList();
            return l.size();
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }
}
