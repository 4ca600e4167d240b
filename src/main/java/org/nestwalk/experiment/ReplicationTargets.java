package org.nestwalk.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.experiment.Experiment.Replications;
import org.nestwalk.experiment.Manifest.Row;
import org.nestwalk.stats.Estimate;

/**
 * How many replications each configuration of an experiment should have, given what is stored: the rule's minimum
 * (or, with adaptive replications, as many as are already stored, up to the maximum), raised round by round while a
 * configuration's interval is too wide. The runner, a job array's emission and {@code merge} all ask here, so they
 * agree on which rows an experiment still needs.
 */
public final class ReplicationTargets {
    private ReplicationTargets() {
    }

    /** Each configuration's target before any round: the minimum, or (adaptive) the successful rows stored. */
    static Map<String, Integer> initial(Manifest m, RowStore store) {
        Replications reps = m.experiment().replications();
        Map<String, Integer> target = new LinkedHashMap<>();
        for (Configuration c : m.configurations()) {
            int stored = reps.adaptive() ? (int) store.rows(c).stream().filter(RunRecord::ok).count() : 0;
            target.put(c.id(), reps.adaptive() ? Math.min(reps.max(), Math.max(reps.min(), stored)) : reps.min());
        }
        return target;
    }

    /**
     * Raises the replication target of every configuration whose interval is still too wide: to the count that the
     * current spread predicts is enough ((n (h / target)^2), at least one more, at most the maximum.
     *
     * @return whether any target rose
     */
    static boolean raise(Manifest m, RowStore store, Map<String, Integer> target) {
        Replications reps = m.experiment().replications();
        if (!reps.adaptive()) {
            return false;
        }
        boolean raised = false;
        for (Configuration c : m.configurations()) {
            List<RunRecord> ok = store.rows(c).stream().filter(RunRecord::ok).toList();
            int n = ok.size();
            if (n < 2 || n >= reps.max()) {
                continue;
            }
            Estimate est = Estimate.of(ok.stream().mapToDouble(r -> r.metric(reps.metric())).toArray());
            double rel = est.relativeHalfWidth();
            if (Double.isNaN(rel) || rel <= reps.relativeHalfWidth()) {
                continue;
            }
            double ratio = rel / reps.relativeHalfWidth();
            int next = (int) Math.min(reps.max(), Math.max(n + 1, Math.ceil(n * ratio * ratio)));
            if (next > target.get(c.id())) {
                target.put(c.id(), next);
                raised = true;
            }
        }
        return raised;
    }

    /**
     * The rows the experiment needs and does not have (none stored, a failed one, or one made with other parameter
     * values), in manifest order: those of the current round, and for a configuration whose round is complete, those
     * of its next adaptive round. Running them and asking again gives the round after, until nothing is due; this is
     * what a job array runs, and what {@code merge} lists as missing.
     */
    public static List<Row> due(Manifest m, RowStore store) {
        Map<String, Integer> target = initial(m, store);
        Map<String, Integer> next = new LinkedHashMap<>(target);
        raise(m, store, next);
        List<Row> due = new ArrayList<>();
        for (Configuration c : m.configurations()) {
            List<Row> missing = new ArrayList<>();
            for (int r = 0; r < target.get(c.id()); r++) {
                if (!store.finished(c, r)) {
                    missing.add(new Row(c, r));
                }
            }
            if (missing.isEmpty()) {
                for (int r = target.get(c.id()); r < next.get(c.id()); r++) {
                    if (!store.finished(c, r)) {
                        missing.add(new Row(c, r));
                    }
                }
            }
            due.addAll(missing);
        }
        return due;
    }
}
