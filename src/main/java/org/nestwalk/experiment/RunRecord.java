package org.nestwalk.experiment;

import java.util.Map;

/**
 * The result of one row of a manifest as stored on disk: what ran, how it ended, and every metric of its measured
 * interval. A failed row keeps its error and is run again the next time the experiment is started.
 *
 * @param experiment    the experiment's name
 * @param configuration the configuration's id
 * @param mode          translation mode
 * @param workload      workload name
 * @param factors       factor values
 * @param replication   replication number; with the seed it fixes every random stream
 * @param seed          experiment seed
 * @param references    references simulated, warm-up included
 * @param warmup        references discarded as warm-up
 * @param status        {@code ok} or {@code failed}
 * @param error         why it failed (null when ok)
 * @param wallSeconds   wall-clock time of the run
 * @param version       the nestwalk version that produced it, for people ("0.1.0 (9f25406-dirty)")
 * @param build         the {@linkplain org.nestwalk.util.BuildInfo#build build} that produced it: which code computed
 *                      the numbers; null in rows of versions that did not record it
 * @param metrics       every {@link org.nestwalk.report.Metrics metric}, by name (null: not applicable)
 * @param parameters    every parameter's value
 */
public record RunRecord(String experiment, String configuration, String mode, String workload,
                        Map<String, String> factors, int replication, long seed, long references, long warmup,
                        String status, String error, double wallSeconds, String version, String build,
                        Map<String, Double> metrics, Map<String, String> parameters) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public boolean ok() {
        return OK.equals(status);
    }

    /** This row with {@code p} (equal to its own parameters, or replacing them) as its parameters. */
    public RunRecord withParameters(Map<String, String> p) {
        return new RunRecord(experiment, configuration, mode, workload, factors, replication, seed, references, warmup,
                status, error, wallSeconds, version, build, metrics, p);
    }

    /** The stored value of metric {@code name}; NaN if it is not stored or not defined. */
    public double metric(String name) {
        Double v = metrics == null ? null : metrics.get(name);
        return v == null ? Double.NaN : v;
    }

    /**
     * The value of metric {@code name} as reports show it: NaN (NA) where the row's mode lacks what it measures,
     * even where an older version stored 0.
     */
    public double reported(String name) {
        return org.nestwalk.report.Metrics.applies(name, mode) ? metric(name) : Double.NaN;
    }
}
