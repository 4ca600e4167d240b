package org.nestwalk.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.sim.MachineRun;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.sim.Snapshot;
import org.nestwalk.walk.TableKind;

/** Speculative inverted shadow paging: when speculation is right, when it is not, and what a squash costs. */
class SpeculationTest {

    @Test
    void withoutRemappingEverySpeculationIsRight() {
        RunResult r = Simulation.run(TestSpecs.spec("spec-shadow", "random", 200_000, 50_000, 1,
                "workload.footprint", "256MiB"));
        VCpuStats c = r.interval().cpu();
        assertTrue(c.speculations() > 100_000, "speculations: " + c.speculations());
        assertEquals(0, c.misspeculations());
        assertEquals(0, c.squashCycles());
        assertEquals(r.cycles(), c.accountedCycles());
    }

    @Test
    void aWorkloadThatOnlyMapsNewPagesNeverMisSpeculates() {
        // gcc-like faults pages in and writes page tables all the time, but never remaps a page nor copies one on
        // write: every ISPT entry it finds is right. Until a parallel probe's end became an event of its own, a walk
        // whose verification ended inline before its (later) probe freed the walker early, and the probe's pending
        // speculation event then served the next walk on that walker, before that walk's own probe: 9 "mis-
        // speculations" in this run. The walker now also refuses to deliver a speculation before its probe is back.
        Snapshot s = Simulation.run(TestSpecs.spec("spec-shadow", "gcc-like", 200_000, 0, 1)).interval();
        assertTrue(s.guest().pageFaults() > 1_000, "page faults: " + s.guest().pageFaults());
        assertTrue(s.guest().tableWrites() > 1_000, "page-table writes: " + s.guest().tableWrites());
        assertEquals(0, s.guest().remaps());
        assertEquals(0, s.guest().copyOnWriteFaults());
        assertTrue(s.cpu().speculations() > 1_000, "speculations: " + s.cpu().speculations());
        assertEquals(0, s.cpu().misspeculations());
        assertEquals(s.time(), s.cpu().accountedCycles());
    }

    @Test
    void remappingAPageTheIsptKnowsMisSpeculatesExactlyOnce() {
        // Sixteen pages fit the L1 dTLB: after the first touches nothing walks, until one page is remapped (its TLB
        // entry invalidated). Its next touch misses, the ISPT still gives the old frame, the verification the new.
        Snapshot s = Simulation.run(TestSpecs.spec("spec-shadow", "random", 70_000, 0, 1, "workload.footprint",
                "64KiB", "workload.remapEvery", "50000")).interval();
        assertEquals(1, s.guest().remaps());
        assertEquals(1, s.cpu().misspeculations());
        assertEquals(s.time(), s.cpu().accountedCycles());
        assertTrue(s.cpu().squashCycles() >= 30, "the squash penalty at least");
    }

    @Test
    void theSameRemapUnderFlatNestedPagingCostsNoSquash() {
        Snapshot s = Simulation.run(TestSpecs.spec("flat-nested", "random", 70_000, 0, 1, "workload.footprint",
                "64KiB", "workload.remapEvery", "50000")).interval();
        assertEquals(1, s.guest().remaps());
        assertEquals(0, s.cpu().speculations());
        assertEquals(0, s.cpu().squashCycles());
    }

    @Test
    void copyOnWriteMakesIsptEntriesStale() {
        Snapshot s = Simulation.run(TestSpecs.spec("spec-shadow", "fork-heavy", 400_000, 0, 1)).interval();
        assertTrue(s.guest().copyOnWriteFaults() > 0);
        assertTrue(s.cpu().misspeculations() > 0);
        assertTrue(s.cpu().squashedReferences() > 0);
        assertEquals(s.time(), s.cpu().accountedCycles());
    }

    @Test
    void anIsptMissPutsTheWholeWalkOnTheCriticalPath() {
        // 16 pages, each walked once (an ISPT miss: no speculation), then TLB hits. With the probe in front of the
        // verification the requester waits for both; issued together, it waits for the walk alone.
        Snapshot after = isptMisses("after-probe");
        assertEquals(16, after.walks().walks());
        assertEquals(0, after.walks().speculative());
        assertEquals(0, after.cpu().speculations());
        assertEquals(after.walks().references(), after.walks().criticalReferences());
        Snapshot parallel = isptMisses("parallel");
        assertEquals(16, parallel.walks().walks());
        assertEquals(0, parallel.walks().speculative());
        assertEquals(16, parallel.walks().references(TableKind.ISPT));
        assertEquals(parallel.walks().references() - 16, parallel.walks().criticalReferences());
    }

    private static Snapshot isptMisses(String verify) {
        return MachineRun.of(TestSpecs.spec("spec-shadow", "random", 20_000, 0, 1, "workload.footprint", "64KiB",
                "spec.verify", verify), (m, s) -> m.hypervisor().ispt().clear()).end();
    }

    @Test
    void specShadowNeverTrapsToKeepItsTablesInSync() {
        Snapshot s = Simulation.run(TestSpecs.spec("spec-shadow", "gcc-like", 300_000, 0, 1)).interval();
        assertTrue(s.guest().tableWrites() > 1000);
        for (ExitCause c : ExitCause.values()) {
            if (c != ExitCause.NESTED_FAULT) {
                assertEquals(0, s.cpu().exits(c), c.label());
            }
        }
    }
}
