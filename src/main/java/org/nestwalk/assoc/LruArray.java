package org.nestwalk.assoc;

import java.util.Arrays;

/**
 * A set-associative array with least-recently-used replacement: the storage organisation shared by the TLBs, the
 * page walk cache, the nested TLB and the data caches. A key lives in the set selected by the low bits of its
 * {@code index}; a fully associative structure is one set.
 *
 * <p>Each set is kept in recency order, way 0 the most recent: a hit moves its entry to the front, a miss drops the
 * last way. This is exact LRU, and under locality it is also the cheapest organisation to simulate: a hit on the
 * most recent entry (the common case) writes nothing. A global recency counter would instead chain every access
 * through one load-increment-store, which measured slower than shifting a few ways. Only primitive arrays are
 * used: nothing allocates.
 *
 * <p>Keys must be non-negative; {@link #MISS} is returned for absent keys, so it cannot be stored as a value.
 */
public final class LruArray {
    /** Returned by {@link #lookup} when the key is absent. */
    public static final long MISS = Long.MIN_VALUE;

    private static final long EMPTY = -1L;

    private final int sets;
    private final int ways;
    private final int setMask;
    private final long[] keys;
    private final long[] values;

    /**
     * @param entries    total entries; 0 gives a structure that is absent (every lookup misses, fills are dropped)
     * @param ways       entries per set; {@code entries / ways} must be a power of two
     * @param withValues whether entries carry a value (a TLB does, a cache tag array does not)
     */
    public LruArray(int entries, int ways, boolean withValues) {
        if (entries < 0 || ways <= 0) {
            throw new IllegalArgumentException("entries must be >= 0 and ways > 0: " + entries + ", " + ways);
        }
        if (entries > 0 && (entries % ways != 0 || Integer.bitCount(entries / ways) != 1)) {
            throw new IllegalArgumentException(
                    "entries / ways must be a power of two: " + entries + " entries, " + ways + " ways");
        }
        this.ways = entries == 0 ? 0 : ways;
        this.sets = entries == 0 ? 0 : entries / ways;
        this.setMask = Math.max(0, sets - 1);
        this.keys = new long[entries];
        this.values = withValues ? new long[entries] : null;
        Arrays.fill(keys, EMPTY);
    }

    public int entries() {
        return keys.length;
    }

    public int ways() {
        return ways;
    }

    public int sets() {
        return sets;
    }

    /** The value stored under {@code key}, made most recent; {@link #MISS} if absent. */
    public long lookup(long key, long index) {
        if (sets == 0) {
            return MISS;
        }
        int base = (int) (index & setMask) * ways;
        long[] k = keys;
        if (k[base] == key) {
            return values == null ? 0 : values[base];
        }
        for (int i = base + 1, end = base + ways; i < end; i++) {
            if (k[i] == key) {
                long value = values == null ? 0 : values[i];
                moveToFront(base, i, key, value);
                return value;
            }
        }
        return MISS;
    }

    /** Whether {@code key} is present; a hit makes it most recent. */
    public boolean probe(long key, long index) {
        return lookup(key, index) != MISS;
    }

    /**
     * A cache access: true on a hit (made most recent); on a miss {@code key} is inserted as the most recent entry
     * in place of the least recent one (with value 0), and false is returned.
     *
     * <p>One pass does the search and the move to front together: each way is read once, and overwritten with the
     * more recent key before it, until the key is found (a hit) or the set ends (a miss, whose least recent key is
     * then simply not written back). A separate search and shift would read the ways before the hit twice.
     */
    public boolean access(long key, long index) {
        if (sets == 0) {
            return false;
        }
        int base = (int) (index & setMask) * ways;
        long[] k = keys;
        long carry = k[base];
        if (carry == key) {
            return true;
        }
        if (values != null) {
            return accessWithValues(key, base);
        }
        k[base] = key;
        for (int i = base + 1, end = base + ways; i < end; i++) {
            long current = k[i];
            k[i] = carry;
            if (current == key) {
                return true;
            }
            carry = current;
        }
        return false;
    }

    /** {@link #access} for an array whose entries carry values: a hit keeps its value, a new entry gets 0. */
    private boolean accessWithValues(long key, int base) {
        int end = base + ways;
        for (int i = base + 1; i < end; i++) {
            if (keys[i] == key) {
                moveToFront(base, i, key, values[i]);
                return true;
            }
        }
        moveToFront(base, end - 1, key, 0);
        return false;
    }

    /** Whether {@code key} is present, without touching recency (for tests and introspection). */
    public boolean contains(long key, long index) {
        if (sets == 0) {
            return false;
        }
        int base = (int) (index & setMask) * ways;
        for (int i = base; i < base + ways; i++) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    /**
     * Stores {@code key -> value} as the most recent entry of its set, evicting the least recent one if the set is
     * full. Returns the evicted key, or -1 if nothing was evicted.
     */
    public long insert(long key, long index, long value) {
        if (key < 0) {
            throw new IllegalArgumentException("keys must be non-negative: " + key);
        }
        if (sets == 0) {
            return EMPTY;
        }
        int base = (int) (index & setMask) * ways;
        int end = base + ways;
        for (int i = base; i < end; i++) {
            if (keys[i] == key) {
                moveToFront(base, i, key, value);
                return EMPTY;
            }
        }
        long victim = keys[end - 1];
        moveToFront(base, end - 1, key, value);
        return victim;
    }

    /** Removes {@code key} if present; its way becomes the least recent, the first to be refilled. */
    public boolean invalidate(long key, long index) {
        if (sets == 0) {
            return false;
        }
        int base = (int) (index & setMask) * ways;
        int end = base + ways;
        for (int i = base; i < end; i++) {
            if (keys[i] == key) {
                for (int j = i; j < end - 1; j++) {
                    keys[j] = keys[j + 1];
                    if (values != null) {
                        values[j] = values[j + 1];
                    }
                }
                keys[end - 1] = EMPTY;
                return true;
            }
        }
        return false;
    }

    /** Empties every set. */
    public void clear() {
        Arrays.fill(keys, EMPTY);
    }

    /** Number of valid entries (for tests and reports; linear in the size). */
    public int occupancy() {
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                n++;
            }
        }
        return n;
    }

    /** Shifts ways {@code base .. at-1} down by one and puts the entry at {@code base}. */
    private void moveToFront(int base, int at, long key, long value) {
        long[] k = keys;
        for (int i = at; i > base; i--) {
            k[i] = k[i - 1];
        }
        k[base] = key;
        long[] v = values;
        if (v != null) {
            for (int i = at; i > base; i--) {
                v[i] = v[i - 1];
            }
            v[base] = value;
        }
    }
}
