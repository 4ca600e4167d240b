package org.nestwalk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nestwalk.report.Metrics;
import org.nestwalk.stats.Comparison;
import org.nestwalk.stats.Estimate;
import org.nestwalk.walk.ModeKind;

/**
 * The statistics of an experiment's stored rows: per configuration and metric a mean with its t-interval, and per
 * non-baseline configuration the paired comparison with its baseline over the replications both have (common random
 * numbers make replication r of both see the same workload). Runtime is the {@code cycles} metric: every run
 * measures the same number of references, so fewer cycles is faster.
 *
 * @param manifest       the experiment's configurations
 * @param configurations one summary per configuration, in manifest order
 * @param comparisons    one per configuration that is not in the baseline mode and has a baseline
 * @param overall        per mode and factor combination: the geometric mean speedup over the workloads
 */
public record Analysis(Manifest manifest, List<ConfigurationSummary> configurations, List<Versus> comparisons,
                       List<Overall> overall) {
    /** The runtime metric. */
    public static final String RUNTIME = "cycles";

    /**
     * A configuration's results.
     *
     * @param configuration the configuration
     * @param runs          its successful rows, by replication
     * @param failures      its failed rows, by replication
     * @param metrics       per summarized metric, the mean over the successful rows
     */
    public record ConfigurationSummary(Configuration configuration, Map<Integer, RunRecord> runs,
                                       Map<Integer, RunRecord> failures, Map<String, Estimate> metrics) {
        public int n() {
            return runs.size();
        }

        /** How many of its rows failed. */
        public int failed() {
            return failures.size();
        }
    }

    /**
     * A configuration against its baseline, paired by replication.
     *
     * @param configuration       the alternative
     * @param baseline            the baseline configuration (same workload and factors)
     * @param speedup             baseline cycles / alternative cycles, per replication
     * @param normalizedRuntime   alternative cycles / baseline cycles, per replication
     * @param difference          alternative cycles - baseline cycles, per replication
     * @param unpairedDifference  the same difference by Welch's interval, ignoring the pairing (for contrast)
     */
    public record Versus(Configuration configuration, Configuration baseline, Estimate speedup,
                         Estimate normalizedRuntime, Estimate difference, Estimate unpairedDifference) {
    }

    /**
     * A mode's speedup over the baseline across all workloads: per replication the geometric mean over the workloads,
     * then the t-interval over replications.
     *
     * @param mode      the mode
     * @param factors   the factor values it holds for
     * @param workloads how many workloads the mean covers
     * @param speedup   the geometric-mean speedup
     */
    public record Overall(ModeKind mode, Map<String, String> factors, int workloads, Estimate speedup) {
    }

    public static Analysis of(Manifest manifest, RowStore store) {
        List<String> metricNames = manifest.experiment().outputs().metrics().isEmpty() ? Metrics.names()
                : manifest.experiment().outputs().metrics();
        Map<String, ConfigurationSummary> byId = new LinkedHashMap<>();
        for (Configuration c : manifest.configurations()) {
            Map<Integer, RunRecord> ok = new TreeMap<>();
            Map<Integer, RunRecord> failed = new TreeMap<>();
            for (RunRecord r : store.rows(c)) {
                (r.ok() ? ok : failed).put(r.replication(), r);
            }
            Map<String, Estimate> metrics = new LinkedHashMap<>();
            if (!ok.isEmpty()) {
                for (String m : metricNames) {
                    // Over the replications that define it: none for a metric the mode lacks (NA, n = 0).
                    double[] v = ok.values().stream().mapToDouble(r -> r.reported(m)).filter(Double::isFinite)
                            .toArray();
                    metrics.put(m, v.length == 0 ? Estimate.undefined() : Estimate.of(v));
                }
            }
            byId.put(c.id(), new ConfigurationSummary(c, ok, failed, metrics));
        }
        List<Versus> versus = new ArrayList<>();
        for (Configuration c : manifest.configurations()) {
            Configuration b = manifest.baselineOf(c);
            if (b == null || b == c) {
                continue;
            }
            ConfigurationSummary alt = byId.get(c.id());
            ConfigurationSummary base = byId.get(b.id());
            TreeSet<Integer> common = new TreeSet<>(alt.runs().keySet());
            common.retainAll(base.runs().keySet());
            common.removeIf(r -> !Double.isFinite(alt.runs().get(r).metric(RUNTIME))
                    || !Double.isFinite(base.runs().get(r).metric(RUNTIME)));
            if (common.size() < 2) {
                continue;
            }
            double[] bc = runtimes(base, common);
            double[] ac = runtimes(alt, common);
            versus.add(new Versus(c, b, Comparison.pairedRatio(bc, ac), Comparison.pairedRatio(ac, bc),
                    Comparison.pairedDifference(bc, ac), Comparison.unpairedDifference(bc, ac)));
        }
        return new Analysis(manifest, List.copyOf(byId.values()), versus, overall(manifest, byId));
    }

    /**
     * The configurations (mode on workload, with factors) whose runtime interval has zero width: two or more
     * replications, all alike. That says the replications did not vary, not that the result is certain.
     */
    public List<String> zeroWidth() {
        List<String> out = new ArrayList<>();
        for (ConfigurationSummary s : configurations) {
            Estimate est = s.metrics().get(RUNTIME);
            if (est != null && est.zeroWidth()) {
                Configuration c = s.configuration();
                out.add(c.mode().label() + " on " + c.workload() + (c.factors().isEmpty() ? ""
                        : " (" + c.factorText() + ")"));
            }
        }
        return out;
    }

    /** The summary of configuration {@code id}. */
    public ConfigurationSummary summary(String id) {
        for (ConfigurationSummary s : configurations) {
            if (s.configuration().id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no configuration " + id);
    }

    private static List<Overall> overall(Manifest manifest, Map<String, ConfigurationSummary> byId) {
        // Groups the alternatives by mode and factor values; each group spans the workloads.
        Map<String, List<Configuration>> groups = new LinkedHashMap<>();
        for (Configuration c : manifest.configurations()) {
            if (c.mode() != manifest.experiment().baseline() && manifest.baselineOf(c) != null) {
                groups.computeIfAbsent(c.mode().label() + "|" + c.factors(), k -> new ArrayList<>()).add(c);
            }
        }
        List<Overall> out = new ArrayList<>();
        for (List<Configuration> g : groups.values()) {
            TreeSet<Integer> common = null;
            for (Configuration c : g) {
                for (Configuration x : List.of(c, manifest.baselineOf(c))) {
                    TreeSet<Integer> reps = new TreeSet<>(byId.get(x.id()).runs().keySet());
                    if (common == null) {
                        common = reps;
                    } else {
                        common.retainAll(reps);
                    }
                }
            }
            if (common == null) {
                continue;
            }
            for (Configuration c : g) {
                for (Configuration x : List.of(c, manifest.baselineOf(c))) {
                    Map<Integer, RunRecord> runs = byId.get(x.id()).runs();
                    common.removeIf(r -> !Double.isFinite(runs.get(r).metric(RUNTIME)));
                }
            }
            if (common.size() < 2) {
                continue;
            }
            double[] geomean = new double[common.size()];
            int i = 0;
            for (int r : common) {
                double logSum = 0;
                for (Configuration c : g) {
                    double base = byId.get(manifest.baselineOf(c).id()).runs().get(r).metric(RUNTIME);
                    double alt = byId.get(c.id()).runs().get(r).metric(RUNTIME);
                    logSum += Math.log(base / alt);
                }
                geomean[i++] = Math.exp(logSum / g.size());
            }
            out.add(new Overall(g.get(0).mode(), g.get(0).factors(), g.size(), Estimate.of(geomean)));
        }
        return out;
    }

    private static double[] runtimes(ConfigurationSummary s, TreeSet<Integer> replications) {
        double[] v = new double[replications.size()];
        int i = 0;
        for (int r : replications) {
            v[i++] = s.runs().get(r).metric(RUNTIME);
        }
        return v;
    }
}
