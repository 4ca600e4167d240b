package org.nestwalk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.MachinePresets;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.experiment.Experiment.Setting;
import org.nestwalk.experiment.ExperimentFile;
import picocli.CommandLine.Option;

/** Options every simulating command shares: the seed, a machine (named, or a file) and parameter overrides. */
final class CommonOptions {
    @Option(names = "--machine", paramLabel = "NAME|FILE.yaml",
            description = "A named machine whose values replace the defaults before the workload's preset: modern "
                    + "(Intel-style paging-structure caches, a 2048-entry L2 TLB, 4 walkers; 'nestwalk params' lists "
                    + "its values and their sources); or a file of 'key: value' lines, the keys of an experiment's "
                    + "'machine:' (it may start with 'preset: NAME'), applied after the workload preset. --set comes "
                    + "last. Default: the 2012-era machine of the defaults.")
    String machine;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Experiment seed: fixes every random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Changes a parameter, e.g. --set tlb.l2.entries=1024 (repeatable; 'nestwalk params' "
                    + "lists every key and its default).")
    List<String> assignments = new ArrayList<>();

    /** The machine file's settings, read once. */
    private Map<String, Setting> machineSettings;

    /**
     * Whether --machine names a preset rather than a file. A value that is neither a known name nor looks like a
     * file (no .yaml or .yml, no such file) is reported as an unknown machine, with the known names.
     */
    private boolean namedMachine() {
        if (machine == null) {
            return false;
        }
        if (MachinePresets.all().stream().anyMatch(p -> p.name().equalsIgnoreCase(machine.trim()))) {
            return true;
        }
        String m = machine.trim();
        if (!m.endsWith(".yaml") && !m.endsWith(".yml") && !java.nio.file.Files.exists(Path.of(m))) {
            MachinePresets.get(m);
        }
        return false;
    }

    /**
     * The defaults (or the named machine's values), with the workload preset applied, then the machine file, then
     * the user's --set values.
     */
    Settings settings(String workload) {
        return withAssignments(WorkloadConfig.withPreset(base(), workload));
    }

    /** The defaults for replaying {@code trace} (first touches fault: no prefaulting), then the machine file and --set. */
    Settings traceSettings(Path trace) {
        return withAssignments(base().with("workload.trace", trace.toString(), "--trace")
                .with("workload.prefault", "false", "--trace"));
    }

    /** The defaults, or the named machine's values. */
    private Settings base() {
        return namedMachine() ? MachinePresets.apply(Settings.defaults(), machine) : Settings.defaults();
    }

    private Settings withAssignments(Settings base) {
        Settings s = base;
        if (machine != null && !namedMachine()) {
            if (machineSettings == null) {
                machineSettings = ExperimentFile.readMachine(Path.of(machine));
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
