package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job array for real: a one-node Slurm cluster on localhost ({@link LocalSlurm}) runs an experiment's array; the
 * merged summary must be the local run's, and after rows are lost, emitting again must submit exactly those rows.
 * Skipped where Slurm is not installed or cannot be started (not root); {@code .ci/run} installs it.
 */
class SlurmArrayTest {
    static final String EXPERIMENT = """
            name: array
            references: 20000
            warmup: 5000
            replications: 2
            modes: [nested, flat-nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 16MiB}}
            factors:
              pwc.entries: [8, 24]
            """;

    @Test
    void aJobArrayOnALocalClusterGivesTheLocalRunsSummaryAndReEmittingRunsOnlyWhatIsMissing(@TempDir Path tmp)
            throws Exception {
        String why = LocalSlurm.unavailable();
        Assumptions.assumeTrue(why == null, why);
        Path file = tmp.resolve("array.yaml");
        Files.writeString(file, EXPERIMENT);
        Path local = tmp.resolve("local");
        CliRun here = CliRun.of("run", file.toString(), "--out", local.toString(), "--jobs", "2");
        assertEquals(0, here.code(), here.err());

        Path dir = tmp.resolve("slurm-results");
        try (LocalSlurm slurm = LocalSlurm.start(Duration.ofSeconds(60))) {
            CliRun emitted = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", dir.toString(),
                    "--rows-per-task", "3", "--throttle", "2");
            assertEquals(0, emitted.code(), emitted.err());
            assertTrue(emitted.out().contains("8 rows to run (none stored yet)"), emitted.out());
            assertTrue(emitted.out().contains("3 tasks of up to 3 rows, at most 2 running at once (--array=0-2%2)"),
                    emitted.out());
            Path script = dir.resolve("slurm/array-1/sweep.sbatch");
            assertTrue(emitted.out().contains("sbatch " + script.toAbsolutePath()), emitted.out());

            String job = slurm.submit(script);
            Map<Integer, LocalSlurm.Task> tasks = slurm.await(job, Duration.ofSeconds(180));
            assertEquals(Map.of(0, "COMPLETED 0:0", 1, "COMPLETED 0:0", 2, "COMPLETED 0:0"), outcomes(tasks),
                    () -> logs(dir) + slurm.diagnostics());
            // The throttle: the third task starts only when one of the first two has ended.
            List<LocalSlurm.Task> byStart = tasks.values().stream()
                    .sorted(Comparator.comparing(LocalSlurm.Task::start)).toList();
            LocalDateTime firstEnd = byStart.get(0).end().isBefore(byStart.get(1).end()) ? byStart.get(0).end()
                    : byStart.get(1).end();
            assertTrue(!byStart.get(2).start().isBefore(firstEnd), tasks::toString);
            CliRun merged = CliRun.of("merge", dir.toString());
            assertEquals(0, merged.code(), merged.err());
            assertTrue(merged.out().contains("every row the experiment needs is stored"), merged.out());
            assertEquals(Files.readString(local.resolve("summary.csv")), Files.readString(dir.resolve("summary.csv")),
                    "the array's rows give the local run's summary");

            // Two rows are lost, as if the task running them had been killed: merge names them, and the next array
            // runs them and nothing else.
            String nested = firstConfiguration(dir, "nested-");
            String flat = firstConfiguration(dir, "flat-nested-");
            Files.delete(dir.resolve("runs").resolve(nested).resolve("r1.json"));
            Files.delete(dir.resolve("runs").resolve(flat).resolve("r0.json"));
            CliRun partial = CliRun.of("merge", dir.toString());
            assertTrue(partial.out().contains("2 rows missing (6 stored)"), partial.out());
            assertTrue(partial.out().contains(nested + "/r1  not run (array-1 task "), partial.out());
            assertTrue(partial.out().contains(flat + "/r0  not run (array-1 task "), partial.out());

            CliRun again = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", dir.toString(),
                    "--rows-per-task", "2");
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("2 rows to run (the others are stored)"), again.out());
            List<String> rows = Files.readAllLines(dir.resolve("slurm/array-2/rows.csv"));
            assertEquals("task,row,configuration,replication", rows.get(0));
            assertEquals(Set.of("0," + nested + "/r1," + nested + ",1", "0," + flat + "/r0," + flat + ",0"),
                    Set.copyOf(rows.subList(1, rows.size())), "one task of the two lost rows");
            String second = slurm.submit(dir.resolve("slurm/array-2/sweep.sbatch"));
            assertEquals(Map.of(0, "COMPLETED 0:0"), outcomes(slurm.await(second, Duration.ofSeconds(120))),
                    () -> logs(dir) + slurm.diagnostics());
            CliRun complete = CliRun.of("merge", dir.toString());
            assertTrue(complete.out().contains("every row the experiment needs is stored"), complete.out());
            assertEquals(Files.readString(local.resolve("summary.csv")), Files.readString(dir.resolve("summary.csv")));

            CliRun nothing = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", dir.toString());
            assertEquals(0, nothing.code(), nothing.err());
            assertTrue(nothing.out().contains("nothing to emit"), nothing.out());
            assertTrue(!Files.exists(dir.resolve("slurm/array-3")));
        }
    }

    private static Map<Integer, String> outcomes(Map<Integer, LocalSlurm.Task> tasks) {
        Map<Integer, String> m = new TreeMap<>();
        tasks.forEach((k, t) -> m.put(k, t.outcome()));
        return m;
    }

    private static String firstConfiguration(Path dir, String prefix) throws Exception {
        try (var s = Files.list(dir.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().findFirst()
                    .orElseThrow();
        }
    }

    /** The array tasks' output, for a failure's message. */
    private static String logs(Path dir) {
        StringBuilder b = new StringBuilder();
        try (var s = Files.walk(dir.resolve("slurm"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".out")).sorted().toList()) {
                b.append("--- ").append(f).append('\n').append(Files.readString(f));
            }
        } catch (Exception x) {
            b.append("(no task logs: ").append(x).append(")\n");
        }
        return b.toString();
    }
}
