package org.nestwalk.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The intervals against hand computations (t quantiles from a printed table). */
class EstimateTest {
    @Test
    void studentTIntervalMatchesAHandComputation() {
        // mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, s^2 = 32/7, t(0.975, 7) = 2.3646 (table).
        Estimate e = Estimate.of(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(8, e.n());
        assertEquals(5.0, e.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), e.sd(), 1e-12);
        assertEquals(2.3646 * Math.sqrt(32.0 / 7) / Math.sqrt(8), e.halfWidth(), 1e-4);
        assertEquals(5 - e.halfWidth(), e.low(), 1e-12);
        assertEquals(5 + e.halfWidth(), e.high(), 1e-12);
    }

    @Test
    void tQuantilesMatchTheTable() {
        assertEquals(12.706, Estimate.tQuantile(1, 0.95), 1e-3);
        assertEquals(2.262, Estimate.tQuantile(9, 0.95), 1e-3);
        assertEquals(2.045, Estimate.tQuantile(29, 0.95), 1e-3);
        assertEquals(3.250, Estimate.tQuantile(9, 0.99), 1e-3);
    }

    @Test
    void oneObservationHasNoInterval() {
        Estimate e = Estimate.of(new double[] {3});
        assertEquals(3, e.mean());
        assertTrue(Double.isNaN(e.halfWidth()));
    }

    @Test
    void pairedRatioAndDifferenceArePerReplication() {
        double[] base = {100, 200, 300};
        double[] alt = {50, 100, 150};
        Estimate ratio = Comparison.pairedRatio(base, alt);
        assertEquals(2.0, ratio.mean(), 1e-12);
        assertEquals(0.0, ratio.halfWidth(), 1e-12);
        Estimate diff = Comparison.pairedDifference(base, alt);
        // differences -50, -100, -150: mean -100, sd 50, t(0.975, 2) = 4.30265.
        assertEquals(-100, diff.mean(), 1e-12);
        assertEquals(4.30265 * 50 / Math.sqrt(3), diff.halfWidth(), 1e-3);
    }

    @Test
    void welchIntervalMatchesAHandComputation() {
        double[] a = {10, 12, 14};          // mean 12, var 4
        double[] b = {20, 21, 22, 23, 24};  // mean 22, var 2.5
        Estimate w = Comparison.unpairedDifference(a, b);
        double va = 4.0 / 3;
        double vb = 2.5 / 5;
        double df = (va + vb) * (va + vb) / (va * va / 2 + vb * vb / 4);
        assertEquals(10, w.mean(), 1e-12);
        assertEquals(Estimate.tQuantile(df, 0.95) * Math.sqrt(va + vb), w.halfWidth(), 1e-9);
        assertEquals(3.5328, df, 1e-3);
    }

    @Test
    void mserDropsTheTransientAndNothingOfAStationarySeries() {
        double[] series = new double[1000];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < series.length; i++) {
            series[i] = (i < 100 ? 20 - 0.15 * i : 1) + 0.1 * r.nextGaussian();
        }
        MserTruncation.Result t = MserTruncation.truncation(series);
        assertTrue(t.observations() >= 95 && t.observations() <= 130, "truncated " + t.observations());
        assertTrue(!t.atLimit());
        double[] flat = new double[1000];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = 1 + 0.1 * r.nextGaussian();
        }
        assertTrue(MserTruncation.truncation(flat).observations() < 250);
    }
}
