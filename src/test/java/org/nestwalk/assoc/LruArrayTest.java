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
