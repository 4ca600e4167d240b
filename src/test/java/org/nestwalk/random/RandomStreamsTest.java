package org.nestwalk.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomStreamsTest {
    @Test
    void aNamedStreamDependsOnSeedReplicationAndNameOnly() {
        RandomStreams a = new RandomStreams(42, 3);
        assertEquals(a.stream("workload").nextLong(), new RandomStreams(42, 3).stream("workload").nextLong());
        assertNotEquals(a.seedOf("workload"), a.seedOf("frames"));
        assertNotEquals(a.seedOf("workload"), new RandomStreams(42, 4).seedOf("workload"));
        assertNotEquals(a.seedOf("workload"), new RandomStreams(43, 3).seedOf("workload"));
    }

    @Test
    void boundedDrawsAreUniformAndInRange() {
        RandomStream r = new RandomStream(1);
        long[] c = new long[6];
        for (int i = 0; i < 600_000; i++) {
            long x = r.nextLong(6);
            assertTrue(x >= 0 && x < 6);
            c[(int) x]++;
        }
        for (long n : c) {
            assertEquals(100_000, n, 1500);
        }
        double sum = 0;
        for (int i = 0; i < 200_000; i++) {
            double d = r.nextDouble();
            assertTrue(d >= 0 && d < 1);
            sum += r.nextExponential(5);
        }
        assertEquals(5, sum / 200_000, 0.05);
    }
}
