package org.nestwalk.experiment;

import java.util.Map;

/**
 * Whether a stored row can be what its path says it is: a file {@code runs/<configuration>/r<k>.json} must hold a
 * row of that configuration and replication, with a known status and values a run can produce. A row that fails is
 * reported and run again, never counted: a copied, hand-edited or damaged file must not add a mislabelled
 * replication to a summary (an {@code r4.json} that says replication 7 made n = 9 of 8 rows).
 */
final class RowCheck {
    private RowCheck() {
    }

    /** Why {@code r}, read from the file of {@code replication} of {@code configuration}, cannot be used; or null. */
    static String problem(RunRecord r, String configuration, int replication) {
        if (r == null) {
            return "holds no row (null)";
        }
        if (!configuration.equals(r.configuration())) {
            return "says it is a row of configuration '" + r.configuration() + "', not of '" + configuration
                    + "', whose directory it is in";
        }
        if (r.replication() != replication) {
            return "says it is replication " + r.replication() + ", but its name is r" + replication + ".json";
        }
        if (!RunRecord.OK.equals(r.status()) && !RunRecord.FAILED.equals(r.status())) {
            return "has status '" + r.status() + "' (expected ok or failed)";
        }
        if (r.mode() == null || r.workload() == null) {
            return "names no mode or workload";
        }
        if (r.references() <= 0 || r.warmup() < 0 || r.warmup() >= r.references()) {
            return "says it ran " + r.references() + " references with a warm-up of " + r.warmup()
                    + ", which no run can";
        }
        if (r.ok()) {
            if (r.metrics() == null || r.metrics().isEmpty()) {
                return "is ok but holds no metrics";
            }
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                String p = impossible(m.getKey(), m.getValue());
                if (p != null) {
                    return p;
                }
            }
            if (!(r.metric(Analysis.RUNTIME) > 0)) {
                return "is ok but measured " + r.metric(Analysis.RUNTIME) + " cycles";
            }
        }
        return null;
    }

    /** Why a metric's value cannot come from a run, or null. Undefined values are stored as null and are fine. */
    private static String impossible(String name, Double value) {
        if (value == null) {
            return null;
        }
        if (!Double.isFinite(value) || value < 0) {
            return "has " + name + " = " + value + " (every metric is a count, a mean or a share, at least 0)";
        }
        if ((name.endsWith("HitRate") || name.endsWith("MissRate") || name.endsWith("Share")) && value > 1) {
            return "has " + name + " = " + value + " (a share, at most 1)";
        }
        return null;
    }

    /** Why {@code p}, read from the pilot file of {@code configuration}, cannot be used; or null. */
    static String problem(Pilot p, String configuration) {
        if (p == null) {
            return "holds no pilot (null)";
        }
        if (!configuration.equals(p.configuration())) {
            return "says it is the pilot of configuration '" + p.configuration() + "', not of '" + configuration
                    + "'";
        }
        if (p.pilotReferences() <= 0 || p.warmupReferences() < 0 || p.observations() < 0
                || p.warmupReferences() > p.pilotReferences()) {
            return "holds a warm-up of " + p.warmupReferences() + " from a pilot of " + p.pilotReferences()
                    + " references, which no pilot can choose";
        }
        return null;
    }
}
