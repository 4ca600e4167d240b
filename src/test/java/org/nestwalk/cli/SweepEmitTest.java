package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.experiment.Manifest;
import org.nestwalk.experiment.ResultsDirectory;
import org.nestwalk.experiment.RowStore;
import org.nestwalk.experiment.RunRecord;
import org.nestwalk.report.Json;

/**
 * {@code sweep --emit slurm} without a cluster: the script and the rows file it writes, its tasks run by hand (as a
 * node would run them), what {@code merge} then lists as missing, and what a second emission holds.
 */
class SweepEmitTest {
    private static Path experiment(Path dir) throws IOException {
        Path file = dir.resolve("array.yaml");
        Files.writeString(file, SlurmArrayTest.EXPERIMENT);
        return file;
    }

    @Test
    void theScriptIsAJobArrayOfChunksWithAThrottleAndEveryRowIsInExactlyOneTask(@TempDir Path tmp)
            throws IOException {
        Path file = experiment(tmp);
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out.toString(), "--rows-per-task",
                "3", "--throttle", "2", "--cpus-per-task", "2", "--partition", "short", "--time", "0-00:30:00",
                "--mem", "2G", "--sbatch=--qos=debug", "--sbatch", "mail-type=NONE", "--java", "/opt/java 17/bin/java");
        assertEquals(0, r.code(), r.err());
        Path array = out.resolve("slurm/array-1").toAbsolutePath();
        String script = Files.readString(array.resolve("sweep.sbatch"));
        for (String line : new String[] {"#!/bin/bash", "#SBATCH --array=0-2%2", "#SBATCH --cpus-per-task=2",
                "#SBATCH --output=" + array + "/logs/%A_%a.out", "#SBATCH --partition=short",
                "#SBATCH --time=0-00:30:00", "#SBATCH --mem=2G", "#SBATCH --qos=debug", "#SBATCH --mail-type=NONE",
                "#SBATCH --job-name=nestwalk-array", "cd " + Path.of("").toAbsolutePath()}) {
            assertTrue(script.lines().anyMatch(l -> l.equals(line)), line + " in\n" + script);
        }
        // The #SBATCH lines come before the first command, or sbatch ignores them.
        List<String> lines = script.lines().toList();
        int lastDirective = 0;
        int firstCommand = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#SBATCH")) {
                lastDirective = i;
            } else if (!lines.get(i).startsWith("#") && firstCommand == lines.size()) {
                firstCommand = i;
            }
        }
        assertTrue(lastDirective < firstCommand, script);
        String exec = lines.get(lines.size() - 1);
        assertTrue(exec.startsWith("exec '/opt/java 17/bin/java' "), exec);
        assertTrue(exec.endsWith(" sweep --task \"$SLURM_ARRAY_TASK_ID\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" "
                + array), exec);
        assertTrue(Files.isDirectory(array.resolve("logs")), "Slurm does not make the log directory itself");

        List<String> rows = Files.readAllLines(array.resolve("rows.csv"));
        assertEquals("task,row,configuration,replication", rows.get(0));
        Manifest m = Manifest.expand(new ResultsDirectory(out).load());
        Set<String> expected = new HashSet<>();
        m.rows(2).forEach(x -> expected.add(x.label()));
        Set<String> listed = new HashSet<>();
        List<Integer> tasks = new ArrayList<>();
        for (String line : rows.subList(1, rows.size())) {
            String[] f = line.split(",");
            assertTrue(listed.add(f[1]), "once: " + f[1]);
            tasks.add(Integer.parseInt(f[0]));
        }
        assertEquals(expected, listed);
        assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2), tasks);
    }

    @Test
    void tasksRunByHandStoreTheirRowsMergeListsTheRestAndASecondArrayHoldsOnlyThose(@TempDir Path tmp)
            throws IOException {
        Path file = experiment(tmp);
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out.toString(),
                "--rows-per-task", "3").code());
        Path array = out.resolve("slurm/array-1");
        CliRun task = CliRun.of("sweep", "--task", "1", array.toString(), "--jobs", "2");
        assertEquals(0, task.code(), task.err());
        assertTrue(task.out().contains("ran 3 rows (0 failed), 0 already stored"), task.out());
        assertEquals(3, rowFiles(out).size());

        CliRun merged = CliRun.of("merge", out.toString());
        assertEquals(0, merged.code(), merged.err());
        assertTrue(merged.out().contains("5 rows missing (3 stored):"), merged.out());
        assertTrue(merged.out().contains("not run (array-1 task 0: " + out.toAbsolutePath()
                + "/slurm/array-1/logs/*_0.out)"), merged.out());
        assertTrue(merged.out().contains("to run them: nestwalk sweep --emit slurm " + file + " --out " + out),
                merged.out());
        assertFalse(merged.out().contains("task 1:"), "task 1's rows are stored: " + merged.out());

        // A row that failed is missing too, with its error.
        RowStore store = new RowStore(out);
        RunRecord ok = Json.mapper().readValue(rowFiles(out).get(0).toFile(), RunRecord.class);
        store.write(new RunRecord(ok.experiment(), ok.configuration(), ok.mode(), ok.workload(), ok.factors(),
                ok.replication(), ok.seed(), ok.references(), ok.warmup(), RunRecord.FAILED,
                "java.lang.IllegalStateException: a test's failure", ok.wallSeconds(), ok.version(),
                ok.build(), java.util.Map.of(), ok.parameters()));
        CliRun failed = CliRun.of("merge", out.toString());
        assertTrue(failed.out().contains(ok.configuration() + "/r" + ok.replication()
                + "  failed: java.lang.IllegalStateException: a test's failure"), failed.out());

        CliRun again = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("6 rows to run (the others are stored)"), again.out());
        assertTrue(again.out().contains("6 tasks of one row"), again.out());
        List<String> second = Files.readAllLines(out.resolve("slurm/array-2/rows.csv"));
        assertEquals(7, second.size());
        assertTrue(second.stream().anyMatch(l -> l.contains(ok.configuration() + "/r" + ok.replication())), second
                .toString());
        assertTrue(Files.exists(array.resolve("rows.csv")), "an earlier array is left as it was");
    }

    @Test
    void anArrayRunByHandGivesTheLocalRunsSummary(@TempDir Path tmp) throws IOException {
        Path file = experiment(tmp);
        Path local = tmp.resolve("local");
        assertEquals(0, CliRun.of("run", file.toString(), "--out", local.toString(), "--jobs", "2").code());
        Path out = tmp.resolve("out");
        assertEquals(0, CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out.toString(),
                "--rows-per-task", "4").code());
        for (int t = 0; t < 2; t++) {
            CliRun task = CliRun.of("sweep", "--task", Integer.toString(t), out.resolve("slurm/array-1").toString(),
                    "--jobs", "2");
            assertEquals(0, task.code(), task.err());
        }
        CliRun merged = CliRun.of("merge", out.toString());
        assertTrue(merged.out().contains("every row the experiment needs is stored"), merged.out());
        assertEquals(Files.readString(local.resolve("summary.csv")), Files.readString(out.resolve("summary.csv")));
        assertEquals(Files.readString(local.resolve("manifest.csv")), Files.readString(out.resolve("manifest.csv")));
    }

    @Test
    void badValuesAreOneClearLine(@TempDir Path tmp) throws IOException {
        Path file = experiment(tmp);
        String out = tmp.resolve("out").toString();
        CliRun.of("sweep", file.toString()).assertOneLineError("give --emit slurm EXPERIMENT");
        CliRun.of("sweep", "--emit", "pbs", file.toString()).assertOneLineError("--emit: expected slurm");
        CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out, "--throttle", "0")
                .assertOneLineError("--throttle must be at least 1");
        CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out, "--rows-per-task", "-1")
                .assertOneLineError("--rows-per-task must be at least 1");
        CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out, "--partition", "a b")
                .assertOneLineError("--partition: 'a b' cannot go into an #SBATCH line");
        CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", tmp.resolve("100%").toString())
                .assertOneLineError("cannot go into an #SBATCH line");
        CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out, "--jobs", "2")
                .assertOneLineError("--jobs is for --task");
        CliRun.of("sweep", "--emit", "slurm", tmp.resolve("none.yaml").toString())
                .assertOneLineError("no such experiment file");
        assertEquals(0, CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", out).code());
        Path array = tmp.resolve("out/slurm/array-1");
        CliRun.of("sweep", "--task", "8", array.toString()).assertOneLineError("no task 8 (the array's tasks are 0 "
                + "to 7)");
        CliRun.of("sweep", "--task", "0", out).assertOneLineError("not a job array's directory");
        CliRun.of("sweep", "--task", "0", array.toString(), "--quick").assertOneLineError("only --jobs applies");
        // The experiment changed since the array was written: its configurations are not the array's.
        Files.writeString(file, SlurmArrayTest.EXPERIMENT.replace("references: 20000", "references: 25000"));
        new ResultsDirectory(tmp.resolve("out")).claim(file,
                org.nestwalk.experiment.ExperimentFile.read(file, false));
        CliRun.of("sweep", "--task", "0", array.toString()).assertOneLineError("emit a new array");
    }

    private static List<Path> rowFiles(Path out) throws IOException {
        try (var s = Files.walk(out.resolve("runs"))) {
            return s.filter(f -> f.getFileName().toString().matches("r\\d+\\.json")).sorted().toList();
        }
    }
}
