package org.nestwalk.cli;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.MachinePresets;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import picocli.CommandLine.Option;

/** Options every simulating command shares: the seed, a machine preset and parameter overrides. */
final class CommonOptions {
    @Option(names = "--machine", paramLabel = "NAME",
            description = "A named machine whose values replace the defaults before the workload's preset and --set: "
                    + "modern (Intel-style paging-structure caches, a 2048-entry L2 TLB, 4 walkers; 'nestwalk "
                    + "params' lists its values and their sources). Default: the 2012-era machine of the defaults.")
    String machine;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Experiment seed: fixes every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Changes a parameter, e.g. --set tlb.l2.entries=1024 (repeatable; 'nestwalk params' "
                    + "lists every key and its default).")
    List<String> assignments = new ArrayList<>();

    /** The defaults, with the machine and workload presets applied, then the user's --set values. */
    Settings settings(String workload) {
        return withAssignments(WorkloadConfig.withPreset(base(), workload));
    }

    /** The defaults for replaying {@code trace} (first touches fault: no prefaulting), then the --set values. */
    Settings traceSettings(java.nio.file.Path trace) {
        return withAssignments(base().with("workload.trace", trace.toString(), "--trace")
                .with("workload.prefault", "false", "--trace"));
    }

    /** The defaults, or the named machine's values. */
    private Settings base() {
        return machine == null ? Settings.defaults() : MachinePresets.apply(Settings.defaults(), machine);
    }

    private Settings withAssignments(Settings base) {
        Settings s = base;
        for (String a : assignments) {
            s = s.withAssignment(a, "--set " + a);
        }
        return s;
    }
}
