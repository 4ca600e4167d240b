package org.nestwalk.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A mean estimated from independent replications, with its Student-t confidence interval. With one observation the
 * standard deviation and the interval are undefined (NaN).
 *
 * @param n          observations
 * @param mean       sample mean
 * @param sd         sample standard deviation (n - 1 in the denominator)
 * @param halfWidth  half the width of the confidence interval
 * @param confidence the interval's confidence level, e.g. 0.95
 */
public record Estimate(int n, double mean, double sd, double halfWidth, double confidence) {
    public static final double CONFIDENCE = 0.95;

    /** No observation at all: a metric that does not apply, n = 0 and nothing defined. */
    public static Estimate undefined() {
        return new Estimate(0, Double.NaN, Double.NaN, Double.NaN, CONFIDENCE);
    }

    /** Whether the estimate has a defined interval of zero width: n >= 2 identical observations. */
    public boolean zeroWidth() {
        return n >= 2 && sd == 0;
    }

    /** The mean of {@code values} with a 95 % interval. */
    public static Estimate of(double[] values) {
        return of(values, CONFIDENCE);
    }

    public static Estimate of(double[] values, double confidence) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no observations");
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new Estimate(1, mean, Double.NaN, Double.NaN, confidence);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        return new Estimate(n, mean, sd, tQuantile(n - 1, confidence) * sd / Math.sqrt(n), confidence);
    }

    /** The two-sided Student-t critical value for {@code df} degrees of freedom. */
    public static double tQuantile(double df, double confidence) {
        return new TDistribution(null, df).inverseCumulativeProbability(1 - (1 - confidence) / 2);
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }

    /** Half-width relative to the magnitude of the mean (infinite for a zero mean with spread). */
    public double relativeHalfWidth() {
        if (halfWidth == 0) {
            return 0;
        }
        return halfWidth / Math.abs(mean);
    }
}
