package org.nestwalk.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.VmWorkloads;

/**
 * The figures of each VM of a consolidated machine, one line per run and VM: what co-running cost each, beside
 * the run's table (which adds the VMs up).
 */
public final class VmTable {
    private VmTable() {
    }

    /** The table, or "" when no run had more than one VM. */
    public static String render(List<RunResult> results) {
        StringBuilder b = new StringBuilder();
        for (RunResult r : results) {
            Map<String, Double> m = Metrics.perVm(r);
            if (m.isEmpty()) {
                continue;
            }
            if (b.isEmpty()) {
                b.append(String.format(Locale.ROOT, "%nPer VM%n%-28s %3s %-16s %14s %9s %7s %9s %9s%n", "run", "vm",
                        "workload", "cycles", "slowdown", "IPC", "TLB MPKI", "LLC MPKI"));
            }
            List<String> names = VmWorkloads.names(r.spec().settings(), r.spec().workload().name());
            for (int v = 0; v < r.vms(); v++) {
                String p = "vm" + v + ".";
                b.append(String.format(Locale.ROOT, "%-28s %3d %-16s %,14.0f %9s %7.3f %9.2f %9.2f%n",
                        r.spec().mode().label() + "/" + r.spec().workload().name(), v,
                        names.get(v), m.get(p + "cycles"),
                        Double.isNaN(m.get(p + "slowdown")) ? "-"
                                : String.format(Locale.ROOT, "%.3f", m.get(p + "slowdown")),
                        m.get(p + "ipc"), m.get(p + "tlbMpki"), m.get(p + "llcMpki")));
            }
        }
        if (!b.isEmpty() && results.stream().allMatch(r -> Double.isNaN(r.vmSlowdown(0)))) {
            b.append("(slowdown: set machine.aloneRuns=true to simulate each VM alone as well)\n");
        }
        return b.toString();
    }
}
