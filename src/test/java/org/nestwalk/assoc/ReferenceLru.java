package org.nestwalk.assoc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trivially correct set-associative LRU store, for differential tests of the fast ones: each set is an
 * access-ordered {@link LinkedHashMap} (eldest = least recently used) that drops its eldest entry beyond the set's
 * ways. A fully associative store is one set. Its operations mean what {@link LruArray}'s mean.
 */
public final class ReferenceLru {
    private final int ways;
    private final List<LinkedHashMap<Long, Long>> sets = new ArrayList<>();

    /** @param entries total entries (0: absent); {@code entries / ways} sets */
    public ReferenceLru(int entries, int ways) {
        this.ways = ways;
        for (int i = 0; i < (entries == 0 ? 0 : entries / ways); i++) {
            sets.add(new LinkedHashMap<>(16, 0.75f, true));
        }
    }

    /** A fully associative store of {@code entries}. */
    public static ReferenceLru fullyAssociative(int entries) {
        return new ReferenceLru(entries, Math.max(1, entries));
    }

    private LinkedHashMap<Long, Long> set(long index) {
        return sets.get((int) (index & (sets.size() - 1)));
    }

    /** The value of {@code key}, made most recent; {@link LruArray#MISS} if absent. */
    public long lookup(long key, long index) {
        if (sets.isEmpty()) {
            return LruArray.MISS;
        }
        Long v = set(index).get(key);
        return v == null ? LruArray.MISS : v;
    }

    /** A hit (made most recent), or a miss that inserts {@code key} with value 0. */
    public boolean access(long key, long index) {
        if (sets.isEmpty()) {
            return false;
        }
        if (set(index).get(key) != null) {
            return true;
        }
        insert(key, index, 0);
        return false;
    }

    /** Stores {@code key} as the most recent; returns the key evicted, or -1. */
    public long insert(long key, long index, long value) {
        if (sets.isEmpty()) {
            return -1;
        }
        LinkedHashMap<Long, Long> set = set(index);
        long victim = -1;
        if (!set.containsKey(key) && set.size() == ways) {
            Map.Entry<Long, Long> eldest = set.entrySet().iterator().next();
            victim = eldest.getKey();
            set.remove(victim);
        }
        set.put(key, value);
        return victim;
    }

    public boolean invalidate(long key, long index) {
        return !sets.isEmpty() && set(index).remove(key) != null;
    }

    /** Whether {@code key} is present, without touching recency. */
    public boolean contains(long key, long index) {
        return !sets.isEmpty() && set(index).containsKey(key);
    }

    public void clear() {
        sets.forEach(Map::clear);
    }

    public int occupancy() {
        return sets.stream().mapToInt(Map::size).sum();
    }
}
