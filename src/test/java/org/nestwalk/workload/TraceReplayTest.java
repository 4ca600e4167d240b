package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.nestwalk.sim.SimulationException;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/** Replaying traces: a trace of a synthetic program behaves exactly as the program, and its events reach the OS. */
class TraceReplayTest {
    private static final long REFERENCES = 60_000;

    /** Writes the synthetic program of {@code spec} (no OS events, no dependent loads) as a trace. */
    private static Path record(RunSpec spec, Path file, long references) {
        ReferenceStream program = SyntheticWorkload.program(spec.workload(),
                new RandomStreams(spec.seed(), spec.replication()));
        ReferenceBuffer b = new ReferenceBuffer(4096);
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("synthetic")))) {
            long written = 0;
            while (written < references) {
                int n = program.fill(b);
                for (int i = 0; i < n && written < references; i++, written++) {
                    assertEquals(0, b.flags(i) & (ReferenceBuffer.EVENT | ReferenceBuffer.DEPENDENT));
                    w.reference(b.instructions(i), b.address(i), 8, (b.flags(i) & ReferenceBuffer.WRITE) != 0);
                }
            }
            w.finish(0);
        }
        return file;
    }

    @Test
    void aRecordedSyntheticProgramReplaysToTheSameNumbers(@TempDir Path dir) {
        for (String mode : new String[] {"native", "nested", "shadow"}) {
            RunSpec synthetic = TestSpecs.spec(mode, "zipf", REFERENCES, 20_000, 3, "workload.footprint", "64MiB",
                    "workload.prefault", "false");
            Path trace = record(synthetic, dir.resolve(mode + ".trace"), REFERENCES + 100);
            RunSpec replay = TestSpecs.spec(mode, "zipf", REFERENCES, 20_000, 3, "workload.footprint", "64MiB",
                    "workload.prefault", "false", "workload.trace", trace.toString());
            RunResult a = Simulation.run(synthetic);
            RunResult b = Simulation.run(replay);
            assertEquals(a.cycles(), b.cycles(), mode);
            assertEquals(a.instructions(), b.instructions(), mode);
            assertEquals(a.walks(), b.walks(), mode);
            assertEquals(a.pageFaults(), b.pageFaults(), mode);
            assertTrue(a.pageFaults() > 0, "demand paging faults pages in");
        }
    }

    @Test
    void mmapAndMunmapEventsReachTheGuest(@TempDir Path dir) {
        Path file = dir.resolve("events.trace");
        long base = 0x7f00_0000_0000L;
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("events")))) {
            for (int round = 0; round < 20; round++) {
                w.event(5, new TraceEvent.Mmap(base, 64 << 12, 3, 0x22));
                for (int p = 0; p < 64; p++) {
                    w.reference(3, base + ((long) p << 12), 8, true);
                }
                w.event(5, new TraceEvent.Munmap(base, 64 << 12));
                w.event(1, new TraceEvent.Syscall(39));
            }
            w.reference(1, 0x1000_0000L, 8, false);
            w.finish(0);
        }
        RunResult r = Simulation.run(TestSpecs.spec("nested", "random", 1281, 0, 1, "workload.trace",
                file.toString(), "workload.prefault", "false"));
        assertEquals(1281, r.interval().cpu().references());
        // Every round maps 64 fresh pages: 20 x 64 first-touch faults, plus the last reference's page.
        assertEquals(20 * 64 + 1, r.pageFaults());
        // Per round: 5 before mmap, 64 x 3 with the stores, 5 before munmap, 1 before the system call (an event
        // the model passes over, whose instruction still counts); then the last reference.
        assertEquals(20 * (5 + 64 * 3 + 5 + 1) + 1, r.instructions(),
                "every instruction of the trace counts, those before passed-over events included");
    }

    @Test
    void mprotectRewritesTheEntriesItChanges(@TempDir Path dir) {
        long base = 0x7f00_0000_0000L;
        Path with = dir.resolve("mprotect.trace");
        Path without = dir.resolve("plain.trace");
        for (Path file : new Path[] {with, without}) {
            try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("mprotect")))) {
                w.event(1, new TraceEvent.Mmap(base, 8 << 12, 3, 0x22));
                for (int p = 0; p < 8; p++) {
                    w.reference(1, base + ((long) p << 12), 8, true);
                }
                if (file == with) {
                    w.event(1, new TraceEvent.Mprotect(base, 8 << 12, 1));
                }
                for (int p = 0; p < 8; p++) {
                    w.reference(1, base + ((long) p << 12) + 8, 8, false);
                }
                if (file == with) {
                    w.event(1, new TraceEvent.Mprotect(base, 8 << 12, 3));
                }
                for (int p = 0; p < 8; p++) {
                    w.reference(1, base + ((long) p << 12) + 16, 8, true);
                }
                w.finish(0);
            }
        }
        RunResult plain = Simulation.run(TestSpecs.spec("native", "random", 24, 0, 1, "workload.trace",
                without.toString(), "workload.prefault", "false"));
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 24, 0, 1, "workload.trace",
                with.toString(), "workload.prefault", "false"));
        assertEquals(8, plain.pageFaults(), "first touches only");
        // The loads after write-protection refill the TLB with read-only translations; once writes are allowed
        // again a store through one of them makes the walker look again (DataTlb), which finds the entry writable:
        // no fault beyond the first touches.
        assertEquals(8, r.pageFaults());
        assertTrue(r.walks() >= plain.walks() + 8, "the stores re-walk: " + r.walks() + " vs " + plain.walks());
        assertEquals(plain.interval().guest().tableWrites() + 16, r.interval().guest().tableWrites(),
                "8 entries made read-only, 8 made writable again");
        RunResult shadow = Simulation.run(TestSpecs.spec("shadow", "random", 24, 0, 1, "workload.trace",
                with.toString(), "workload.prefault", "false", "hypervisor.shadowSync", "trap"));
        RunResult shadowPlain = Simulation.run(TestSpecs.spec("shadow", "random", 24, 0, 1, "workload.trace",
                without.toString(), "workload.prefault", "false", "hypervisor.shadowSync", "trap"));
        assertEquals(shadowPlain.exits(ExitCause.PT_WRITE) + 16, shadow.exits(ExitCause.PT_WRITE),
                "under shadow paging every rewritten entry traps");
    }

    /**
     * Two processes, as a capture that follows children writes them: the first (pid 100) maps 64 pages, stores to
     * each, forks pid 101 and exits; then, after a SWITCH, the child stores to 16 of the shared pages, execs, and
     * its new program maps 8 pages of its own, stores to them and exits.
     */
    private static Path twoProcesses(Path file) {
        long a = 0x7f00_0000_0000L;
        long b = 0x5555_0000_0000L;
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("parent"), "test", 4096, 0, 100))) {
            w.event(1, new TraceEvent.Mmap(a, 64 << 12, 3, 0x22));
            for (int p = 0; p < 64; p++) {
                w.reference(2, a + ((long) p << 12), 8, true);
            }
            w.event(1, new TraceEvent.Fork(101));
            w.event(1, new TraceEvent.Exit(100));
            w.event(0, new TraceEvent.Switch(101, 101));
            for (int p = 0; p < 16; p++) {
                w.reference(3, a + ((long) p << 12) + 8, 8, true);
            }
            w.event(1, new TraceEvent.Exec());
            w.event(1, new TraceEvent.Mmap(b, 8 << 12, 3, 0x22));
            for (int p = 0; p < 8; p++) {
                w.reference(4, b + ((long) p << 12), 8, true);
            }
            w.event(1, new TraceEvent.Exit(101));
            w.finish(0);
        }
        return file;
    }

    @Test
    void aChildReplaysItsOwnRecordsAndItsExecsProgram(@TempDir Path dir) {
        Path file = twoProcesses(dir.resolve("two.trace"));
        for (String mode : new String[] {"native", "nested", "shadow", "spec-shadow"}) {
            RunResult r = Simulation.run(TestSpecs.spec(mode, "random", 1000, 0, 1, "workload.trace",
                    file.toString(), "workload.prefault", "false"));
            assertEquals(64 + 16 + 8, r.interval().cpu().references(), mode + ": every process's references");
            // 64 first touches by the parent, 16 copy-on-write stores by the child, 8 first touches after exec.
            assertEquals(64 + 16 + 8, r.interval().guest().pageFaults(), mode);
            assertEquals(16, r.interval().guest().copyOnWriteFaults(), mode);
            assertEquals(1, r.interval().guest().forks(), mode);
            assertEquals(1, r.interval().guest().execs(), mode);
            assertEquals(2, r.interval().guest().exits(), mode);
            // Each event's instructions count once: the parent's 1 + 64 x 2 + 1 + 1, the child's 16 x 3 + 1, the
            // new program's 1 + 8 x 4 + 1; the SWITCH's 0.
            assertEquals(131 + 49 + 34, r.instructions(), mode);
        }
    }

    @Test
    void forksInQuickSuccessionEachGetTheirOwnChild(@TempDir Path dir) {
        // Two forks back to back (one batch of records): each child must replay its own records, 4 and 8 stores.
        long a = 0x7f00_0000_0000L;
        Path file = dir.resolve("two-forks.trace");
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("parent"), "test", 4096, 0, 100))) {
            w.event(1, new TraceEvent.Mmap(a, 16 << 12, 3, 0x22));
            w.event(1, new TraceEvent.Fork(101));
            w.event(1, new TraceEvent.Fork(102));
            w.event(1, new TraceEvent.Exit(100));
            w.event(0, new TraceEvent.Switch(101, 101));
            for (int p = 0; p < 4; p++) {
                w.reference(1, a + ((long) p << 12), 8, true);
            }
            w.event(1, new TraceEvent.Exit(101));
            w.event(0, new TraceEvent.Switch(102, 102));
            for (int p = 0; p < 8; p++) {
                w.reference(1, a + ((long) (8 + p) << 12), 8, true);
            }
            w.event(1, new TraceEvent.Exit(102));
            w.finish(0);
        }
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 1000, 0, 1, "workload.trace",
                file.toString(), "workload.prefault", "false"));
        assertEquals(2, r.interval().guest().forks());
        assertEquals(3, r.interval().guest().exits());
        assertEquals(4 + 8, r.interval().cpu().references(), "each child its own records, once");
        assertEquals(4 + 8, r.interval().guest().pageFaults());
    }

    @Test
    void aChildTheTraceDidNotFollowExitsAtOnce(@TempDir Path dir) {
        Path file = dir.resolve("unfollowed.trace");
        long a = 0x7f00_0000_0000L;
        try (TraceWriter w = TraceWriter.create(file, new TraceHeader(List.of("parent"), "test", 4096, 0, 100))) {
            for (int p = 0; p < 8; p++) {
                w.reference(2, a + ((long) p << 12), 8, true);
            }
            w.event(1, new TraceEvent.Fork(101));
            // Long enough for the guest's timer (a 100,000-cycle quantum) to run the child before these stores.
            w.event(300_000, new TraceEvent.Syscall(39));
            for (int p = 0; p < 8; p++) {
                w.reference(2, a + ((long) p << 12) + 8, 8, true);
            }
            w.finish(0);
        }
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 16, 0, 1, "workload.trace",
                file.toString(), "workload.prefault", "false", "guest.quantum", "100000"));
        assertEquals(1, r.interval().guest().forks());
        assertEquals(1, r.interval().guest().exits(), "the child, at once");
        assertEquals(16, r.interval().cpu().references(), "the child made none");
        // The fork made the parent's pages read-only; the child gone, each first store gets write permission back.
        assertEquals(8, r.interval().guest().copyOnWriteFaults());
        assertEquals(16, r.interval().guest().pageFaults());
    }

    @Test
    void pagesPresentAtTheStartDoNotFault(@TempDir Path dir) {
        long a = 0x7f00_0000_0000L;
        Path with = dir.resolve("present.trace");
        Path without = dir.resolve("absent.trace");
        for (Path file : new Path[] {with, without}) {
            try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("present")))) {
                if (file == with) {
                    // Pages 0-7 were touched before the trace began.
                    w.event(0, new TraceEvent.Present(a, 8 << 12, true));
                }
                for (int p = 0; p < 16; p++) {
                    w.reference(2, a + ((long) p << 12), 8, true);
                }
                w.finish(0);
            }
        }
        for (String mode : new String[] {"native", "nested", "shadow", "spec-shadow"}) {
            RunResult r = Simulation.run(TestSpecs.spec(mode, "random", 16, 0, 1, "workload.trace",
                    with.toString(), "workload.prefault", "false"));
            RunResult all = Simulation.run(TestSpecs.spec(mode, "random", 16, 0, 1, "workload.trace",
                    without.toString(), "workload.prefault", "false"));
            assertEquals(16, all.interval().guest().pageFaults(), mode);
            assertEquals(8, r.interval().guest().pageFaults(), mode + ": only the pages not present fault");
            if (mode.equals("shadow")) {
                // A page that faults is a guest fault the hypervisor injects, then a hidden fault that fills its
                // shadow entry; a present page already has its shadow entry, and neither happens.
                assertEquals(16, all.exits(ExitCause.GUEST_FAULT_INJECTION));
                assertEquals(16, all.exits(ExitCause.HIDDEN_FAULT));
                assertEquals(8, r.exits(ExitCause.GUEST_FAULT_INJECTION));
                assertEquals(8, r.exits(ExitCause.HIDDEN_FAULT));
            }
        }
    }

    @Test
    void aTraceShorterThanItsWarmupIsAnError(@TempDir Path dir) {
        RunSpec synthetic = TestSpecs.spec("native", "zipf", 10_000, 0, 3, "workload.footprint", "16MiB");
        Path trace = record(synthetic, dir.resolve("short.trace"), 5_000);
        RunSpec replay = TestSpecs.spec("native", "zipf", 10_000, 8_000, 3, "workload.trace", trace.toString());
        SimulationException e = assertThrows(SimulationException.class, () -> Simulation.run(replay));
        assertTrue(e.getMessage().contains("ended after 5000 references, before its warm-up of 8000"),
                e.getMessage());
    }
}
