package org.nestwalk.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Scheduler;
import org.nestwalk.sim.SimModel;
import org.nestwalk.sim.Snapshot;
import org.nestwalk.workload.SyntheticStream;

/** A guest frame whose host frame was taken away: the next walk that needs it ends in a nested fault. */
class NestedFaultTest {
    @Test
    void aReclaimedFrameFaultsOnceAndIsBackedAgain() {
        RunSpec spec = TestSpecs.spec("nested", "random", 50_000, 0, 1, "workload.footprint", "64KiB");
        Snapshot[] result = new Snapshot[1];
        boolean[] backedAfter = new boolean[1];
        SimModel model = new SimModel() {
            Machine m;
            long gpa;

            @Override
            public void construct(Scheduler scheduler) {
                var workload = SyntheticStream.of(spec.workload(), new RandomStreams(1, 0));
                m = Machine.build(spec, scheduler, workload, List.of(), new VCpu.Observer() {
                    @Override
                    public void warmupEnded(long time) {
                    }

                    @Override
                    public void finished(long time) {
                        result[0] = m.snapshot(time);
                        backedAfter[0] = m.hypervisor().isBacked(gpa);
                        scheduler.finish();
                    }
                });
                gpa = m.process().table().lookup(0x7f00_0000_3000L).pageBase();
                assertTrue(m.hypervisor().isBacked(gpa));
                m.hypervisor().reclaim(gpa);
                assertFalse(m.hypervisor().isBacked(gpa));
                m.start();
            }
        };
        ReplicationRunner.run("nested-fault", model, 1, 60);
        Snapshot s = result[0];
        assertEquals(1, s.walks().nestedFaults());
        assertEquals(1, s.cpu().exits(ExitCause.NESTED_FAULT));
        assertEquals(1, s.cpu().walkRetries());
        assertEquals(0, s.cpu().pageFaults());
        assertTrue(backedAfter[0]);
    }

    @Test
    void reclaimingAFrameMidRunDropsTheCachedTranslations() {
        // Warm the NTLB and TLB on 16 pages, then take one frame away while the vCPU runs: without the flush the
        // vCPU would keep using the freed host frame and never fault.
        RunSpec spec = TestSpecs.spec("nested", "random", 200_000, 0, 1, "workload.footprint", "64KiB");
        Snapshot[] result = new Snapshot[1];
        SimModel model = new SimModel() {
            Machine m;

            @Override
            public void construct(Scheduler scheduler) {
                var workload = SyntheticStream.of(spec.workload(), new RandomStreams(1, 0));
                m = Machine.build(spec, scheduler, workload, List.of(), new VCpu.Observer() {
                    @Override
                    public void warmupEnded(long time) {
                    }

                    @Override
                    public void finished(long time) {
                        result[0] = m.snapshot(time);
                        scheduler.finish();
                    }
                });
                long gpa = m.process().table().lookup(0x7f00_0000_5000L).pageBase();
                scheduler.schedule(200_000, () -> m.hypervisor().reclaim(gpa));
                m.start();
            }
        };
        ReplicationRunner.run("reclaim", model, 1, 60);
        assertEquals(1, result[0].walks().nestedFaults());
        assertEquals(1, result[0].cpu().exits(ExitCause.NESTED_FAULT));
    }
}
