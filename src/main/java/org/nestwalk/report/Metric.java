package org.nestwalk.report;

import java.util.function.ToDoubleFunction;
import org.nestwalk.sim.RunResult;

/**
 * One figure a run produces, from its measured interval: what experiments summarize, compare and plot.
 *
 * @param name        how experiment files and output columns name it
 * @param description what it measures
 * @param value       how it is computed from a run
 */
public record Metric(String name, String description, ToDoubleFunction<RunResult> value) {
    public double of(RunResult r) {
        return value.applyAsDouble(r);
    }
}
