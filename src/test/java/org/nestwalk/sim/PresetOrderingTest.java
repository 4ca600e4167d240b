package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.workload.Preset;
import org.nestwalk.workload.Presets;

/**
 * The orderings the mechanisms imply (reference/mechanisms.md): shadow paging wins when TLB misses dominate and the
 * guest rarely touches its page tables, nested paging when it often does; a flat nested dimension never needs more
 * references than a radix one.
 */
class PresetOrderingTest {
    private static RunResult run(String mode, String preset) {
        return Simulation.run(TestSpecs.spec(mode, preset, 300_000, 100_000, 1));
    }

    @Test
    void onGupsShadowBeatsNested() {
        RunResult shadow = run("shadow", "gups");
        RunResult nested = run("nested", "gups");
        assertTrue(shadow.cycles() < nested.cycles(), shadow.cycles() + " vs " + nested.cycles());
    }

    @Test
    void onForkHeavyNestedBeatsShadow() {
        RunResult shadow = run("shadow", "fork-heavy");
        RunResult nested = run("nested", "fork-heavy");
        assertTrue(nested.cycles() < shadow.cycles(), nested.cycles() + " vs " + shadow.cycles());
    }

    @Test
    void flatNestedNeverMakesMoreReferencesPerWalkThanNested() {
        for (Preset p : Presets.all()) {
            RunResult flat = Simulation.run(TestSpecs.spec("flat-nested", p.name(), 100_000, 20_000, 1,
                    "workload.footprint", "64MiB"));
            RunResult nested = Simulation.run(TestSpecs.spec("nested", p.name(), 100_000, 20_000, 1,
                    "workload.footprint", "64MiB"));
            assertTrue(flat.referencesPerWalk() <= nested.referencesPerWalk(), p.name() + ": "
                    + flat.referencesPerWalk() + " vs " + nested.referencesPerWalk());
        }
    }
}
