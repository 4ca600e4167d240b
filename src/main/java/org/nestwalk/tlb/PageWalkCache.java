package org.nestwalk.tlb;

import org.nestwalk.assoc.FullyAssociativeLru;

/**
 * The AMD-style page walk cache (Bhargava et al., ASPLOS 2008): a small fully associative cache of page-table
 * entries tagged by the entry's system-physical address. It holds upper-level entries of both dimensions of a 2D
 * walk (guest and nested levels 4 to 2), never leaves. Every reference of a walk to such an entry probes it first; a
 * hit costs the probe instead of a cache or memory access.
 */
public final class PageWalkCache {
    private final FullyAssociativeLru entries;
    private final int latency;
    private long probes;
    private long hits;

    public PageWalkCache(WalkCacheConfig config) {
        this.entries = new FullyAssociativeLru(config.entries(), false);
        this.latency = config.latency();
    }

    /** Whether the structure exists (a size of 0 disables it). */
    public boolean present() {
        return entries.entries() > 0;
    }

    public int latency() {
        return latency;
    }

    /** Probes for the entry at system-physical address {@code entryAddress}; a hit becomes most recent. */
    public boolean probe(long entryAddress) {
        probes++;
        if (entries.probe(entryAddress >>> 3)) {
            hits++;
            return true;
        }
        return false;
    }

    /** Caches the entry at {@code entryAddress} after it was read from memory. */
    public void fill(long entryAddress) {
        entries.insert(entryAddress >>> 3, 0);
    }

    /** Drops the entry at {@code entryAddress}, if cached (the table changed). */
    public void invalidate(long entryAddress) {
        entries.invalidate(entryAddress >>> 3);
    }

    public void flush() {
        entries.clear();
    }

    public long probes() {
        return probes;
    }

    public long hits() {
        return hits;
    }
}
