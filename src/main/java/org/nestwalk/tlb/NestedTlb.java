package org.nestwalk.tlb;

import org.nestwalk.assoc.FullyAssociativeLru;
import org.nestwalk.assoc.LruArray;
import org.nestwalk.pagetable.PageSize;

/**
 * The nested TLB: a small fully associative cache of complete guest-physical to system-physical translations (the
 * results of nested walks), tagged by VM. It is probed before each nested translation of a 2D walk; a hit skips that
 * whole nested walk. Entries cover a host page: 4 KiB, or 2 MiB when the hypervisor maps guest memory with 2 MiB
 * pages.
 */
public final class NestedTlb {
    /** Bit of a stored value (a page base, so its low bits are free) that says the host page may be written. */
    private static final long WRITABLE = 1;

    private final FullyAssociativeLru entries;
    private final int latency;
    private long probes;
    private long hits;
    private PageSize lastHitSize = PageSize.SIZE_4K;
    private boolean lastHitWritable;
    // Which entry sizes have ever been filled: a lookup need not search for a size that cannot be there.
    private boolean anySmall;
    private boolean anyLarge;

    public NestedTlb(WalkCacheConfig config) {
        this.entries = new FullyAssociativeLru(config.entries(), true);
        this.latency = config.latency();
    }

    public boolean present() {
        return entries.entries() > 0;
    }

    public int latency() {
        return latency;
    }

    /** The system-physical address of {@code gpa} in VM {@code vm}, or {@link LruArray#MISS}. */
    public long lookup(long gpa, int vm) {
        probes++;
        long value = anySmall ? entries.lookup(key(gpa, PageSize.SIZE_4K, vm)) : LruArray.MISS;
        if (value != LruArray.MISS) {
            hits++;
            lastHitSize = PageSize.SIZE_4K;
            lastHitWritable = (value & WRITABLE) != 0;
            return (value & ~WRITABLE) | (gpa & 0xFFF);
        }
        value = anyLarge ? entries.lookup(key(gpa, PageSize.SIZE_2M, vm)) : LruArray.MISS;
        if (value != LruArray.MISS) {
            hits++;
            lastHitSize = PageSize.SIZE_2M;
            lastHitWritable = (value & WRITABLE) != 0;
            return (value & ~WRITABLE) | (gpa & 0x1F_FFFF);
        }
        return LruArray.MISS;
    }

    /** Host page size of the last hit. */
    public PageSize lastHitSize() {
        return lastHitSize;
    }

    /** Whether the host page of the last hit may be written (the nested entry's permission). */
    public boolean lastHitWritable() {
        return lastHitWritable;
    }

    /**
     * Caches the translation of the host page of {@code size} containing {@code gpa}, starting at {@code spaBase},
     * with the nested entry's permission.
     */
    public void fill(long gpa, int vm, long spaBase, PageSize size, boolean writable) {
        if (size == PageSize.SIZE_4K) {
            anySmall = true;
        } else {
            anyLarge = true;
        }
        entries.insert(key(gpa, size, vm), spaBase | (writable ? WRITABLE : 0));
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

    private static long key(long gpa, PageSize size, int vm) {
        return ((gpa >>> size.shift()) << 8) | ((size == PageSize.SIZE_4K ? 0L : 1L) << 7) | (vm & 0x7F);
    }
}
