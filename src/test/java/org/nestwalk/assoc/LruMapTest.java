package org.nestwalk.assoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStream;

class LruMapTest {
    @Test
    void behavesExactlyLikeAOneSetLruArray() {
        for (int capacity : new int[] {1, 2, 16, 24, 100}) {
            LruMap map = new LruMap(capacity);
            LruArray array = new LruArray(capacity, capacity, true);
            RandomStream r = new RandomStream(capacity);
            for (int i = 0; i < 200_000; i++) {
                long key = r.nextLong(capacity * 3L);
                switch (r.nextInt(4)) {
                    case 0, 1 -> assertEquals(array.lookup(key, 0), map.lookup(key), "lookup " + i);
                    case 2 -> {
                        array.insert(key, 0, i);
                        map.insert(key, i);
                    }
                    default -> assertEquals(array.invalidate(key, 0), map.invalidate(key), "invalidate " + i);
                }
                if (i % 1000 == 0) {
                    assertEquals(array.occupancy(), map.occupancy());
                }
            }
            for (long k = 0; k < capacity * 3L; k++) {
                assertEquals(array.contains(k, 0), map.contains(k), "key " + k);
            }
        }
    }

    @Test
    void anAbsentMapMissesAndIgnoresFills() {
        LruMap m = new LruMap(0);
        m.insert(5, 1);
        assertEquals(LruArray.MISS, m.lookup(5));
        assertFalse(m.contains(5));
        m.clear();
    }
}
