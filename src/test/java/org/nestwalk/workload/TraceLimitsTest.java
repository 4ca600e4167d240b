package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.CliRun;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/**
 * Issue 17, defects 5, 7 and 8: well-formed traces that ask more than a run can give. Each is refused in one line,
 * or run with what it holds and said so, never silently measured wrong or left to exhaust the heap.
 */
class TraceLimitsTest {
    private static final long A = 0x7f00_0000_0000L;

    /** {@code references} stores over 64 pages, preceded by {@code before} (an event, or nothing). */
    private static Path trace(Path file, int references, TraceEvent before, long firstGap) {
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("limits")))) {
            if (before != null) {
                w.event(0, before);
            }
            for (int i = 0; i < references; i++) {
                w.reference(i == 0 ? firstGap : 3, A + ((long) (i % 64) << 12) + 8 * (i % 512), 8, true);
            }
            w.finish(0);
        }
        return file;
    }

    /** Defect 5: a PRESENT record of 2^44 bytes passed and grew a run to 3.7 GB before an OutOfMemoryError. */
    @Test
    void aPresentRangeLargerThanTheVmIsOneLine(@TempDir Path dir) {
        // Within user space (below 2^47), so that only its size is wrong.
        Path t = trace(dir.resolve("huge.trace"), 100, new TraceEvent.Present(0x1000_0000L, 1L << 44, true), 3);
        CliRun o = CliRun.of("run", "--trace", t.toString(), "--mode", "native", "--refs", "100");
        assertEquals("", o.out());
        o.assertOneLineError(t + ": record 1: PRESENT says 17592186044416 bytes were present, more than the VM's "
                + "memory (memory.guest = 4GiB): the trace is damaged, or the machine needs more memory");
        CliRun bigger = CliRun.of("run", "--trace", t.toString(), "--mode", "native", "--refs", "100", "--set",
                "memory.guest=8GiB");
        bigger.assertOneLineError("more than the VM's memory (memory.guest = 8GiB)");
    }

    /** Defect 8: an instruction gap above 2^31 - 1 was cut to 2^31 - 1 without a word. */
    @Test
    void aGapAboveWhatTheSimulatorReplaysIsRefusedNotCut(@TempDir Path dir) {
        Path t = trace(dir.resolve("gap.trace"), 100, null, 3_000_000_000L);
        CliRun.of("run", "--trace", t.toString(), "--mode", "native", "--refs", "100").assertOneLineError(t
                + ": record 1: a gap of 3000000000 instructions since the previous record; the simulator replays at"
                + " most 2,147,483,647 (2^31 - 1) between two records");
    }

    /**
     * Defect 7: --refs 20,000 on a trace of 5,000 said "20,000 references" and, warming up a fifth of 20,000,
     * measured a fifth of the trace. Now each run replays the trace, warms up a fifth of what it holds, and says so.
     */
    @Test
    void aRunAskingForMoreThanTheTraceHoldsSaysWhatItMeasured(@TempDir Path dir) {
        Path t = trace(dir.resolve("short.trace"), 5_000, null, 3);
        CliRun o = CliRun.of("run", "--trace", t.toString(), "--mode", "native,nested", "--refs", "20000");
        assertEquals(0, o.code(), o.err());
        assertEquals("nestwalk: " + t + " holds 5,000 references, fewer than the 20,000 asked (--refs): each run "
                + "replays all 5,000", o.err().strip());
        assertTrue(o.out().contains("5,000 references each, the first 1,000 discarded as warm-up"), o.out());
        assertTrue(o.out().matches("(?s).*\\nreferences warmed up +1000 +1000\\n.*"), o.out());
        assertTrue(o.out().matches("(?s).*\\nreferences measured +4000 +4000\\n.*"), o.out());
        assertTrue(o.out().contains("Simulated 10,000 references"), o.out());

        CliRun plain = CliRun.of("run", "--trace", t.toString(), "--mode", "native");
        assertEquals(0, plain.code(), plain.err());
        assertEquals("", plain.err());
        assertTrue(plain.out().contains("5,000 references each, the first 1,000 discarded as warm-up"), plain.out());

        CliRun.of("run", "--trace", t.toString(), "--mode", "native", "--warmup", "6000")
                .assertOneLineError("--warmup must be at least 0 and less than the 5,000 references of each run (all "
                        + "the trace holds), not 6000");
    }

    /**
     * A reference whose last byte lies past 2^63 - 1 (its address wraps to a negative one) slipped past the check
     * for user space, mapped a region above it, and failed the run with an internal exception.
     */
    @Test
    void aReferenceWrappingPastTheLargestAddressIsOutsideUserSpace(@TempDir Path dir) {
        Path t = dir.resolve("wrap.trace");
        try (TraceWriter w = TraceWriter.create(t, TraceHeader.of("test", List.of("wrap")))) {
            w.reference(1, A, 8, false);
            w.reference(1, Long.MAX_VALUE - 3, 8, false);
            w.finish(0);
        }
        CliRun.of("run", "--trace", t.toString(), "--mode", "native", "--refs", "2").assertOneLineError(t
                + ": record 2 touches 0x7ffffffffffffffc, outside user space");
    }

    /** Defect 7: an experiment whose runs ask for more references than its trace holds is refused before it runs. */
    @Test
    void anExperimentAskingForMoreThanItsTraceHoldsIsRefused(@TempDir Path dir) throws Exception {
        trace(dir.resolve("short.trace"), 5_000, null, 3);
        Path file = dir.resolve("long.yaml");
        Files.writeString(file, """
                references: 20000
                warmup: 1000
                replications: 2
                modes: [native]
                workloads:
                  - trace: short.trace
                """);
        CliRun o = CliRun.of("run", file.toString(), "--out", dir.resolve("out").toString());
        assertEquals("", o.out());
        o.assertOneLineError(file + " line 6: workload 'short': the trace " + dir.resolve("short.trace")
                + " holds 5,000 references, fewer than the 20,000 each run asks for ('references'); ask for at most "
                + "5,000");
        assertTrue(!Files.exists(dir.resolve("out").resolve("runs")), "nothing ran");
    }

    /** Defect 8: a FIFO as a trace hung the run; it is refused before it is opened. */
    @Test
    void aFifoIsRefusedAsATrace(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.trace");
        Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is needed to make a FIFO");
        CliRun.of("run", "--trace", fifo.toString(), "--mode", "native").assertOneLineError(fifo + ": not a regular "
                + "file (a FIFO, socket or device); a trace is read more than once, so it must be a file");
        CliRun.of("trace", "info", fifo.toString()).assertOneLineError("not a regular file");
    }
}
