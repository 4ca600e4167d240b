package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.report.Metric;
import org.nestwalk.report.Metrics;
import org.nestwalk.stats.Estimate;

/**
 * The outcome of a sampled run: each measured unit's counters, the whole measured region's (its references and
 * instructions are exact; its cycles are not measured), and the estimates made from the units.
 *
 * @param spec         what was run
 * @param plan         how it was sampled
 * @param units        every measured unit's counters, in order
 * @param region       counters from the end of the warm-up to the end of the run (or to the early stop)
 * @param stoppedEarly whether the stopping rule ended the run before the workload's end
 * @param events       discrete events the whole run executed
 * @param wallNanos    wall-clock time of the whole run
 */
public record SampledResult(RunSpec spec, SamplingPlan plan, List<Snapshot> units, Snapshot region,
                            boolean stoppedEarly, long events, long wallNanos) {

    public SampledResult {
        units = List.copyOf(units);
    }

    /** Cycles per instruction of each unit, and their mean with its 95 % interval. */
    static Estimate cpiEstimate(List<Snapshot> units) {
        double[] v = new double[units.size()];
        for (int i = 0; i < v.length; i++) {
            Snapshot u = units.get(i);
            v[i] = u.cpu().instructions() == 0 ? 0 : (double) u.time() / u.cpu().instructions();
        }
        return Estimate.of(v);
    }

    /** The estimate of cycles per instruction: the mean over the units, with its 95 % Student-t interval. */
    public Estimate cpi() {
        return cpiEstimate(units);
    }

    /** The estimated cycles of the measured region: cycles per instruction times its (exact) instructions. */
    public double estimatedCycles() {
        return cpi().mean() * region.cpu().instructions();
    }

    /** Each unit as a run result, for its metrics. */
    public List<RunResult> unitResults() {
        List<RunResult> r = new ArrayList<>();
        for (Snapshot u : units) {
            r.add(new RunResult(spec, u, 0, 0));
        }
        return r;
    }

    /**
     * Every metric of runs.csv estimated from the units: the mean of its value over the units, with its 95 %
     * interval (a metric the mode lacks is left out).
     */
    public Map<String, Estimate> estimates() {
        List<RunResult> rs = unitResults();
        Map<String, Estimate> out = new LinkedHashMap<>();
        for (Metric m : Metrics.all()) {
            double[] v = new double[rs.size()];
            boolean defined = true;
            for (int i = 0; i < v.length; i++) {
                v[i] = m.of(rs.get(i));
                defined &= !Double.isNaN(v[i]);
            }
            if (defined && v.length > 0) {
                out.put(m.name(), Estimate.of(v));
            }
        }
        return out;
    }

    /**
     * What an experiment stores for a sampled row: every metric estimated from the units (a rate: its mean over them;
     * a count: that mean scaled to the region; NaN where the mode lacks it), the region's exact references and
     * instructions, cycles estimated as cycles per instruction times
     * those instructions, and how many units there were and how wide the interval of cycles per instruction is
     * ({@code sampledUnits}, {@code cpiRelativeHalfWidth}).
     */
    public Map<String, Double> rowMetrics() {
        Map<String, Estimate> e = estimates();
        Map<String, Double> m = new LinkedHashMap<>();
        // A count (walks, faults, exits, their cycles) is estimated for the whole region: the mean per unit times
        // the region's units' worth of references; a rate is the mean of the units' rates.
        double scale = (double) region.cpu().references() / plan.unit();
        for (Metric x : Metrics.all()) {
            Estimate v = e.get(x.name());
            double value = v == null || !Metrics.applies(x.name(), spec.mode().label()) ? Double.NaN : v.mean();
            m.put(x.name(), isCount(x.name()) ? value * scale : value);
        }
        m.put("cycles", estimatedCycles());
        m.put("instructions", (double) region.cpu().instructions());
        m.put("measuredReferences", (double) region.cpu().references());
        // Instructions per cycle from the same estimate, not a mean of the units' ratios (which would disagree).
        m.put("ipc", 1 / cpi().mean());
        m.put("sampledUnits", (double) units.size());
        m.put("cpiRelativeHalfWidth", cpi().relativeHalfWidth());
        return m;
    }

    private static boolean isCount(String metric) {
        return switch (metric) {
            case "translationCycles", "walks", "pageFaults", "guestTableWrites", "contextSwitches", "vmExits" -> true;
            default -> metric.startsWith("exits.") || metric.startsWith("exitCycles.");
        };
    }

    /** References run in detail (every unit's detailed warm-up and measured references). */
    public long detailedReferences() {
        return (long) units.size() * (plan.unit() + plan.warmup());
    }
}
