package org.nestwalk.cli;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import picocli.CommandLine.Option;

/** Options every simulating command shares: the seed and parameter overrides. */
final class CommonOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Experiment seed: fixes every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Changes a parameter, e.g. --set tlb.l2.entries=1024 (repeatable; 'nestwalk params' "
                    + "lists every key and its default).")
    List<String> assignments = new ArrayList<>();

    /** The defaults, with the workload preset applied, then the user's --set values. */
    Settings settings(String workload) {
        return withAssignments(WorkloadConfig.withPreset(Settings.defaults(), workload));
    }

    /** The defaults for replaying {@code trace} (first touches fault: no prefaulting), then the --set values. */
    Settings traceSettings(java.nio.file.Path trace) {
        return withAssignments(Settings.defaults().with("workload.trace", trace.toString(), "--trace")
                .with("workload.prefault", "false", "--trace"));
    }

    private Settings withAssignments(Settings base) {
        Settings s = base;
        for (String a : assignments) {
            s = s.withAssignment(a, "--set " + a);
        }
        return s;
    }
}
