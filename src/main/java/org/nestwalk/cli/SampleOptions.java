package org.nestwalk.cli;

import org.nestwalk.sim.SamplingPlan;
import picocli.CommandLine.Option;

/** {@code run --sample}: sampled simulation and how it samples (see {@link SamplingPlan}). */
final class SampleOptions {
    @Option(names = "--sample", description = "Sampled simulation (SMARTS): functional warming between measured "
            + "units simulated in detail; estimates with their 95 %% intervals across units.")
    boolean sample;

    @Option(names = "--sample-unit", paramLabel = "N",
            description = "Measured references per unit (default: 10,000).")
    Long unit;

    @Option(names = "--sample-warmup", paramLabel = "N",
            description = "References simulated in detail before each unit, not measured (default: 2,000).")
    Long warmup;

    @Option(names = "--sample-period", paramLabel = "N",
            description = "References from one unit's start to the next's (default: 1,000,000).")
    Long period;

    @Option(names = "--sample-min-units", paramLabel = "N",
            description = "Units before --sample-halfwidth may stop a run (default: 30).")
    Integer minUnits;

    @Option(names = "--sample-halfwidth", paramLabel = "SHARE",
            description = "Stop a run once its cycles-per-instruction interval is this narrow relative to its mean "
                    + "(e.g. 0.02); the rest of the workload is then not sampled (default: sample it all).")
    Double halfWidth;

    @Option(names = "--sample-check", description = "Also simulate each run whole, in detail, and show both, with the "
            + "speed-up and whether each interval covers the detailed value.")
    boolean check;

    /** Whether any sampling option was given (the others need --sample). */
    boolean anyGiven() {
        return unit != null || warmup != null || period != null || minUnits != null || halfWidth != null || check;
    }

    SamplingPlan plan() {
        SamplingPlan d = SamplingPlan.DEFAULT;
        return new SamplingPlan(unit != null ? unit : d.unit(), warmup != null ? warmup : d.warmup(),
                period != null ? period : d.period(), minUnits != null ? minUnits : d.minUnits(),
                halfWidth != null ? halfWidth : d.halfWidth());
    }
}
