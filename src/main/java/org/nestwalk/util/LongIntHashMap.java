package org.nestwalk.util;

import java.util.Arrays;

/**
 * A map from non-negative long keys to int values with open addressing and linear probing, in two primitive arrays:
 * what the model uses where a {@code HashMap<Long, Integer>} would box on every access (frame numbers to table
 * slots, to reference counts).
 */
public final class LongIntHashMap {
    private static final long EMPTY = -1;
    private static final long REMOVED = -2;

    private long[] keys;
    private int[] values;
    private int size;
    private int used;

    public LongIntHashMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
    }

    /** The value of {@code key}, or {@code absent}. */
    public int get(long key, int absent) {
        int i = find(key);
        return i < 0 ? absent : values[i];
    }

    public boolean containsKey(long key) {
        return find(key) >= 0;
    }

    /** Sets {@code key} to {@code value}. */
    public void put(long key, int value) {
        if (key < 0) {
            throw new IllegalArgumentException("keys must be non-negative: " + key);
        }
        int i = find(key);
        if (i >= 0) {
            values[i] = value;
            return;
        }
        if ((used + 1) * 2 > keys.length) {
            rehash(size * 4 > keys.length ? keys.length * 2 : keys.length);
        }
        int mask = keys.length - 1;
        i = hash(key) & mask;
        while (keys[i] >= 0) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            used++;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Adds {@code delta} to the value of {@code key} (absent counts as 0) and returns the new value. */
    public int add(long key, int delta) {
        int v = get(key, 0) + delta;
        put(key, v);
        return v;
    }

    /** Removes {@code key}; returns whether it was there. */
    public boolean remove(long key) {
        int i = find(key);
        if (i < 0) {
            return false;
        }
        keys[i] = REMOVED;
        size--;
        return true;
    }

    public int size() {
        return size;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return i;
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY);
        size = 0;
        used = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] >= 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
