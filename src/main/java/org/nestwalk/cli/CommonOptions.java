package org.nestwalk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.experiment.Experiment.Setting;
import org.nestwalk.experiment.ExperimentFile;
import picocli.CommandLine.Option;

/** Options every simulating command shares: the seed, a machine file and parameter overrides. */
final class CommonOptions {
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Experiment seed: fixes every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--machine", paramLabel = "FILE.yaml",
            description = "Parameters from a file of 'key: value' lines, the keys of an experiment's 'machine:' "
                    + "(applied after the workload preset and before --set).")
    Path machine;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Changes a parameter, e.g. --set tlb.l2.entries=1024 (repeatable; 'nestwalk params' "
                    + "lists every key and its default).")
    List<String> assignments = new ArrayList<>();

    /** The machine file's settings, read once. */
    private Map<String, Setting> machineSettings;

    /** The defaults, with the workload preset applied, then the machine file, then the user's --set values. */
    Settings settings(String workload) {
        return withAssignments(WorkloadConfig.withPreset(Settings.defaults(), workload));
    }

    /** The defaults for replaying {@code trace} (first touches fault: no prefaulting), then the machine file and --set. */
    Settings traceSettings(Path trace) {
        return withAssignments(Settings.defaults().with("workload.trace", trace.toString(), "--trace")
                .with("workload.prefault", "false", "--trace"));
    }

    private Settings withAssignments(Settings base) {
        Settings s = base;
        if (machine != null) {
            if (machineSettings == null) {
                machineSettings = ExperimentFile.readMachine(machine);
            }
            for (Map.Entry<String, Setting> e : machineSettings.entrySet()) {
                s = s.with(e.getKey(), e.getValue().value(), e.getValue().source());
            }
        }
        for (String a : assignments) {
            s = s.withAssignment(a, "--set " + a);
        }
        return s;
    }
}
