package org.nestwalk.random;

import java.nio.charset.StandardCharsets;

/**
 * The family of named random streams of one replication. A stream's seed is derived from the experiment seed, the
 * replication number and the stream's name only, so replication {@code r} of every configuration sees the same
 * workload numbers (common random numbers) while two replications, or two seeds, see different ones.
 */
public final class RandomStreams {
    private final long seed;
    private final int replication;

    public RandomStreams(long seed, int replication) {
        if (replication < 0) {
            throw new IllegalArgumentException("replication must be >= 0: " + replication);
        }
        this.seed = seed;
        this.replication = replication;
    }

    public long seed() {
        return seed;
    }

    public int replication() {
        return replication;
    }

    /** A fresh stream for the named process; the same name always gives the same numbers. */
    public RandomStream stream(String name) {
        return new RandomStream(seedOf(name));
    }

    /** The derived 64-bit seed of the named stream (also what DSOL is given, so its own streams differ per run). */
    public long seedOf(String name) {
        long h = RandomStream.mix(seed ^ 0x6A09E667F3BCC909L);
        h = RandomStream.mix(h ^ (replication * 0x9E3779B97F4A7C15L + 1));
        return RandomStream.mix(h ^ fnv1a(name));
    }

    private static long fnv1a(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
