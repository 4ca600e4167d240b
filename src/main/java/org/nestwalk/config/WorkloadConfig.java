package org.nestwalk.config;

import java.util.Locale;
import org.nestwalk.workload.AccessPattern;
import org.nestwalk.workload.Preset;
import org.nestwalk.workload.Presets;
import org.nestwalk.workload.WorkloadSpec;

/** Builds the {@link WorkloadSpec} that the {@code workload.*} settings describe. */
public final class WorkloadConfig {
    private WorkloadConfig() {
    }

    /** The settings with the named preset applied (before the user's own overrides). */
    public static Settings withPreset(Settings base, String presetName) {
        Preset p;
        try {
            p = Presets.get(presetName);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Settings s = base;
        for (var e : p.settings().entrySet()) {
            s = s.with(e.getKey(), e.getValue(), "workload preset '" + p.name() + "'");
        }
        return s;
    }

    /** The workload described by {@code s}, named {@code name}. */
    public static WorkloadSpec from(Settings s, String name) {
        long footprint = s.size("workload.footprint");
        if (footprint % 4096 != 0) {
            throw s.problem("workload.footprint", "expected a multiple of 4KiB");
        }
        long stride = s.size("workload.stride");
        if (stride % 8 != 0) {
            throw s.problem("workload.stride", "expected a multiple of 8 bytes");
        }
        if (footprint > s.size("memory.guest")) {
            throw s.problem("workload.footprint", "does not fit in the VM's memory (memory.guest = "
                    + s.text("memory.guest") + ")");
        }
        long mmapSize = s.size("workload.mmapSize");
        if (mmapSize % 4096 != 0) {
            throw s.problem("workload.mmapSize", "expected a multiple of 4KiB");
        }
        return new WorkloadSpec(name, AccessPattern.valueOf(s.choice("workload.pattern").toUpperCase(Locale.ROOT)),
                footprint, s.real("workload.writeFraction"), s.intValue("workload.instructionsPerRef"), stride,
                s.real("workload.zipfExponent"), s.flag("workload.prefault"), s.integer("workload.lifetime"),
                s.intValue("workload.concurrency"), s.integer("workload.forkEvery"),
                s.integer("workload.childReferences"), s.integer("workload.mmapEvery"), mmapSize,
                s.integer("workload.remapEvery"));
    }
}
