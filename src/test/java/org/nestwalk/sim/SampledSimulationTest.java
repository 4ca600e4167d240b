package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.stats.Estimate;

/** Sampled simulation: where the units go, what functional warming keeps exact, and the estimate's arithmetic. */
class SampledSimulationTest {

    @Test
    void unitsArePlacedAsThePlanSaysAndTheRegionIsExact() {
        RunSpec spec = TestSpecs.spec("nested", "zipf", 1_000_000, 100_000, 3, "workload.footprint", "64MiB");
        SamplingPlan plan = new SamplingPlan(5_000, 1_000, 100_000, 2, 0);
        SampledResult s = Simulation.sampled(spec, plan, null);
        // Units start at 100,000 + k x 100,000 and end 6,000 later: k = 0..8 fit before 1,000,000.
        assertEquals(9, s.units().size());
        for (Snapshot u : s.units()) {
            assertEquals(5_000, u.cpu().references());
            assertEquals(u.time(), u.cpu().accountedCycles());
        }
        assertEquals(9 * 6_000, s.detailedReferences());
        RunResult detailed = Simulation.run(spec);
        assertEquals(900_000, s.region().cpu().references());
        assertEquals(detailed.instructions(), s.region().cpu().instructions());
        assertTrue(!s.stoppedEarly());
        // The estimate is the mean of the units' cycles per instruction with a Student-t interval.
        double[] cpi = s.units().stream().mapToDouble(u -> (double) u.time() / u.cpu().instructions()).toArray();
        double mean = java.util.Arrays.stream(cpi).average().orElseThrow();
        double var = java.util.Arrays.stream(cpi).map(x -> (x - mean) * (x - mean)).sum() / (cpi.length - 1);
        double hw = new TDistribution(cpi.length - 1).inverseCumulativeProbability(0.975) * Math.sqrt(var / 9);
        Estimate e = s.cpi();
        assertEquals(mean, e.mean(), 1e-12);
        assertEquals(hw, e.halfWidth(), 1e-9);
        assertEquals(mean * s.region().cpu().instructions(), s.estimatedCycles(), 1e-3);
    }

    @Test
    void functionalWarmingLeavesEveryTableAsADetailedRunDoes() {
        // A core that stops at each miss changes its translation and cache state in program order whether it is
        // timed or not: with no timer interrupt (whose moment depends on time), a sampled run's whole region must
        // make exactly the lookups, misses, faults and table writes of the detailed run.
        for (String mode : new String[] {"native", "nested", "flat-nested", "shadow"}) {
            RunSpec spec = TestSpecs.spec(mode, "gcc-like", 300_000, 50_000, 2, "core.walkOverlap", "none",
                    "guest.quantum", String.valueOf(1L << 40));
            Map<String, Long> detailed = state(Simulation.run(spec).interval());
            Map<String, Long> sampled = state(Simulation.sampled(spec, new SamplingPlan(4_000, 1_000, 40_000, 2, 0),
                    null).region());
            assertTrue(detailed.get("guest.pageFaults") > 100, mode + ": the workload faults");
            assertEquals(detailed, sampled, mode);
        }
    }

    /** The counters that state transitions alone decide, not time. */
    private static Map<String, Long> state(Snapshot s) {
        Map<String, Long> m = new TreeMap<>();
        s.counters().forEach((k, v) -> {
            if (k.startsWith("cache.") || k.startsWith("pwc.") || k.startsWith("ntlb.") || k.startsWith("guest.")
                    || k.equals("cpu.references") || k.equals("cpu.instructions") || k.equals("cpu.stores")
                    || k.equals("cpu.tlbLookups") || k.equals("cpu.l1TlbMisses") || k.equals("cpu.tlbMisses")
                    || k.equals("cpu.pageFaults") || k.startsWith("cpu.exits.") || k.startsWith("cpu.data.")) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Test
    void theSameSeedGivesTheSameSample() {
        RunSpec spec = TestSpecs.spec("spec-shadow", "fork-heavy", 400_000, 50_000, 7, "workload.forkEvery", "30000",
                "workload.childReferences", "5000", "mmu.walkers", "2");
        SamplingPlan plan = new SamplingPlan(5_000, 2_000, 30_000, 2, 0);
        SampledResult a = Simulation.sampled(spec, plan, null);
        SampledResult b = Simulation.sampled(spec, plan, null);
        assertEquals(a.units().size(), b.units().size());
        for (int i = 0; i < a.units().size(); i++) {
            assertEquals(a.units().get(i).counters(), b.units().get(i).counters());
        }
        assertEquals(a.region().counters(), b.region().counters());
    }

    @Test
    void theStoppingRuleEndsTheRunOnceTheIntervalIsNarrowEnough() {
        RunSpec spec = TestSpecs.spec("nested", "zipf", 2_000_000, 100_000, 3, "workload.footprint", "64MiB");
        SampledResult s = Simulation.sampled(spec, new SamplingPlan(5_000, 1_000, 20_000, 5, 0.5), null);
        // Units of a stationary workload agree within far less than 50 %: the rule stops at the fifth.
        assertTrue(s.stoppedEarly());
        assertEquals(5, s.units().size());
        assertTrue(s.cpi().relativeHalfWidth() <= 0.5);
        assertTrue(s.region().cpu().references() < 1_900_000);
    }
}
