package org.nestwalk.assoc;

/**
 * A fully associative store with least-recently-used replacement, organised as the hardware's small tables are: an
 * array of entries scanned linearly. Used for the page walk cache and the nested TLB (24 and 16 entries by default).
 *
 * <p>The valid entries are kept in recency order at the front of the array, the most recent first (move to front):
 * a hit at position {@code i} shifts the {@code i} more recent entries back by one, a fill shifts all of them and
 * drops the last when the array is full, an invalidation closes the gap. A probe that misses changes nothing. The
 * entries a walk probes again and again (the upper levels every walk shares) stay near the front, so most hits end
 * the scan after a few comparisons, and nothing here takes more than a pass over a few cache lines of
 * {@code long}s; a hash index and a linked recency list ({@link LruMap}) cost more than that at these sizes.
 *
 * <p>Above {@link #SCAN_LIMIT} entries a scan would not be cheap any more, and the store delegates to an
 * {@link LruMap}, which is O(1) per operation. Both are exact LRU over the valid entries, so they hold the same
 * entries and answer the same, whatever the size (the tests compare them with a trivially correct model).
 *
 * <p>Keys must be non-negative; {@link LruArray#MISS} is returned for absent keys, so it cannot be stored as a
 * value. Only primitive arrays are used: nothing allocates after construction.
 */
public final class FullyAssociativeLru {
    /** Largest capacity kept as a scanned array; larger ones use a hash index. */
    public static final int SCAN_LIMIT = 64;

    private final int capacity;
    private final boolean withValues;
    /** Keys of the valid entries, most recent first, in {@code [0, count)}; null above the scan limit. */
    private final long[] keys;
    /** Their values; null when entries carry none (then every value is 0). */
    private final long[] values;
    private int count;
    /** The store above the scan limit; null below. */
    private final LruMap map;
    /**
     * The key of the last {@link #lookup} that missed, while nothing has changed since ({@code -1} otherwise): a
     * fill of that key, which is what usually follows a miss, can skip the search for it.
     */
    private long missed = -1;

    /**
     * @param capacity   entries; 0 gives an absent structure (every lookup misses, fills are dropped)
     * @param withValues whether entries carry a value (the nested TLB's do, the page walk cache's do not)
     */
    public FullyAssociativeLru(int capacity, boolean withValues) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
        this.withValues = withValues;
        if (capacity > SCAN_LIMIT) {
            this.map = new LruMap(capacity);
            this.keys = null;
            this.values = null;
        } else {
            this.map = null;
            this.keys = new long[capacity];
            this.values = withValues ? new long[capacity] : null;
        }
    }

    public int entries() {
        return capacity;
    }

    /** The value under {@code key} (0 if entries carry none), made most recent; {@link LruArray#MISS} if absent. */
    public long lookup(long key) {
        if (map != null) {
            return map.lookup(key);
        }
        long[] k = keys;
        int n = count;
        for (int i = 0; i < n; i++) {
            if (k[i] == key) {
                missed = -1;
                return moveToFront(i, key);
            }
        }
        missed = key;
        return LruArray.MISS;
    }

    /** Whether {@code key} is present; a hit makes it most recent. */
    public boolean probe(long key) {
        return lookup(key) != LruArray.MISS;
    }

    /** Whether {@code key} is present, without touching recency. */
    public boolean contains(long key) {
        if (map != null) {
            return map.contains(key);
        }
        return indexOf(key) >= 0;
    }

    /** Stores {@code key -> value} as the most recent entry, evicting the least recent if full. */
    public void insert(long key, long value) {
        if (key < 0) {
            throw new IllegalArgumentException("keys must be non-negative: " + key);
        }
        if (map != null) {
            map.insert(key, withValues ? value : 0);
            return;
        }
        if (capacity == 0) {
            return;
        }
        // Right after a lookup of this key missed, it is known to be absent.
        int at = key == missed ? -1 : indexOf(key);
        missed = -1;
        if (at < 0) {
            // Absent: every entry moves back by one, and the least recent falls off the end of a full array.
            at = count < capacity ? count++ : capacity - 1;
        }
        shiftBack(at);
        keys[0] = key;
        if (values != null) {
            values[0] = value;
        }
    }

    /** Removes {@code key} if present. */
    public boolean invalidate(long key) {
        if (map != null) {
            return map.invalidate(key);
        }
        int at = indexOf(key);
        if (at < 0) {
            return false;
        }
        missed = -1;
        int after = count - at - 1;
        System.arraycopy(keys, at + 1, keys, at, after);
        if (values != null) {
            System.arraycopy(values, at + 1, values, at, after);
        }
        count--;
        return true;
    }

    /** Empties the store. */
    public void clear() {
        if (map != null) {
            map.clear();
            return;
        }
        count = 0;
        missed = -1;
    }

    /** Entries present. */
    public int occupancy() {
        return map != null ? map.occupancy() : count;
    }

    private int indexOf(long key) {
        long[] k = keys;
        int n = count;
        for (int i = 0; i < n; i++) {
            if (k[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** Makes entry {@code i} (holding {@code key}) the most recent, and returns its value. */
    private long moveToFront(int i, long key) {
        if (values == null) {
            if (i > 0) {
                shiftBack(i);
                keys[0] = key;
            }
            return 0;
        }
        long value = values[i];
        if (i > 0) {
            shiftBack(i);
            keys[0] = key;
            values[0] = value;
        }
        return value;
    }

    /** Moves entries {@code 0 .. at-1} to {@code 1 .. at}, overwriting entry {@code at}. */
    private void shiftBack(int at) {
        long[] k = keys;
        for (int j = at; j > 0; j--) {
            k[j] = k[j - 1];
        }
        long[] v = values;
        if (v != null) {
            for (int j = at; j > 0; j--) {
                v[j] = v[j - 1];
            }
        }
    }
}
