package org.nestwalk.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.VmWorkloads;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.walk.ModeKind;

/**
 * One point of an experiment's design: a mode, a workload and a value for every factor, with every parameter
 * resolved. Its replications differ only in their random streams.
 *
 * @param id       stable name of the configuration: its readable prefix and a hash of everything that determines
 *                 its runs, so a changed parameter never reuses another configuration's results
 * @param mode     the translation mode
 * @param workload the workload's name in the experiment
 * @param factors  the value of each factor, as written in the file
 * @param settings every parameter's value
 */
public record Configuration(String id, ModeKind mode, String workload, Map<String, String> factors,
                            Settings settings) {
    public Configuration {
        factors = Experiment.ordered(factors);
    }

    /** Replication {@code replication} of this configuration, {@code references} long. */
    public RunSpec spec(long seed, int replication, long references, long warmupReferences) {
        return new RunSpec(mode, settings, MachineConfig.from(settings), WorkloadConfig.from(settings, workload),
                seed, replication, references, warmupReferences);
    }

    /** The key under which a row records its trace's {@linkplain TraceReader#identity identity}. */
    static final String TRACE_IDENTITY = "trace.identity";

    /**
     * What a row of this configuration records as its parameters: every parameter's value and, for a trace
     * workload, the trace's identity.
     */
    public Map<String, String> recordedParameters() {
        Map<String, String> p = settings.asText();
        traceIdentity().ifPresent(id -> p.put(TRACE_IDENTITY, id));
        p.putAll(vmTraceIdentities());
        return p;
    }

    /**
     * The identities of the traces VMs replay of their own ({@code machine.vmWorkloads} entries {@code trace:FILE}),
     * under {@code trace.identity.vm<k>}: a trace captured again at the same path is another.
     */
    private Map<String, String> vmTraceIdentities() {
        Map<String, String> ids = new LinkedHashMap<>();
        List<String> entries = VmWorkloads.entries(settings);
        for (int v = 0; v < entries.size(); v++) {
            Path trace = VmWorkloads.trace(entries, v);
            if (trace != null) {
                int vm = v;
                TraceReader.identity(trace).ifPresent(id -> ids.put(TRACE_IDENTITY + ".vm" + vm, id));
            }
        }
        return ids;
    }

    private Optional<String> traceIdentity() {
        String trace = settings.text("workload.trace");
        return trace.equals(Settings.defaults().text("workload.trace")) ? Optional.empty()
                : TraceReader.identity(Path.of(trace));
    }

    /**
     * Whether a stored row is a run of this configuration as it is now: it names this configuration's mode, workload
     * and factor values, every parameter the row recorded has the value this configuration gives it, and every
     * parameter the row does not know (one added since) is at its default. A row made before a default changed is therefore not reused. A trace workload's row must also have
     * been made from the trace as it is now (a trace captured again at the same path is another), when the trace
     * is there to tell (merging results without their traces accepts the rows).
     */
    public boolean accepts(RunRecord r) {
        return acceptor().test(r);
    }

    /**
     * {@link #accepts} for many rows: what the rows are compared with (every parameter's value, the trace's
     * identity, read from its file) is worked out once.
     */
    public Predicate<RunRecord> acceptor() {
        Optional<String> trace = traceIdentity();
        Map<String, String> vmTraces = vmTraceIdentities();
        Map<String, String> now = settings.asText();
        Map<String, String> defaults = Settings.defaults().asText();
        String modeLabel = mode.label();
        return r -> {
            if (r.parameters() == null || !modeLabel.equals(r.mode()) || !workload.equals(r.workload())
                    || !factors.equals(r.factors() == null ? Map.of() : r.factors())) {
                return false;
            }
            if (trace.isPresent() && !trace.get().equals(r.parameters().get(TRACE_IDENTITY))) {
                return false;
            }
            for (var e : vmTraces.entrySet()) {
                if (!e.getValue().equals(r.parameters().get(e.getKey()))) {
                    return false;
                }
            }
            for (var e : now.entrySet()) {
                String stored = r.parameters().get(e.getKey());
                if (stored == null ? !e.getValue().equals(defaults.get(e.getKey())) : !stored.equals(e.getValue())) {
                    return false;
                }
            }
            return true;
        };
    }

    /**
     * What differs between this configuration's replications (replication r draws the random streams of
     * (seed, r)), as {@code summary.csv}'s {@code variation} column names it: {@code streams} (the synthetic
     * workload's addresses, stores and OS activity), {@code regions} (the order 2 MiB regions of physical memory are
     * handed out: no cache set or DRAM bank index bit below 2 MiB changes), {@code frames} (the order of the 4 KiB
     * frames within each region: every index bit changes; {@code memory.placement: shuffled}); or {@code none}: a
     * trace replayed with sequential placement repeats bit for bit.
     */
    public String variation() {
        List<String> parts = new java.util.ArrayList<>();
        if (settings.choice("workload.trace").equals("none")) {
            parts.add("streams");
        }
        switch (settings.choice("memory.placement")) {
            case "scattered" -> parts.add("regions");
            case "shuffled" -> parts.add("regions and frames");
            default -> {
                // Sequential placement: the same frames every replication.
            }
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    /** The factor values other than the mode and workload, e.g. "tlb.l2.entries=512", or "" for none. */
    public String factorText() {
        StringBuilder b = new StringBuilder();
        for (var f : factors.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(f.getKey()).append('=').append(f.getValue());
        }
        return b.toString();
    }
}
