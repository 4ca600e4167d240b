package org.nestwalk.assoc;

import java.util.Arrays;

/**
 * A fully associative store with least-recently-used replacement, in O(1) per operation: an open-addressing hash
 * index from key to entry, and the entries linked in recency order. {@link FullyAssociativeLru} uses it for page walk
 * caches and nested TLBs configured larger than a linear scan is worth ({@link FullyAssociativeLru#SCAN_LIMIT}); at
 * the default sizes a scanned array is cheaper than hashing and relinking. Same behaviour as
 * {@code new LruArray(entries, entries, ...)}; primitive arrays only, nothing allocates.
 *
 * <p>Keys must be non-negative; {@link LruArray#MISS} is returned for absent keys.
 */
public final class LruMap {
    private static final int NONE = -1;

    private final int capacity;
    private final long[] keys;
    private final long[] values;
    private final int[] newer;
    private final int[] older;
    /** Hash index: entry number + 1, or 0 for an empty bucket. */
    private final int[] index;
    private final int mask;
    private final int[] freeSlots;
    private int free;
    private int used;
    private int head = NONE;
    private int tail = NONE;

    /** @param capacity entries; 0 gives an absent structure (every lookup misses, fills are dropped) */
    public LruMap(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
        this.keys = new long[capacity];
        this.values = new long[capacity];
        this.newer = new int[capacity];
        this.older = new int[capacity];
        int buckets = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.index = new int[buckets];
        this.mask = buckets - 1;
        this.freeSlots = new int[capacity];
    }

    public int entries() {
        return capacity;
    }

    /** The value under {@code key}, made most recent; {@link LruArray#MISS} if absent. */
    public long lookup(long key) {
        int e = find(key);
        if (e < 0) {
            return LruArray.MISS;
        }
        touch(e);
        return values[e];
    }

    /** Whether {@code key} is present; a hit makes it most recent. */
    public boolean probe(long key) {
        return lookup(key) != LruArray.MISS;
    }

    /** Whether {@code key} is present, without touching recency. */
    public boolean contains(long key) {
        return find(key) >= 0;
    }

    /** Stores {@code key -> value} as the most recent entry, evicting the least recent if full. */
    public void insert(long key, long value) {
        if (key < 0) {
            throw new IllegalArgumentException("keys must be non-negative: " + key);
        }
        if (capacity == 0) {
            return;
        }
        int e = find(key);
        if (e >= 0) {
            values[e] = value;
            touch(e);
            return;
        }
        if (free > 0) {
            e = freeSlots[--free];
        } else if (used < capacity) {
            e = used++;
        } else {
            e = tail;
            unlink(e);
            removeFromIndex(keys[e]);
        }
        keys[e] = key;
        values[e] = value;
        addToIndex(key, e);
        linkAtHead(e);
    }

    /** Removes {@code key} if present. */
    public boolean invalidate(long key) {
        int e = find(key);
        if (e < 0) {
            return false;
        }
        unlink(e);
        removeFromIndex(key);
        freeSlots[free++] = e;
        return true;
    }

    public void clear() {
        Arrays.fill(index, 0);
        used = 0;
        free = 0;
        head = NONE;
        tail = NONE;
    }

    /** Entries present. */
    public int occupancy() {
        return used - free;
    }

    private int find(long key) {
        if (capacity == 0) {
            return NONE;
        }
        for (int b = bucket(key); ; b = (b + 1) & mask) {
            int e = index[b] - 1;
            if (e < 0) {
                return NONE;
            }
            if (keys[e] == key) {
                return e;
            }
        }
    }

    private void addToIndex(long key, int e) {
        int b = bucket(key);
        while (index[b] != 0) {
            b = (b + 1) & mask;
        }
        index[b] = e + 1;
    }

    /** Linear-probing deletion without tombstones: later members of the cluster move back into the hole. */
    private void removeFromIndex(long key) {
        int b = bucket(key);
        while (keys[index[b] - 1] != key) {
            b = (b + 1) & mask;
        }
        int hole = b;
        for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
            int home = bucket(keys[index[j] - 1]);
            // Move j's entry into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
    }

    private void touch(int e) {
        if (e != head) {
            unlink(e);
            linkAtHead(e);
        }
    }

    private void linkAtHead(int e) {
        older[e] = head;
        newer[e] = NONE;
        if (head != NONE) {
            newer[head] = e;
        }
        head = e;
        if (tail == NONE) {
            tail = e;
        }
    }

    private void unlink(int e) {
        int n = newer[e];
        int o = older[e];
        if (n != NONE) {
            older[n] = o;
        } else {
            head = o;
        }
        if (o != NONE) {
            newer[o] = n;
        } else {
            tail = n;
        }
    }

    private int bucket(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
