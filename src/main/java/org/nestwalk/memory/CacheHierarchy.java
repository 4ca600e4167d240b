package org.nestwalk.memory;

/**
 * The caches one vCPU sees: its private L1D and L2 and the shared last-level cache, non-inclusive, allocating a
 * missing line at every level. Both the core's data references and the page walker's entry references come here,
 * so translation traffic is real cache traffic.
 */
public final class CacheHierarchy {
    private final Cache l1;
    private final Cache l2;
    private final Cache llc;
    /** This hierarchy's own lookups of the shared LLC that hit and missed (the LLC counts everyone's). */
    private long llcHits;
    private long llcMisses;

    public CacheHierarchy(Cache l1, Cache l2, Cache llc) {
        this.l1 = l1;
        this.l2 = l2;
        this.llc = llc;
    }

    /** Accesses {@code address}, filling the line wherever it was missing; returns the level that served it. */
    public MemoryLevel access(long address) {
        if (l1.access(address)) {
            return MemoryLevel.L1;
        }
        if (l2.access(address)) {
            return MemoryLevel.L2;
        }
        if (llc.access(address)) {
            llcHits++;
            return MemoryLevel.LLC;
        }
        llcMisses++;
        return MemoryLevel.DRAM;
    }

    /**
     * {@link #access}'s effects and answer when one of the caches holds the line; null, changing nothing, when the
     * access would go to DRAM (the caller then makes it with {@link #access}). Each level's set is searched once: the
     * level that hits commits its hit, and the levels above it then take their miss and fill, as in {@link #access}.
     */
    public MemoryLevel accessIfCached(long address) {
        if (l1.hitIfPresent(address)) {
            return MemoryLevel.L1;
        }
        if (l2.hitIfPresent(address)) {
            l1.access(address);
            return MemoryLevel.L2;
        }
        if (llc.hitIfPresent(address)) {
            l1.access(address);
            l2.access(address);
            llcHits++;
            return MemoryLevel.LLC;
        }
        return null;
    }

    /**
     * Load-to-use cycles of a hit at {@code level}; for DRAM, the cycles until the miss leaves the LLC for the
     * memory controller.
     */
    public int latency(MemoryLevel level) {
        return switch (level) {
            case L1 -> l1.config().latency();
            case L2 -> l2.config().latency();
            case LLC, DRAM -> llc.config().latency();
        };
    }

    public Cache l1() {
        return l1;
    }

    public Cache l2() {
        return l2;
    }

    public Cache llc() {
        return llc;
    }

    /** Lookups of the LLC made through this hierarchy (one vCPU's) that hit. */
    public long llcHits() {
        return llcHits;
    }

    /** Lookups of the LLC made through this hierarchy (one vCPU's) that missed. */
    public long llcMisses() {
        return llcMisses;
    }

    /** Empties all three levels (a cold machine). */
    public void clear() {
        l1.clear();
        l2.clear();
        llc.clear();
    }
}
