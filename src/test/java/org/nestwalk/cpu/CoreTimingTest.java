package org.nestwalk.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;

/** The core's timing model of DESIGN.md section 5, checked where it can be computed by hand. */
class CoreTimingTest {

    @Test
    void instructionsCostTheBaseCpiAndCacheHitsTheirLatencyOverMlp() {
        // 128 KiB: every page in the L1 dTLB, every line in the L2 after warm-up, a quarter of them in the L1D.
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 400_000, 100_000, 1,
                "workload.footprint", "128KiB", "core.baseCpi", "1.5"));
        VCpuStats c = r.interval().cpu();
        assertEquals(0, c.dataServed(MemoryLevel.DRAM));
        assertEquals(0, c.tlbMisses());
        // 300,000 references x 3 instructions x 1.5 cycles, exactly (the fraction carried is below one cycle).
        assertEquals(1_350_000, c.baseCycles(), 1);
        long expectedStall = 6 * c.dataServed(MemoryLevel.L2) + 20 * c.dataServed(MemoryLevel.LLC);
        assertEquals(expectedStall, c.dataStallCycles(), 1);
        assertEquals(r.cycles(), c.baseCycles() + c.dataStallCycles() + c.tlbCycles());
        assertEquals(8 * c.l1TlbMisses(), c.tlbCycles());
    }

    @Test
    void moreMemoryLevelParallelismOverlapsMoreMisses() {
        long[] stall = new long[2];
        for (int mlp = 1; mlp <= 2; mlp++) {
            RunResult r = Simulation.run(TestSpecs.spec("native", "random", 200_000, 50_000, 1,
                    "workload.footprint", "512MiB", "core.mlp", Integer.toString(mlp), "tlb.l2.entries", "65536",
                    "tlb.l2.ways", "16"));
            stall[mlp - 1] = r.interval().cpu().dataStallCycles();
        }
        double ratio = (double) stall[1] / stall[0];
        assertTrue(ratio < 0.75 && ratio > 0.3, "stall with two misses in flight / one: " + ratio);
    }

    @Test
    void aPointerChaseCannotOverlapItsMisses() {
        // Each load needs the previous one's data: stalls per DRAM miss stay near the full miss latency even with a
        // large MLP, while independent loads overlap.
        RunResult chase = Simulation.run(TestSpecs.spec("native", "chase", 100_000, 20_000, 1,
                "workload.footprint", "512MiB", "core.mlp", "8", "tlb.l2.entries", "65536", "tlb.l2.ways", "16"));
        VCpuStats c = chase.interval().cpu();
        double perMiss = (double) c.dataStallCycles() / c.dataServed(MemoryLevel.DRAM);
        // A miss costs at least the LLC lookup plus a row hit; little of it can hide behind 3 instructions.
        assertTrue(perMiss > 40 + 120 - 10, "stall per DRAM miss " + perMiss);
    }
}
