package org.nestwalk.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Comparisons of an alternative against a baseline over replications. Under common random numbers replication r of
 * both saw the same workload streams, so their outcomes are positively correlated and the per-replication difference
 * or ratio varies much less than either: the paired interval is the right one and is narrower. Welch's unpaired
 * interval is kept for contrast (and for results that were not produced with common random numbers).
 */
public final class Comparison {
    private Comparison() {
    }

    /** The mean of {@code baseline[r] / alternative[r]}: a speedup when the values are run times. */
    public static Estimate pairedRatio(double[] baseline, double[] alternative) {
        check(baseline, alternative);
        double[] r = new double[baseline.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = baseline[i] / alternative[i];
        }
        return Estimate.of(r);
    }

    /** The mean of {@code alternative[r] - baseline[r]}. */
    public static Estimate pairedDifference(double[] baseline, double[] alternative) {
        check(baseline, alternative);
        double[] d = new double[baseline.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = alternative[i] - baseline[i];
        }
        return Estimate.of(d);
    }

    /**
     * Welch's interval for {@code mean(alternative) - mean(baseline)}, treating the samples as independent; the
     * degrees of freedom come from the Welch-Satterthwaite approximation.
     */
    public static Estimate unpairedDifference(double[] baseline, double[] alternative) {
        Estimate a = Estimate.of(baseline);
        Estimate b = Estimate.of(alternative);
        double va = a.sd() * a.sd() / a.n();
        double vb = b.sd() * b.sd() / b.n();
        double se = Math.sqrt(va + vb);
        double mean = b.mean() - a.mean();
        if (se == 0) {
            return new Estimate(Math.min(a.n(), b.n()), mean, 0, 0, Estimate.CONFIDENCE);
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double t = new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - Estimate.CONFIDENCE) / 2);
        return new Estimate(Math.min(a.n(), b.n()), mean, se * Math.sqrt(Math.min(a.n(), b.n())), t * se,
                Estimate.CONFIDENCE);
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " and " + b.length);
        }
    }
}
