package org.nestwalk.assoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.nestwalk.random.RandomStream;

class LruArrayTest {

    @Test
    void evictsTheLeastRecentlyUsedEntryOfTheSet() {
        LruArray a = new LruArray(4, 4, true);
        for (long k = 1; k <= 4; k++) {
            a.insert(k, 0, k * 10);
        }
        assertEquals(10, a.lookup(1, 0)); // 1 is now most recent; 2 is least recent
        assertEquals(2, a.insert(5, 0, 50));
        assertFalse(a.contains(2, 0));
        assertEquals(LruArray.MISS, a.lookup(2, 0));
        assertEquals(50, a.lookup(5, 0));
    }

    @Test
    void setsAreIndependent() {
        LruArray a = new LruArray(8, 2, true); // 4 sets of 2
        a.insert(100, 0, 1);
        a.insert(101, 1, 2);
        a.insert(102, 4, 3); // set 0 again
        a.insert(103, 8, 4); // set 0: evicts 100
        assertFalse(a.contains(100, 0));
        assertTrue(a.contains(101, 1));
    }

    @Test
    void behavesLikeAReferenceLruModel() {
        // Random traffic on a 4-way set against a plain recency list: same hits, same contents.
        LruArray a = new LruArray(4, 4, false);
        Deque<Long> model = new ArrayDeque<>();
        RandomStream r = new RandomStream(5);
        for (int i = 0; i < 100_000; i++) {
            long key = r.nextLong(9);
            boolean expectedHit = model.remove(key);
            model.addFirst(key);
            if (model.size() > 4) {
                model.removeLast();
            }
            assertEquals(expectedHit, a.access(key, 0), "access " + i);
        }
        for (long k : model) {
            assertTrue(a.contains(k, 0));
        }
    }

    @Test
    void matchesAReferenceModelOnEveryOperationAcrossSets() {
        // Geometries of the TLBs and caches (and a few odd ones), with and without values: the same hits, values,
        // victims and contents as the trivially correct model, over long random sequences with locality.
        int[][] geometries = {{1, 1}, {8, 2}, {64, 4}, {512, 4}, {512, 8}, {4096, 16}, {24, 24}};
        for (int[] g : geometries) {
            for (boolean withValues : new boolean[] {false, true}) {
                LruArray a = new LruArray(g[0], g[1], withValues);
                ReferenceLru model = new ReferenceLru(g[0], g[1]);
                RandomStream r = new RandomStream(g[0] * 31L + g[1]);
                long range = 2L * g[0] + 3;
                long key = 0;
                for (int i = 0; i < 200_000; i++) {
                    // Half the time a key near the last one (the same key, often), else anywhere in the range.
                    key = r.nextInt(2) == 0 ? Math.max(0, key + r.nextInt(3) - 1) : r.nextLong(range);
                    String where = g[0] + "/" + g[1] + (withValues ? " with values" : "") + ", operation " + i;
                    switch (r.nextInt(8)) {
                        case 0, 1, 2 -> assertEquals(model.access(key, key), a.access(key, key), where);
                        case 3, 4 -> {
                            long expected = model.lookup(key, key);
                            long got = a.lookup(key, key);
                            assertEquals(expected == LruArray.MISS || withValues ? expected : 0, got, where);
                        }
                        case 5, 6 -> assertEquals(model.insert(key, key, i), a.insert(key, key, i), where);
                        default -> assertEquals(model.invalidate(key, key), a.invalidate(key, key), where);
                    }
                    if (i % 4999 == 0) {
                        assertEquals(model.occupancy(), a.occupancy(), where);
                        for (long k = 0; k < range; k++) {
                            assertEquals(model.contains(k, k), a.contains(k, k), where + ", key " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void invalidatedEntryIsGoneAndItsWayIsReusedFirst() {
        LruArray a = new LruArray(2, 2, true);
        a.insert(1, 0, 1);
        a.insert(2, 0, 2);
        assertTrue(a.invalidate(2, 0));
        assertFalse(a.contains(2, 0));
        assertEquals(-1, a.insert(3, 0, 3)); // the free way, no eviction
        assertTrue(a.contains(1, 0));
    }

    @Test
    void anAbsentStructureMissesAndIgnoresFills() {
        LruArray a = new LruArray(0, 4, true);
        a.insert(1, 0, 1);
        assertEquals(LruArray.MISS, a.lookup(1, 0));
        assertFalse(a.access(1, 0));
        assertEquals(0, a.occupancy());
    }

    @Test
    void rejectsGeometriesThatAreNotPowersOfTwoSets() {
        assertThrows(IllegalArgumentException.class, () -> new LruArray(24, 4, false)); // 6 sets
        assertThrows(IllegalArgumentException.class, () -> new LruArray(10, 4, false));
        assertEquals(1, new LruArray(24, 24, false).sets());
    }
}
