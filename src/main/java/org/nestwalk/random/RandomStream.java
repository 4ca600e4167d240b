package org.nestwalk.random;

/**
 * One named source of pseudo-random numbers for one stochastic process of the model (the addresses a workload
 * touches, where the allocator places frames, ...). Keeping one stream per process keeps common random numbers
 * aligned: changing how often one process draws never shifts the numbers another process sees.
 *
 * <p>The generator is xoshiro256** (Blackman and Vigna, 2018), seeded through SplitMix64. It is a plain object with
 * primitive state so the per-reference path can draw without allocating; it is not thread-safe and never shared
 * between replications.
 */
public final class RandomStream {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** Creates a stream whose whole future is determined by {@code seed}. */
    public RandomStream(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    /** SplitMix64's output function: a bijective scrambler of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 uniformly distributed bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 bits of precision. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias: draws in the incomplete top block of [0, 2^63) are rejected. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long r = nextLong() >>> 1;
        long m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        // Reject the top partial block of [0, 2^63) so every residue is equally likely.
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // retry
        }
        return r;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** True with probability {@code p}. */
    public boolean nextBoolean(double p) {
        return nextDouble() < p;
    }

    /** Exponentially distributed with the given mean (inversion). */
    public double nextExponential(double mean) {
        return -mean * Math.log1p(-nextDouble());
    }
}
