package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.workload.Presets;
import org.nestwalk.workload.WorkloadSpec;

/**
 * What each VM of a consolidated machine runs ({@code machine.vmWorkloads}): the run's own workload, or a named
 * workload preset of its own, so that VMs of different character can share the LLC and the memory controller.
 */
final class VmWorkloads {
    static final String SAME = "same";
    static final String RUNS_OWN = "-";

    private VmWorkloads() {
    }

    /** The entries of the setting, one per VM, checked against {@code machine.vms}; "-" where a VM runs the run's. */
    static List<String> entries(Settings s) {
        int vms = s.intValue("machine.vms");
        String raw = s.text("machine.vmWorkloads").strip();
        List<String> l = new ArrayList<>(vms);
        if (raw.equals(SAME)) {
            for (int v = 0; v < vms; v++) {
                l.add(RUNS_OWN);
            }
            return l;
        }
        for (String e : raw.split(",", -1)) {
            String name = e.strip();
            if (name.isEmpty()) {
                throw s.problem("machine.vmWorkloads", "an empty entry in '" + raw + "': expected '-' or a workload"
                        + " preset's name for each VM, separated by commas");
            }
            if (!name.equals(RUNS_OWN)) {
                try {
                    Presets.get(name);
                } catch (IllegalArgumentException x) {
                    throw s.problem("machine.vmWorkloads", "entry '" + name + "': " + x.getMessage());
                }
            }
            l.add(name);
        }
        if (l.size() != vms) {
            throw s.problem("machine.vmWorkloads", l.size() + " entries for " + vms + " VMs (machine.vms): expected"
                    + " one per VM, or 'same'");
        }
        return l;
    }

    /** The workload VM {@code v} runs if it names a preset; null if it runs the run's own. */
    static WorkloadSpec spec(Settings s, List<String> entries, int v) {
        String name = entries.get(v);
        if (name.equals(RUNS_OWN)) {
            return null;
        }
        return WorkloadConfig.from(WorkloadConfig.withPreset(s, name), name);
    }

    /** The name VM {@code v}'s workload goes by in results. */
    static String name(RunSpec spec, List<String> entries, int v) {
        String name = entries.get(v);
        return name.equals(RUNS_OWN) ? spec.workload().name() : name;
    }

    /**
     * The spec of VM {@code v} alone: the same machine with that VM only (its number, so its random streams, and its
     * workload), the whole LLC, DRAM and host memory its own.
     */
    static RunSpec alone(RunSpec spec, int v) {
        Settings s = spec.settings();
        List<String> entries = entries(s);
        int number = s.intValue("machine.vmOffset") + v;
        String source = "the solo run of VM " + number;
        Settings a = s.with("machine.vms", "1", source)
                .with("machine.vmOffset", Integer.toString(number), source)
                .with("machine.vmWorkloads", entries.get(v), source)
                .with("machine.aloneRuns", "false", source);
        return new RunSpec(spec.mode(), a, MachineConfig.from(a), spec.workload(), spec.seed(), spec.replication(),
                spec.references(), spec.warmupReferences());
    }
}
