package org.nestwalk.random;

/**
 * A bijection of [0, n) chosen by a key, computed on demand in constant memory: an odd multiplication, an addition
 * and an xor-shift, each invertible on the smallest power-of-two domain holding n, repeated three times, then
 * cycle-walked back into [0, n). Used where the model needs "a random order of n things" for n up to billions
 * (2 MiB regions of physical memory, the lines of a pointer-chase footprint) without a table of n entries.
 * With {@link #identity} it is the identity.
 */
public final class KeyedPermutation {
    private final long n;
    private final long multiplier;
    private final long offset;
    private final long mask;
    private final int half;

    /** A permutation of [0, n) keyed by the next numbers of {@code random}. */
    public KeyedPermutation(long n, RandomStream random) {
        this(n, random.nextLong() | 1, random.nextLong());
    }

    private KeyedPermutation(long n, long multiplier, long offset) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive: " + n);
        }
        this.n = n;
        int bits = Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
        this.half = Math.max(1, bits / 2);
        this.multiplier = multiplier;
        this.offset = offset;
    }

    /** The identity on [0, n). */
    public static KeyedPermutation identity(long n) {
        return new KeyedPermutation(n, 0, 0);
    }

    public long size() {
        return n;
    }

    /** The element at position {@code i} of the order, for {@code 0 <= i < n}. */
    public long at(long i) {
        if (multiplier == 0) {
            return i;
        }
        long x = i;
        do {
            for (int round = 0; round < 3; round++) {
                x = (x * multiplier + offset) & mask;
                x ^= x >>> half;
            }
        } while (x >= n);
        return x;
    }
}
