package org.nestwalk.sim;

import org.nestwalk.config.ConfigException;

/**
 * How a run is sampled (SMARTS: Wunderlich, Wenisch, Falsafi and Hoe, ISCA 2003): after the run's warm-up, done
 * functionally, a measured unit of {@code unit} references every {@code period} references, each after {@code
 * warmup} references simulated in detail and not measured; between units the machine is warmed functionally. The
 * estimate of cycles per instruction, and of every rate, is the mean over the units with its 95 % Student-t
 * interval. With {@code halfWidth} above 0 the run stops once at least {@code minUnits} units give a relative
 * half-width of cycles per instruction at most that (the rest of the workload is then not sampled).
 *
 * @param unit      measured references per unit
 * @param warmup    references simulated in detail before each unit, not measured
 * @param period    references from one unit's start to the next's
 * @param minUnits  units before the stopping rule may stop the run (at least 2)
 * @param halfWidth target relative half-width of the cycles-per-instruction interval; 0: sample the whole run
 */
public record SamplingPlan(long unit, long warmup, long period, int minUnits, double halfWidth) {
    /** 10,000-reference units after 2,000 detailed references, every 1,000,000, 30 units before stopping. */
    public static final SamplingPlan DEFAULT = new SamplingPlan(10_000, 2_000, 1_000_000, 30, 0);

    public SamplingPlan {
        if (unit < 1 || warmup < 0 || period < unit + warmup) {
            throw new ConfigException("sampling: a unit of " + unit + " references after a detailed warm-up of "
                    + warmup + " must fit its period of " + period + " references");
        }
        if (minUnits < 2) {
            throw new ConfigException("sampling: at least 2 units are needed for an interval, not " + minUnits);
        }
        if (!(halfWidth >= 0) || halfWidth >= 1) {
            throw new ConfigException("sampling: the target half-width must be a share from 0 to below 1, not "
                    + halfWidth);
        }
    }

    /** The reference count at which unit {@code k} (from 0) starts its detailed warm-up, after {@code first}. */
    long unitStart(long first, long k) {
        return first + k * period;
    }
}
