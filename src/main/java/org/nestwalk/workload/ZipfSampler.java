package org.nestwalk.workload;

import org.nestwalk.random.RandomStream;

/**
 * Draws ranks 1..n with probability proportional to 1/k^s in constant time and memory, by rejection-inversion
 * (Hörmann and Derflinger, "Rejection-inversion to generate variates from monotone discrete distributions", ACM
 * TOMACS 6(3), 1996): invert the integral of the continuous hat function h(x) = x^-s, round to the nearest rank and
 * accept unless the draw fell in the part of the rank's hat cell above its true probability.
 */
final class ZipfSampler {
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;

    ZipfSampler(long n, double exponent) {
        if (n <= 0 || exponent < 0) {
            throw new IllegalArgumentException("Zipf needs n > 0 and exponent >= 0");
        }
        this.n = n;
        this.s = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    long sample(RandomStream random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    /** h(x) = x^-s. */
    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    /** H(x) = integral of h from 1 to x, written to stay accurate as s approaches 1. */
    private double hIntegral(double x) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - s) * logX) * logX;
    }

    private double hIntegralInverse(double x) {
        double t = x * (1.0 - s);
        if (t < -1.0) {
            // Rounding can push t just below -1; the limit of the inverse there is x = 1.
            t = -1.0;
        }
        return Math.exp(log1pOverX(t) * x);
    }

    /** (e^x - 1) / x, continuous at 0. */
    private static double expm1OverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0);
    }

    /** log(1 + x) / x, continuous at 0. */
    private static double log1pOverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x / 3.0);
    }
}
