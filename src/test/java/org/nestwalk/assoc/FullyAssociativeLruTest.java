package org.nestwalk.assoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStream;

class FullyAssociativeLruTest {
    @Test
    void givesTheSameHitsValuesAndVictimsAsAReferenceLruAtEverySize() {
        // Scanned sizes, the limit on both sides, and hash-indexed sizes up to the largest a user may configure.
        for (int capacity : new int[] {0, 1, 2, 3, 16, 24, 63, 64, 65, 100, 1000, 4096}) {
            for (boolean withValues : new boolean[] {false, true}) {
                FullyAssociativeLru lru = new FullyAssociativeLru(capacity, withValues);
                ReferenceLru model = ReferenceLru.fullyAssociative(capacity);
                RandomStream r = new RandomStream(capacity * 2L + (withValues ? 1 : 0));
                // Keys from a range a little wider than the capacity: hits, misses and evictions all happen.
                long range = capacity + 1 + capacity / 2;
                int operations = Math.max(100_000, 30 * capacity);
                for (int i = 0; i < operations; i++) {
                    long key = r.nextLong(range);
                    int op = r.nextInt(10);
                    String where = capacity + (withValues ? " with values" : "") + ", operation " + i;
                    if (op < 5) {
                        long expected = model.lookup(key, 0);
                        long got = lru.lookup(key);
                        assertEquals(expected == LruArray.MISS ? LruArray.MISS : withValues ? expected : 0, got, where);
                    } else if (op < 6) {
                        // A miss followed at once by the fill of that key: the case the store short-cuts.
                        if (lru.lookup(key) == LruArray.MISS) {
                            lru.insert(key, i);
                            model.insert(key, 0, i);
                        } else {
                            model.lookup(key, 0);
                        }
                    } else if (op < 9) {
                        lru.insert(key, i);
                        model.insert(key, 0, i);
                    } else {
                        assertEquals(model.invalidate(key, 0), lru.invalidate(key), where);
                    }
                    assertEquals(model.occupancy(), lru.occupancy(), where);
                    if (i % 997 == 0) {
                        // The same entries are held (the victims were the same), seen without touching recency.
                        for (long k = 0; k < range; k++) {
                            assertEquals(model.contains(k, 0), lru.contains(k), where + ", key " + k);
                        }
                    }
                    if (i % 50_021 == 50_000) {
                        lru.clear();
                        model.clear();
                    }
                }
            }
        }
    }

    @Test
    void evictsTheLeastRecentlyUsedEntry() {
        FullyAssociativeLru lru = new FullyAssociativeLru(3, true);
        lru.insert(1, 10);
        lru.insert(2, 20);
        lru.insert(3, 30);
        assertEquals(10, lru.lookup(1)); // 2 is now the least recent
        lru.insert(4, 40);
        assertFalse(lru.contains(2));
        assertTrue(lru.contains(1) && lru.contains(3) && lru.contains(4));
        assertEquals(LruArray.MISS, lru.lookup(2));
    }

    @Test
    void anInvalidatedEntryLeavesRoomWithoutEvictingAnother() {
        FullyAssociativeLru lru = new FullyAssociativeLru(2, false);
        lru.insert(1, 0);
        lru.insert(2, 0);
        assertTrue(lru.invalidate(1));
        assertFalse(lru.invalidate(1));
        lru.insert(3, 0);
        assertTrue(lru.contains(2) && lru.contains(3));
        assertEquals(2, lru.occupancy());
    }

    @Test
    void anAbsentStoreMissesAndIgnoresFills() {
        FullyAssociativeLru lru = new FullyAssociativeLru(0, true);
        lru.insert(5, 1);
        assertEquals(LruArray.MISS, lru.lookup(5));
        assertFalse(lru.contains(5));
        assertEquals(0, lru.occupancy());
        assertThrows(IllegalArgumentException.class, () -> lru.insert(-1, 0));
    }
}
