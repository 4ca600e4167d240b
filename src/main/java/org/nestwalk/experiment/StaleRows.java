package org.nestwalk.experiment;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.nestwalk.config.ConfigException;

/**
 * Stored rows that another build of nestwalk made, and what a run does with them. A researcher who changes the model
 * and runs an experiment again must not get the old numbers back without a word (a copy of the shipped results
 * once reported "reused 150" of rows from an older commit, 120 of them recording no build at all): by default a run
 * refuses to mix builds, naming them; {@link Policy#RERUN} runs those rows again with this build,
 * {@link Policy#REUSE} keeps them as they are.
 */
public final class StaleRows {
    /** What a run does with rows of other builds. */
    public enum Policy {
        /** Refuse to run, saying how many rows of which builds there are and what the choices are. */
        REFUSE,
        /** Run them again with this build, replacing them. */
        RERUN,
        /** Keep them: the summaries mix builds (the results README says so). */
        REUSE
    }

    /**
     * The finished rows of other builds.
     *
     * @param rows    how many
     * @param builds  for each version and build ("0.1.0 (9f25406), classes 3f9a0c21d4e7"), how many rows it made
     */
    public record Found(int rows, Map<String, Integer> builds) {
        public Found {
            builds = Map.copyOf(builds);
        }

        /** "120 by 0.1.0 (7e666d4) (build not recorded), 30 by ..." */
        public String describe() {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(builds).forEach((k, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(" by ")
                    .append(k));
            return b.toString();
        }
    }

    private StaleRows() {
    }

    /** The finished rows of {@code m} in {@code store} (any build) that {@code build} did not make. */
    public static Found find(Manifest m, RowStore store, String build) {
        Map<String, Integer> builds = new TreeMap<>();
        int n = 0;
        for (Configuration c : m.configurations()) {
            for (RunRecord r : store.rows(c)) {
                if (r.ok() && !build.equals(r.build())) {
                    n++;
                    builds.merge(describe(r), 1, Integer::sum);
                }
            }
        }
        return new Found(n, builds);
    }

    /** A row's version and build, as messages name them. */
    static String describe(RunRecord r) {
        return r.version() + " (" + (r.build() == null ? "build not recorded" : r.build()) + ")";
    }

    /**
     * The store a run of {@code m} in {@code dir} uses under {@code policy}: limited to this build's rows for
     * {@link Policy#RERUN} (the others run again), all rows for {@link Policy#REUSE}; for {@link Policy#REFUSE}, all
     * rows if none is of another build, else a one-line refusal naming the builds and the choices.
     */
    public static RowStore storeFor(Manifest m, RowStore anyBuild, String build, Policy policy, Path dir) {
        if (policy == Policy.RERUN) {
            return anyBuild.ofBuild(build);
        }
        if (policy == Policy.REFUSE) {
            Found f = find(m, anyBuild, build);
            if (f.rows() > 0) {
                throw new ConfigException(dir + ": " + f.rows() + " stored row" + (f.rows() == 1 ? " was" : "s were")
                        + " made by another build of nestwalk (" + f.describe() + "), not by this one ("
                        + org.nestwalk.util.BuildInfo.version() + ", " + build + "), and may hold other numbers; "
                        + "give --rerun-stale to run them again with this build, --reuse-stale to keep them, or "
                        + "choose another --out");
            }
        }
        return anyBuild;
    }
}
