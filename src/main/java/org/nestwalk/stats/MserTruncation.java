package org.nestwalk.stats;

/**
 * MSER-5 (White, 1997; White, Cobb and Spratt, 2000): the warm-up truncation point of an output series that minimizes
 * the marginal standard error of what remains. The raw series is averaged in batches of five; for each candidate
 * truncation d (in batches, up to half the batches) the statistic is the variance of the remaining batch means over
 * the square of their count, and the smallest wins. A truncation at the half-way limit means the series never
 * settled: the pilot was too short.
 */
public final class MserTruncation {
    /** Raw observations in one MSER batch. */
    public static final int BATCH = 5;
    /** Fewest raw observations a series should have. */
    public static final int MIN_BATCHES = 50;

    /**
     * The result.
     *
     * @param observations     raw observations dropped
     * @param batches          MSER batches in the series
     * @param atLimit          whether the choice hit the half-way limit (the series did not settle)
     */
    public record Result(int observations, int batches, boolean atLimit) {
    }

    private MserTruncation() {
    }

    /** The truncation point of {@code series}, in raw observations (a multiple of {@link #BATCH}). */
    public static Result truncation(double[] series) {
        int k = series.length / BATCH;
        if (k < 2) {
            throw new IllegalArgumentException("MSER-5 needs at least " + 2 * BATCH + " observations, not "
                    + series.length);
        }
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int i = 0; i < BATCH; i++) {
                s += series[j * BATCH + i];
            }
            z[j] = s / BATCH;
        }
        // Suffix sums give every candidate's mean and sum of squares in one pass.
        double[] sum = new double[k + 1];
        double[] sumSq = new double[k + 1];
        for (int j = k - 1; j >= 0; j--) {
            sum[j] = sum[j + 1] + z[j];
            sumSq[j] = sumSq[j + 1] + z[j] * z[j];
        }
        int best = 0;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int d = 0; d <= k / 2; d++) {
            int m = k - d;
            double mean = sum[d] / m;
            double ss = Math.max(0, sumSq[d] - m * mean * mean);
            double value = ss / ((double) m * m);
            if (value < bestValue) {
                bestValue = value;
                best = d;
            }
        }
        return new Result(best * BATCH, k, best == k / 2 && k > 2);
    }
}
