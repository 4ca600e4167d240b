package org.nestwalk.report;

import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.nestwalk.sim.RunResult;
import org.nestwalk.walk.ModeKind;

/**
 * One figure a run produces, from its measured interval: what experiments summarize, compare and plot.
 *
 * @param name          how experiment files and output columns name it
 * @param description   what it measures
 * @param value         how it is computed from a run
 * @param notApplicable the modes that lack what it measures (native has no NTLB, shadow paging no ISPT): their
 *                      runs give no value (NA), not a 0 that averages into other modes' numbers
 */
public record Metric(String name, String description, ToDoubleFunction<RunResult> value,
                     Set<ModeKind> notApplicable) {
    public Metric {
        notApplicable = Set.copyOf(notApplicable);
    }

    /** A metric every mode has. */
    public Metric(String name, String description, ToDoubleFunction<RunResult> value) {
        this(name, description, value, Set.of());
    }

    /** Whether runs of {@code mode} have this metric. */
    public boolean appliesTo(ModeKind mode) {
        return !notApplicable.contains(mode);
    }

    /** The run's value, or NaN (not applicable) for a mode that lacks what it measures. */
    public double of(RunResult r) {
        return appliesTo(r.spec().mode()) ? value.applyAsDouble(r) : Double.NaN;
    }
}
