package org.nestwalk.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.workload.Presets;
import org.nestwalk.workload.SyntheticWorkload;
import org.nestwalk.workload.TraceThreads;
import org.nestwalk.workload.TraceWorkload;
import org.nestwalk.workload.Workload;
import org.nestwalk.workload.WorkloadSpec;

/**
 * What each VM of a consolidated machine runs ({@code machine.vmWorkloads}): the run's own workload, a named
 * workload preset of its own, or a trace of its own ({@code trace:FILE}), so that VMs of different character can
 * share the LLC and the memory controller.
 */
public final class VmWorkloads {
    static final String SAME = "same";
    static final String RUNS_OWN = "-";
    /** The prefix of an entry that names a trace for the VM to replay. */
    public static final String TRACE = "trace:";

    private VmWorkloads() {
    }

    /** The entries of the setting, one per VM, checked against {@code machine.vms}; "-" where a VM runs the run's. */
    public static List<String> entries(Settings s) {
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
                throw s.problem("machine.vmWorkloads", "an empty entry in '" + raw + "': expected '-', a workload"
                        + " preset's name or trace:FILE for each VM, separated by commas");
            }
            if (name.startsWith(TRACE)) {
                if (name.length() == TRACE.length()) {
                    throw s.problem("machine.vmWorkloads", "entry '" + name + "' names no file: expected trace:FILE");
                }
            } else if (!name.equals(RUNS_OWN)) {
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

    /** The trace VM {@code v} replays if its entry names one ({@code trace:FILE}), or null. */
    public static Path trace(List<String> entries, int v) {
        String name = entries.get(v);
        return name.startsWith(TRACE) ? Path.of(name.substring(TRACE.length())) : null;
    }

    /** The workload VM {@code v} runs if it names a preset; null if it runs the run's own or a trace. */
    static WorkloadSpec spec(Settings s, List<String> entries, int v) {
        String name = entries.get(v);
        if (name.equals(RUNS_OWN) || name.startsWith(TRACE)) {
            return null;
        }
        return WorkloadConfig.from(WorkloadConfig.withPreset(s, name), name);
    }

    /**
     * The names each VM's workload goes by in results, VM order: {@code own} (the run's workload's name) for '-', the
     * preset's name, or the trace's file name.
     */
    public static List<String> names(Settings s, String own) {
        List<String> entries = entries(s);
        List<String> names = new ArrayList<>(entries.size());
        for (int v = 0; v < entries.size(); v++) {
            Path trace = trace(entries, v);
            String e = entries.get(v);
            names.add(e.equals(RUNS_OWN) ? own : trace != null ? String.valueOf(trace.getFileName()) : e);
        }
        return names;
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

    /**
     * The workloads of a run's machine: for each VM, one per vCPU (a copy of the synthetic generator each, the
     * threads of one program, or a trace each vCPU replays), and whether the VM's footprint is mapped before the run.
     *
     * @param perVm    each VM's workloads, one per vCPU
     * @param prefault whether each VM's workload maps its footprint before the run ({@code workload.prefault})
     */
    record Chosen(List<List<Workload>> perVm, boolean[] prefault) {
    }

    /** Chooses every VM's workloads for {@code spec}: the run's, or each VM's own ({@code machine.vmWorkloads}). */
    static Chosen choose(RunSpec spec) {
        String trace = spec.settings().choice("workload.trace");
        int n = spec.machine().vcpus();
        int vms = spec.settings().intValue("machine.vms");
        int threads = spec.settings().intValue("workload.threads");
        long mprotectEvery = spec.settings().integer("workload.mprotectEvery");
        List<String> entries = entries(spec.settings());
        Workload traced = null;
        if (!trace.equals("none") && entries.contains(RUNS_OWN)) {
            traced = openTrace(Path.of(trace), spec);
        } else if (trace.equals("none") && spec.settings().choice("workload.traceThreads").equals("per-vcpu")) {
            // Refused, naming the key: there is no trace whose threads to replay.
            TraceThreads.of(null, spec.settings());
        }
        RandomStreams streams = new RandomStreams(spec.seed(), spec.replication());
        List<List<Workload>> perVm = new ArrayList<>(vms);
        boolean[] prefault = new boolean[vms];
        Map<Path, Workload> vmTraces = new HashMap<>();
        int offset = spec.settings().intValue("machine.vmOffset");
        for (int v = 0; v < vms; v++) {
            // VM 0's streams keep their names, so that one VM sees the numbers it always saw; VM v's are its own,
            // whether it runs beside others or alone (machine.vmOffset).
            String vm = v + offset == 0 ? "" : "vm" + (v + offset) + ".";
            WorkloadSpec own = spec(spec.settings(), entries, v);
            WorkloadSpec w = own == null ? spec.workload() : own;
            if (threads > 0 && (w.lifetime() > 0 || w.forkEvery() > 0)) {
                throw spec.settings().problem("workload.threads", "the threads of a program neither exit nor fork:"
                        + " set workload.lifetime and workload.forkEvery to 0" + (own == null ? ""
                        : " (VM " + v + "'s preset " + w.name() + " sets them)"));
            }
            Path vmTrace = trace(entries, v);
            // A trace of the VM's own is read once however many VMs replay it; its pages come from its PRESENT
            // ranges and demand faults, as the run's own trace's do in experiments.
            Workload replayed = vmTrace != null ? vmTraces.computeIfAbsent(vmTrace, f -> openTrace(f, spec))
                    : own == null ? traced : null;
            prefault[v] = vmTrace == null && w.prefault();
            List<Workload> workloads = new ArrayList<>(n);
            if (replayed != null) {
                // Read once; each vCPU replays the trace from its start, in a process of its own (or, per-vcpu,
                // the threads of its first process share one, thread i on vCPU i modulo the vCPUs).
                for (int c = 0; c < n; c++) {
                    workloads.add(replayed);
                }
            } else if (threads > 0) {
                // One program whose threads share an address space, thread i on vCPU i modulo the vCPUs.
                Workload t = new SyntheticWorkload(w, streams, vm, threads, mprotectEvery);
                for (int c = 0; c < n; c++) {
                    workloads.add(t);
                }
            } else {
                for (int c = 0; c < n; c++) {
                    workloads.add(new SyntheticWorkload(w, streams, vm + (c == 0 ? "" : "cpu" + c + "."), 0,
                            mprotectEvery));
                }
            }
            perVm.add(workloads);
        }
        return new Chosen(perVm, prefault);
    }

    /** A trace a VM replays of its own, opened as the run's trace is. */
    private static Workload openTrace(Path file, RunSpec spec) {
        TraceWorkload t = TraceWorkload.open(file, spec.settings().size("memory.guest"),
                spec.machine().l1Itlb() != null);
        return spec.settings().choice("workload.traceThreads").equals("per-vcpu")
                ? TraceThreads.of(t, spec.settings()) : t;
    }
}
