package org.nestwalk.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.SimModel;
import org.nestwalk.sim.Snapshot;

/** A guest frame whose host frame was taken away: the next walk that needs it ends in a nested fault. */
class NestedFaultTest {
    private static final RunSpec SPEC = TestSpecs.spec("nested", "random", 200_000, 0, 1, "workload.footprint",
            "64KiB");

    /** Runs SPEC on a machine that {@code setUp} may change before the vCPU starts; returns the final counters. */
    private static Snapshot run(BiConsumer<Machine, Scheduler> setUp) {
        Snapshot[] result = new Snapshot[1];
        SimModel model = scheduler -> {
            Machine[] m = new Machine[1];
            m[0] = Machine.build(SPEC, scheduler, List.of(), new VCpu.Observer() {
                @Override
                public void warmupEnded(long time) {
                }

                @Override
                public void finished(long time) {
                    result[0] = m[0].snapshot(time);
                    scheduler.finish();
                }
            });
            setUp.accept(m[0], scheduler);
            m[0].start();
        };
        ReplicationRunner.run("nested-fault", model, 1, 60);
        return result[0];
    }

    private static long dataFrame(Machine m, long va) {
        return m.process().table().lookup(va).pageBase();
    }

    @Test
    void aReclaimedFrameFaultsOnceAndIsBackedAgain() {
        boolean[] backed = new boolean[2];
        long[] gpa = new long[1];
        Machine[] machine = new Machine[1];
        Snapshot s = run((m, scheduler) -> {
            machine[0] = m;
            gpa[0] = dataFrame(m, 0x7f00_0000_3000L);
            m.hypervisor().reclaim(gpa[0]);
            backed[0] = m.hypervisor().isBacked(gpa[0]);
        });
        assertFalse(backed[0]);
        assertEquals(1, s.walks().nestedFaults());
        assertEquals(1, s.cpu().exits(ExitCause.NESTED_FAULT));
        assertEquals(1, s.cpu().walkRetries());
        assertEquals(0, s.cpu().pageFaults());
        assertTrue(machine[0].hypervisor().isBacked(gpa[0]));
    }

    @Test
    void reclaimingAFrameMidRunDropsTheCachedTranslations() {
        // The NTLB and TLB are warm when a frame is taken away while the vCPU runs: without the flush the vCPU
        // would keep using the freed host frame and never fault.
        Snapshot s = run((m, scheduler) -> {
            long gpa = dataFrame(m, 0x7f00_0000_5000L);
            scheduler.schedule(200_000, () -> m.hypervisor().reclaim(gpa));
        });
        assertEquals(1, s.walks().nestedFaults());
        assertEquals(1, s.cpu().exits(ExitCause.NESTED_FAULT));
    }
}
