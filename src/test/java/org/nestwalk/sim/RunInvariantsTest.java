package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.walk.ModeKind;

/** Properties every run must have, whatever the mode and workload. */
class RunInvariantsTest {

    private static final String[] MODES = {"native", "nested", "flat-nested", "shadow", "spec-shadow"};

    @Test
    void sameSeedGivesBitIdenticalResults() {
        for (String mode : MODES) {
            for (String preset : new String[] {"random", "fork-heavy"}) {
                RunSpec spec = TestSpecs.spec(mode, preset, 200_000, 50_000, 42, "workload.footprint", "64MiB");
                assertEquals(Simulation.run(spec).interval().counters(), Simulation.run(spec).interval().counters(),
                        mode + "/" + preset);
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentResults() {
        RunSpec a = TestSpecs.spec("nested", "random", 200_000, 0, 1, "workload.footprint", "256MiB");
        RunSpec b = TestSpecs.spec("nested", "random", 200_000, 0, 2, "workload.footprint", "256MiB");
        assertNotEquals(Simulation.run(a).interval().counters(), Simulation.run(b).interval().counters());
    }

    @Test
    void theDsolSeamAndAPlainEventLoopGiveTheSameRun() {
        for (String[] run : new String[][] {{"nested", "zipf"}, {"shadow", "gcc-like"}, {"spec-shadow", "fork-heavy"}}) {
            RunSpec spec = TestSpecs.spec(run[0], run[1], 150_000, 10_000, 5, "workload.footprint", "64MiB",
                    "workload.prefault", "false");
            RunModel plain = new RunModel(spec);
            new PlainScheduler().run(plain);
            assertEquals(plain.interval().counters(), Simulation.run(spec).interval().counters(),
                    run[0] + "/" + run[1]);
        }
    }

    @Test
    void everyCycleIsAccountedFor() {
        for (String mode : MODES) {
            for (String workload : new String[] {"random", "stream", "chase", "gcc-like", "fork-heavy"}) {
                RunSpec spec = TestSpecs.spec(mode, workload, 100_000, 20_000, 3, "workload.footprint", "64MiB",
                        "workload.prefault", "false");
                Snapshot s = Simulation.run(spec).interval();
                assertEquals(s.time(), s.cpu().accountedCycles(), mode + "/" + workload);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheQuantum() {
        // The quantum only bounds how long the vCPU runs between events; it must never change what happens.
        RunSpec a = TestSpecs.spec("nested", "random", 100_000, 0, 9, "workload.footprint", "64MiB",
                "core.quantum", "100000");
        RunSpec b = TestSpecs.spec("nested", "random", 100_000, 0, 9, "workload.footprint", "64MiB",
                "core.quantum", "37");
        var ca = Simulation.run(a).interval().counters();
        var cb = Simulation.run(b).interval().counters();
        assertEquals(ca, cb);
    }

    @Test
    void aTlbHitNeverWalks() {
        // 16 pages fit the L1 dTLB: after each page's first (cold) miss every reference hits and nothing walks.
        RunSpec spec = TestSpecs.spec("nested", "random", 200_000, 0, 4, "workload.footprint", "64KiB");
        VCpuStats cpu = Simulation.run(spec).interval().cpu();
        assertEquals(16, cpu.tlbMisses());
        assertEquals(cpu.tlbMisses() + cpu.walkRetries(), Simulation.run(spec).interval().walks().walks());
        assertEquals(0, cpu.walkRetries());
    }

    @Test
    void tlbHitsCreateNoEvents() {
        // Everything hits: the only events are the start, the quantum yields and the few cold misses.
        RunSpec spec = TestSpecs.spec("native", "stream", 2_000_000, 0, 4, "workload.footprint", "16KiB",
                "core.quantum", "1000000");
        RunResult r = Simulation.run(spec);
        long yields = r.cycles() / 1_000_000 + 1;
        long coldMisses = r.interval().cpu().tlbMisses() + r.interval().dram().requests();
        assertTrue(r.events() <= yields + 2 * coldMisses + 2,
                r.events() + " events for " + yields + " quanta and " + coldMisses + " cold misses");
    }

    @Test
    void theFastPathDoesNotAllocate() {
        // Bytes the simulation thread allocates between the first event and the end, for two run lengths: the
        // difference is what the extra references cost. Setup, DSOL's own events and the final snapshot cancel out.
        long shorter = allocatedDuring(TestSpecs.spec("native", "stream", 2_000_000, 0, 4,
                "workload.footprint", "16KiB", "core.quantum", "100000000"));
        long longer = allocatedDuring(TestSpecs.spec("native", "stream", 4_000_000, 0, 4,
                "workload.footprint", "16KiB", "core.quantum", "100000000"));
        double perReference = (longer - shorter) / 2_000_000.0;
        assertTrue(perReference < 0.05, perReference + " bytes allocated per reference");
    }

    private static long allocatedDuring(RunSpec spec) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] bytes = {-1, 0};
        RunModel inner = new RunModel(spec);
        SimModel measured = scheduler -> inner.construct(new Scheduler() {
            @Override
            public long now() {
                return scheduler.now();
            }

            @Override
            public long nextEventTime() {
                return scheduler.nextEventTime();
            }

            @Override
            public void scheduleFrom(long cause, long time, int priority, Action action) {
                scheduler.scheduleFrom(cause, time, priority, () -> {
                    if (bytes[0] < 0) {
                        bytes[0] = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                    }
                    action.run();
                });
            }

            @Override
            public void finish() {
                bytes[1] = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                scheduler.finish();
            }

            @Override
            public long eventsExecuted() {
                return scheduler.eventsExecuted();
            }
        });
        ReplicationRunner.run("allocation", measured, 1, 120);
        return bytes[1] - bytes[0];
    }

    @Test
    void warmupIsExcludedFromTheResults() {
        RunSpec whole = TestSpecs.spec("nested", "random", 300_000, 0, 8, "workload.footprint", "64MiB");
        RunSpec measured = TestSpecs.spec("nested", "random", 300_000, 100_000, 8, "workload.footprint", "64MiB");
        RunResult w = Simulation.run(whole);
        RunResult m = Simulation.run(measured);
        assertEquals(300_000, w.references());
        assertEquals(200_000, m.references());
        assertTrue(m.cycles() < w.cycles());
        assertEquals(ModeKind.NESTED, m.spec().mode());
    }
}
