package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 17: command-line values a hostile user tried, each now refused or bounded in one line. */
class HostileValuesTest {
    /** Defect 6: --jobs 100000 was accepted, and --jobs 1000 ran 160 simulations at once. */
    @Test
    void jobsAreCappedByProcessorsAndHeapWithAMessage() {
        CliRun o = CliRun.of("run", "--workload", "zipf,stream", "--refs", "2000", "--warmup", "0",
                "--set", "workload.footprint=4MiB", "--jobs", "100000");
        assertEquals(0, o.code(), o.err());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(o.err().startsWith("nestwalk: --jobs 100000 is more than this machine can run at once; using "),
                o.err());
        Matcher m = Pattern.compile("on (\\d+) threads?\\.").matcher(o.out());
        assertTrue(m.find(), o.out());
        int threads = Integer.parseInt(m.group(1));
        assertTrue(threads >= 1 && threads <= cores, threads + " threads on " + cores + " processors");
        CliRun.of("run", "--jobs", "0").assertOneLineError("--jobs must be at least 1, not 0");
    }

    /** Defect 8: --mode ',,' printed "0 runs" and then an empty error. */
    @Test
    void emptyListsOfModesOrWorkloadsAreOneLine() {
        CliRun o = CliRun.of("run", "--mode", ",,");
        assertEquals("", o.out());
        o.assertOneLineError("--mode: expected at least one mode (" + org.nestwalk.walk.ModeKind.labels() + ")");
        CliRun.of("run", "--workload", ",", "--mode", "native").assertOneLineError(
                "--workload: expected at least one workload preset");
    }

    /**
     * Defect 8: --out /proc/self said "cannot write /proc/self/experiment.yaml: /proc/self/.experiment...tmp": the
     * path again, not why.
     */
    @Test
    void aDirectoryThatCannotBeWrittenSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = tmp.resolve("e.yaml");
        java.nio.file.Files.writeString(file, """
                references: 2000
                warmup: 0
                replications: 2
                modes: [native]
                workloads: [{name: z, preset: zipf, set: {workload.footprint: 4MiB}}]
                """);
        java.nio.file.Path proc = java.nio.file.Path.of("/proc/self");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(proc), "Linux's /proc");
        CliRun o = CliRun.of("run", file.toString(), "--out", proc.toString());
        assertEquals(Main.FAILED, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertTrue(o.err().startsWith("nestwalk: cannot write /proc/self/"), o.err());
        assertTrue(o.err().strip().endsWith(": no such file or directory, and it cannot be created there"), o.err());

        java.nio.file.Path blocked = tmp.resolve("a-file");
        java.nio.file.Files.writeString(blocked, "");
        CliRun below = CliRun.of("run", file.toString(), "--out", blocked.resolve("out").toString());
        assertEquals(Main.FAILED, below.code(), below.err());
        assertTrue(below.err().strip().endsWith("Not a directory"), below.err());
    }

    /** Defect 8: explain --warm 99999999999999 was accepted and ran on for days without a word. */
    @Test
    void explainWarmUpIsBounded() {
        CliRun.of("explain", "--warm", "99999999999999").assertOneLineError("--warm must be at least 0 and at most "
                + "100,000,000 (more than fills any TLB and cache of the machine), not 99999999999999");
    }

    /** Defect 8: --timeline DIR/ wrote a file named DIR. */
    @Test
    void aTimelineIntoADirectoryIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        for (String target : new String[] {tmp.toString(), tmp + "/new/"}) {
            CliRun o = CliRun.of("run", "--mode", "native", "--workload", "zipf", "--timeline", target);
            assertEquals("", o.out());
            o.assertOneLineError("--timeline expects the file to write (such as run.csv; its picture goes beside "
                    + "it), not the directory " + java.nio.file.Path.of(target));
        }
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("new")), "nothing was written");
    }

    /** Defect 8: --sbatch values were checked more loosely than --partition (a space or a quote went through). */
    @Test
    void sbatchOptionsAreCheckedAsStrictlyAsPartition(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path file = tmp.resolve("e.yaml");
        java.nio.file.Files.writeString(file, """
                references: 2000
                replications: 2
                modes: [native]
                workloads: [zipf]
                """);
        for (String bad : new String[] {"--qos=short normal", "--comment='x'", "--qos=50%", "--begin=now;rm -rf"}) {
            CliRun o = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", tmp.resolve("o").toString(),
                    "--sbatch=" + bad);
            o.assertOneLineError("--sbatch: expected an sbatch option such as --qos=short (one word");
            CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", tmp.resolve("o").toString(),
                    "--partition", bad.substring(bad.indexOf('=') + 1)).assertOneLineError("--partition");
        }
        CliRun ok = CliRun.of("sweep", "--emit", "slurm", file.toString(), "--out", tmp.resolve("o").toString(),
                "--sbatch=--qos=short", "--sbatch=--exclusive", "--sbatch=-N1");
        assertEquals(0, ok.code(), ok.err());
    }
}
