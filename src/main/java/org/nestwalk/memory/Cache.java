package org.nestwalk.memory;

import org.nestwalk.assoc.LruArray;

/**
 * One level of the data cache hierarchy: a set-associative, LRU array of 64-byte line tags, indexed by
 * system-physical address. Page-table entries and data compete for the same lines. Only tags are kept: the
 * simulator needs where a line is, not what it holds (page-table contents live in
 * {@link org.nestwalk.pagetable.PhysicalMemory}).
 */
public final class Cache {
    private static final int LINE_SHIFT = 6;

    private final CacheConfig config;
    private final LruArray tags;
    private long hits;
    private long misses;

    public Cache(CacheConfig config) {
        this.config = config;
        this.tags = new LruArray(config.lines(), config.ways(), false);
    }

    public CacheConfig config() {
        return config;
    }

    /** Looks the line of {@code address} up; on a miss the line is allocated (write-allocate). */
    public boolean access(long address) {
        long line = address >>> LINE_SHIFT;
        if (tags.access(line, line)) {
            hits++;
            return true;
        }
        misses++;
        return false;
    }

    /** Whether the line of {@code address} is present, without changing anything. */
    public boolean contains(long address) {
        long line = address >>> LINE_SHIFT;
        return tags.contains(line, line);
    }

    /** Drops every line (a cold cache). */
    public void clear() {
        tags.clear();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
