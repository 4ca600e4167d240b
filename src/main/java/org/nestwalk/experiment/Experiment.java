package org.nestwalk.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.sim.SamplingPlan;
import org.nestwalk.walk.ModeKind;

/**
 * A designed simulation experiment, as an experiment file describes it: which translation modes run which workloads
 * on which machine, which parameters are swept, how many replications each configuration gets and how the warm-up is
 * chosen. {@link Manifest#expand} turns it into the configurations to run.
 *
 * @param name          short name: the default results directory, {@code results/<name>}
 * @param description   what the experiment asks, for the results README
 * @param file          the file it was read from
 * @param seed          the experiment seed; replication r of every configuration uses the streams of (seed, r)
 * @param references    references per run, warm-up included
 * @param warmup        how many leading references each run discards
 * @param replications  how many replications each configuration gets
 * @param modes         the translation modes compared
 * @param baseline      the mode the others are compared against (one of {@code modes})
 * @param workloads     the workloads, each a preset with optional overrides
 * @param machine       parameter settings applied to every run, as written
 * @param factors       the swept parameters: every combination of their values is a configuration
 * @param constraints   combinations that are left out of the grid unless they satisfy every constraint
 * @param outputs       what the summaries and plots show
 * @param paper         published numbers to set beside the measured ones, if any
 * @param sample        how each run is sampled (sampled simulation), or null: each run in detail
 * @param quick         whether this is the file's quick variant
 */
public record Experiment(String name, String description, String file, long seed, long references, Warmup warmup,
                         Replications replications, List<ModeKind> modes, ModeKind baseline,
                         List<WorkloadChoice> workloads, Map<String, Setting> machine, List<Factor> factors,
                         List<Constraint> constraints, Outputs outputs, Paper paper, SamplingPlan sample,
                         boolean quick) {

    public Experiment {
        modes = List.copyOf(modes);
        workloads = List.copyOf(workloads);
        machine = ordered(machine);
        factors = List.copyOf(factors);
        constraints = List.copyOf(constraints);
    }

    /** An unmodifiable copy that keeps the order the file gave. */
    static <K, V> Map<K, V> ordered(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** A parameter value as written, with where it was written. */
    public record Setting(String value, String source) {
    }

    /** How many leading references of each run are discarded. */
    public sealed interface Warmup {
        /** The rule in words, e.g. "200000" or "mser5(pilot=1000000)": part of a configuration's identity. */
        String rule();

        /** A fixed number of references. */
        record Fixed(long references) implements Warmup {
            @Override
            public String rule() {
                return Long.toString(references);
            }
        }

        /**
         * Chosen per configuration by MSER-5 (White 1997) from a pilot run of {@code pilotReferences} references:
         * the truncation point that minimizes the standard error of the mean of what remains.
         */
        record Mser5(long pilotReferences) implements Warmup {
            @Override
            public String rule() {
                return "mser5(pilot=" + pilotReferences + ")";
            }
        }
    }

    /**
     * How many replications each configuration gets: {@code min} at first; then, if {@code metric} is set, more
     * (up to {@code max}) until the 95 % confidence interval of that metric's mean is narrower than
     * {@code relativeHalfWidth} of the mean on either side.
     */
    public record Replications(int min, int max, String metric, double relativeHalfWidth) {
        public static Replications fixed(int n) {
            return new Replications(n, n, null, 0);
        }

        public boolean adaptive() {
            return metric != null;
        }
    }

    /**
     * A workload of the experiment.
     *
     * @param name     what outputs call it
     * @param preset   the workload preset it starts from, or null for a trace (its settings name the file)
     * @param settings its own parameter overrides
     */
    public record WorkloadChoice(String name, String preset, Map<String, Setting> settings) {
        public WorkloadChoice {
            settings = ordered(settings);
        }
    }

    /**
     * A swept parameter.
     *
     * @param key    the parameter's key
     * @param values its values, as written, in sweep order
     * @param source where the factor was written
     */
    public record Factor(String key, List<String> values, String source) {
        public Factor {
            values = List.copyOf(values);
        }
    }

    /**
     * What the summaries and plots show.
     *
     * @param metrics     the metrics summarized (all when empty)
     * @param sweepMetric the metric sweep plots draw against each factor
     */
    public record Outputs(List<String> metrics, String sweepMetric) {
        public Outputs {
            metrics = List.copyOf(metrics);
        }
    }

    /**
     * Published results to compare with.
     *
     * @param source  the publication
     * @param speedup the reported performance of each mode relative to the baseline (1.07 = 7 % faster)
     * @param note    how the published setting differs from this experiment
     */
    public record Paper(String source, Map<ModeKind, Double> speedup, String note) {
        public Paper {
            speedup = ordered(speedup);
        }
    }
}
