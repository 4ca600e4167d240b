package org.nestwalk.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.sim.Snapshot;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/**
 * What a core may do while walks are outstanding (core.walkOverlap=rob), with one walker or several (mmu.walkers):
 * the same rule for every mode.
 */
class WalkConcurrencyTest {
    /** A run on a core that overlaps walks, with the verification issued beside the probe. */
    private static RunResult run(String mode, String preset, long refs, String... settings) {
        return Simulation.run(TestSpecs.spec(mode, preset, refs, refs / 4, 3, overlapping(settings)));
    }

    private static String[] overlapping(String... settings) {
        List<String> kv = new java.util.ArrayList<>(List.of("core.walkOverlap", "rob", "spec.verify", "parallel"));
        kv.addAll(List.of(settings));
        return kv.toArray(String[]::new);
    }

    @Test
    void extraWalkersSpeedUpIndependentMissesInEveryTwoDimensionalMode() {
        // Uniform random references over 1 GiB miss the TLB every time and do not depend on each other; their page
        // tables do not fit the caches, so walks, not data misses, limit the core.
        for (String mode : new String[] {"nested", "flat-nested"}) {
            long one = run(mode, "random", 40_000).cycles();
            long four = run(mode, "random", 40_000, "mmu.walkers", "4").cycles();
            assertTrue(four < 0.9 * one, mode + ": " + four + " cycles with 4 walkers, " + one + " with 1");
        }
    }

    @Test
    void extraWalkersGainNothingOnAPointerChase() {
        // Each load's address is the previous load's data: no two walks can ever be under way at once.
        for (String mode : new String[] {"nested", "flat-nested"}) {
            RunResult one = run(mode, "chase", 40_000, "workload.footprint", "64MiB");
            RunResult four = run(mode, "chase", 40_000, "workload.footprint", "64MiB", "mmu.walkers", "4");
            assertEquals(one.cycles(), four.cycles(), mode);
            assertEquals(one.walks(), four.walks(), mode);
            assertEquals(0, four.interval().walks().queuedWalks(), mode + ": nothing ever queues");
        }
    }

    @Test
    void oneWalkerQueuesTheMissesOfACoreThatRunsAhead() {
        Snapshot rob = run("nested", "random", 40_000, "workload.footprint", "64MiB").interval();
        assertTrue(rob.walks().queuedWalks() > rob.walks().walks() / 2, "queued " + rob.walks().queuedWalks());
        assertTrue(rob.cpu().overlappedReferences() > 0);
        Snapshot stalling = run("nested", "random", 40_000, "workload.footprint", "64MiB", "core.walkOverlap",
                "none").interval();
        assertEquals(0, stalling.walks().queuedWalks(), "a core that stops at each miss never finds the walker busy");
        assertEquals(0, stalling.cpu().overlappedReferences());
        // Busy cycles of one walker cannot exceed the interval, plus the walk under way when it began.
        assertTrue(rob.walks().busyCycles() <= rob.time() + 10_000);
    }

    @Test
    void theSameSeedGivesTheSameRunWithSeveralWalkers() {
        // Faults, squashes, copy-on-write and mis-speculation all happen here.
        for (String mode : new String[] {"nested", "spec-shadow"}) {
            Map<String, Long> a = run(mode, "fork-heavy", 60_000, "workload.forkEvery", "15000",
                    "workload.childReferences", "4000", "mmu.walkers", "4").interval().counters();
            Map<String, Long> b = run(mode, "fork-heavy", 60_000, "workload.forkEvery", "15000",
                    "workload.childReferences", "4000", "mmu.walkers", "4").interval().counters();
            assertEquals(a, b, mode);
            assertTrue(a.get("cpu.squashedReferences") > 0, mode + ": squashes happened");
        }
    }

    @Test
    void withoutRemappingNoSpeculationIsWrongWithFourWalkers() {
        Snapshot s = run("spec-shadow", "random", 40_000, "workload.footprint", "64MiB", "mmu.walkers", "4")
                .interval();
        assertTrue(s.cpu().speculations() > s.walks().walks() / 2, "speculations: " + s.cpu().speculations()
                + " in " + s.walks().walks() + " walks");
        assertEquals(0, s.cpu().misspeculations());
        assertEquals(0, s.cpu().squashedReferences());
        assertEquals(0, s.cpu().squashCycles());
        assertEquals(s.time(), s.cpu().accountedCycles());
    }

    @Test
    void remappingAPageInTheIsptMisSpeculatesOnceAndSquashesOnlyYoungerWork() {
        // 16 pages stay in the TLB; the one remapped page misses, the ISPT still holds its old frame.
        for (String walkers : new String[] {"1", "4"}) {
            RunResult r = Simulation.run(TestSpecs.spec("spec-shadow", "random", 70_000, 0, 1, overlapping(
                    "workload.footprint", "64KiB", "workload.remapEvery", "50000", "mmu.walkers", walkers)));
            Snapshot s = r.interval();
            assertEquals(1, s.guest().remaps());
            assertEquals(1, s.cpu().misspeculations(), walkers + " walkers");
            // What is thrown away is the speculated reference and what the core ran past it before the
            // verification: at most a reorder buffer's worth (192 instructions, 3 per reference, + itself).
            long squashed = s.cpu().squashedReferences();
            assertTrue(squashed >= 1 && squashed <= 192 / 3 + 1, "squashed " + squashed);
            // Everything older stands: every reference of the run is counted once.
            assertEquals(70_000, s.cpu().references());
            assertEquals(r.cycles(), s.cpu().accountedCycles());
            assertTrue(s.cpu().squashCycles() >= 30);
        }
    }

    @Test
    void aStoreThatWaitedForAReadOnlyTranslationIsReplayed(@TempDir Path dir) {
        // Four fresh pages, each read and then at once written. With the shared zero page the read faults and maps
        // the page read-only; the store, one instruction later, waits for the read's walk, which comes back
        // read-only: the store is replayed, misses the TLB and faults for a page of its own. A core that stops at
        // each miss takes the same faults in the same order, without a replay.
        Path trace = dir.resolve("read-then-write.trace");
        long base = 0x7f00_0000_0000L;
        try (TraceWriter w = TraceWriter.create(trace, TraceHeader.of("test", List.of("read-then-write")))) {
            w.event(1, new TraceEvent.Mmap(base, 4 << 12, 3, 0x22));
            for (int p = 0; p < 4; p++) {
                w.reference(3, base + ((long) p << 12), 8, false);
                w.reference(1, base + ((long) p << 12) + 64, 8, true);
            }
            w.finish(0);
        }
        RunResult rob = replay(trace, "rob");
        RunResult stalling = replay(trace, "none");
        assertEquals(4, rob.interval().cpu().storeReplays());
        assertEquals(0, stalling.interval().cpu().storeReplays());
        assertEquals(8, stalling.interval().cpu().pageFaults(), "a read fault and a write fault per page");
        assertEquals(stalling.interval().cpu().pageFaults(), rob.interval().cpu().pageFaults());
        assertEquals(4, rob.interval().guest().zeroPageWrites());
        assertEquals(8, rob.interval().cpu().references());
        assertEquals(rob.cycles(), rob.interval().cpu().accountedCycles());
    }

    private static RunResult replay(Path trace, String overlap) {
        return Simulation.run(TestSpecs.spec("native", "random", 8, 0, 1, "workload.trace", trace.toString(),
                "workload.prefault", "false", "guest.zeroPage", "true", "core.walkOverlap", overlap));
    }

    @Test
    void theWarmUpEndsExactlyAtItsLastReference() {
        RunResult r = run("spec-shadow", "gcc-like", 80_000, "mmu.walkers", "4");
        assertEquals(60_000, r.interval().cpu().references());
        assertEquals(r.cycles(), r.interval().cpu().accountedCycles());
    }
}
