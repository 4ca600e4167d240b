package org.nestwalk.tlb;

import org.nestwalk.assoc.LruArray;
import org.nestwalk.pagetable.PageSize;

/**
 * One level of a data TLB: a 4 KiB array and a 2 MiB array, each set-associative with LRU, entries tagged by virtual
 * page number and address-space tag (VM and process), so that neither a VM switch nor a context switch needs a
 * flush. Each entry holds the physical page and whether it may be written. A 1 GiB translation is held as the
 * 2 MiB piece that was touched.
 */
public final class TlbLevel {
    private static final int SPACE_BITS = 16;

    private final LruArray small;
    private final LruArray large;
    private final int latency;
    private boolean lastHitLarge;
    private boolean lastHitWritable;
    /**
     * The 4 KiB array's key and entry that the last hit or fill made the most recent of its set (key -1 when
     * unknown). A lookup of the same page again, the usual case, is a hit that changes nothing, and is answered
     * from here without looking at the set. Anything that may move or remove that entry forgets it.
     */
    private long recentKey = -1;
    private long recentEntry;

    public TlbLevel(TlbLevelConfig config) {
        this.small = new LruArray(config.entries4k(), config.ways4k(), true);
        this.large = new LruArray(config.entries2m(), config.ways2m(), true);
        this.latency = config.latency();
    }

    /** Cycles of a lookup. */
    public int latency() {
        return latency;
    }

    /**
     * The physical address {@code va} translates to in address space {@code space}, or {@link LruArray#MISS}.
     * A hit becomes most recent in its set.
     */
    public long lookup(long va, int space) {
        long vpn = va >>> 12;
        long key = key(vpn, space);
        long entry;
        if (key == recentKey) {
            entry = recentEntry;
        } else {
            entry = small.lookup(key, vpn);
            if (entry != LruArray.MISS) {
                recentKey = key;
                recentEntry = entry;
            }
        }
        if (entry != LruArray.MISS) {
            lastHitLarge = false;
            lastHitWritable = (entry & 1) != 0;
            return ((entry >>> 1) << 12) | (va & 0xFFF);
        }
        long vpn2m = va >>> 21;
        entry = large.lookup(key(vpn2m, space), vpn2m);
        if (entry != LruArray.MISS) {
            lastHitLarge = true;
            lastHitWritable = (entry & 1) != 0;
            return ((entry >>> 1) << 21) | (va & 0x1F_FFFF);
        }
        return LruArray.MISS;
    }

    /** Whether the last hit of {@link #lookup} may be written. */
    public boolean lastHitWritable() {
        return lastHitWritable;
    }

    /** Whether the last hit of {@link #lookup} was in the 2 MiB array. */
    public boolean lastHitLarge() {
        return lastHitLarge;
    }

    /**
     * Inserts the translation of the page of {@code size} containing {@code va}, whose frame is at {@code pageBase}.
     */
    public void fill(long va, int space, long pageBase, PageSize size, boolean writable) {
        long w = writable ? 1 : 0;
        if (size == PageSize.SIZE_4K) {
            long vpn = va >>> 12;
            long key = key(vpn, space);
            long entry = (pageBase >>> 12) << 1 | w;
            small.insert(key, vpn, entry);
            if (small.entries() > 0) {
                recentKey = key;
                recentEntry = entry;
            }
        } else {
            // A 1 GiB page is splintered into the 2 MiB piece that holds va.
            long base2m = (pageBase | (va & size.offsetMask())) & ~PageSize.SIZE_2M.offsetMask();
            long vpn2m = va >>> 21;
            large.insert(key(vpn2m, space), vpn2m, (base2m >>> 21) << 1 | w);
        }
    }

    /** Drops the translation of {@code va} in {@code space}, of either size (INVLPG). */
    public void invalidate(long va, int space) {
        long vpn = va >>> 12;
        small.invalidate(key(vpn, space), vpn);
        recentKey = -1;
        long vpn2m = va >>> 21;
        large.invalidate(key(vpn2m, space), vpn2m);
    }

    /** Drops everything. */
    public void flush() {
        small.clear();
        recentKey = -1;
        large.clear();
    }

    private static long key(long vpn, int space) {
        return (vpn << SPACE_BITS) | space;
    }
}
