package org.nestwalk;

import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.walk.ModeKind;

/** Builds run specs for tests: a mode, a workload preset and parameter overrides as key, value pairs. */
public final class TestSpecs {
    private TestSpecs() {
    }

    public static Settings settings(String workload, String... keyValues) {
        Settings s = WorkloadConfig.withPreset(Settings.defaults(), workload);
        for (int i = 0; i < keyValues.length; i += 2) {
            s = s.with(keyValues[i], keyValues[i + 1], "test");
        }
        return s;
    }

    public static RunSpec spec(String mode, String workload, long references, long warmup, long seed,
                               String... keyValues) {
        return RunSpec.of(ModeKind.parse(mode), settings(workload, keyValues), workload, seed, 0, references,
                warmup);
    }

    public static RunSpec spec(String mode, String workload, String... keyValues) {
        return spec(mode, workload, 100_000, 0, 1, keyValues);
    }
}
