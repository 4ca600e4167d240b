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
    /**
     * The line of the last access, which is therefore the most recent of its set (-1 after a clear): the next
     * access to the same line, the usual case for a sequence of nearby references, is a hit that changes nothing,
     * and is answered without looking at the set.
     */
    private long lastLine = -1;
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
        if (line == lastLine) {
            hits++;
            return true;
        }
        // CacheConfig guarantees at least one line; were there none, nothing would be stored to hit on later.
        lastLine = tags.entries() > 0 ? line : -1;
        if (tags.access(line, line)) {
            hits++;
            return true;
        }
        misses++;
        return false;
    }

    /**
     * {@link #access}'s effects and true when the line of {@code address} is present; false, changing nothing, when
     * it is not (the caller then makes the access).
     */
    public boolean hitIfPresent(long address) {
        long line = address >>> LINE_SHIFT;
        if (line == lastLine) {
            hits++;
            return true;
        }
        if (tags.entries() > 0 && tags.probe(line, line)) {
            lastLine = line;
            hits++;
            return true;
        }
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
        lastLine = -1;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }
}
