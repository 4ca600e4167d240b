package org.nestwalk.tlb;

import org.nestwalk.pagetable.PageSize;

/**
 * The part-of-memory TLB (Ryoo, Gulur, Song and John, ISCA 2017): a very large set-associative TLB of gVA to sPA
 * translations that lives in memory, so that its lines are cached in the data caches like any other data. A set is
 * one 64-byte line of four 16-byte entries tagged by VM, process and virtual page number; a lookup reads that line
 * (one memory reference, through the caches), and the walker probes it after an L2 TLB miss and before the 2D walk.
 * Translations of 4 KiB and of 2 MiB pages are kept in two partitions; the 2 MiB one is probed only after a miss in
 * the 4 KiB one and only once it holds anything (the paper predicts the size instead; this is a perfect predictor
 * while one size is in use) (assumed). The walk's result is written into the set it belongs to, replacing the least
 * recently used entry. Like the inverted shadow page table it holds, when a run starts, the translations of the
 * pages already present (in the steady state they have been walked, and it is large enough to keep them), unless
 * {@code tlb.pomWarm} is off.
 *
 * <p>Like a TLB it is kept coherent by the guest's TLB maintenance (INVLPG drops an entry, a full flush and INVEPT drop
 * them all, as an epoch that makes older entries stale at once) and, since its contents are translations, never by the
 * page-table writes themselves.
 */
public final class PomTlb {
    /** Bytes of one entry; four make a 64-byte line, which is one set. */
    public static final int ENTRY_BYTES = 16;
    public static final int WAYS = 4;
    private static final int LINE_BYTES = 64;

    private final long base;
    private final Partition small;
    private final Partition large;
    private long epoch = 1;
    private long probes;
    private long hits;
    private PageSize lastSize;
    private boolean lastWritable;

    /**
     * @param base       system-physical address of the table (a contiguous block of {@link #sizeBytes})
     * @param entries4k  entries for 4 KiB translations (a power of two, at least 4)
     * @param entries2m  entries for 2 MiB translations (a power of two, 0 or at least 4)
     */
    public PomTlb(long base, int entries4k, int entries2m) {
        this.base = base;
        this.small = new Partition(base, entries4k, PageSize.SIZE_4K);
        this.large = new Partition(base + (long) entries4k * ENTRY_BYTES, entries2m, PageSize.SIZE_2M);
    }

    /** Bytes of memory a POM-TLB of these sizes takes. */
    public static long sizeBytes(int entries4k, int entries2m) {
        return ((long) entries4k + entries2m) * ENTRY_BYTES;
    }

    public long base() {
        return base;
    }

    /** The line a probe of the 4 KiB partition for {@code va} in address space {@code space} reads. */
    public long lineAddress(long va, int space) {
        return small.line(va, space);
    }

    /** Whether a miss in the 4 KiB partition goes on to probe the 2 MiB one (it holds something). */
    public boolean probesLargePages() {
        return large.filled;
    }

    /** The line a probe of the 2 MiB partition reads. */
    public long largeLineAddress(long va, int space) {
        return large.line(va, space);
    }

    /**
     * Looks {@code va} up in the 4 KiB partition ({@code large}: the 2 MiB one); a hit gives the system-physical
     * base of the page, and its size and permission in {@link #lastSize()} and {@link #lastWritable()}. A store
     * finding a read-only translation misses: the walk decides (dirty bit, copy-on-write). Counts the probe.
     *
     * @return the page base, or -1
     */
    public long lookup(long va, int space, boolean write, boolean large) {
        probes++;
        Partition p = large ? this.large : small;
        long pageBase = p.lookup(va, space, write);
        if (pageBase >= 0) {
            hits++;
            lastSize = p.size;
            lastWritable = p.lastWritable;
        }
        return pageBase;
    }

    public PageSize lastSize() {
        return lastSize;
    }

    public boolean lastWritable() {
        return lastWritable;
    }

    /** Keeps the walk's translation of {@code va}: a page of {@code size} at {@code pageBase}. */
    public void fill(long va, int space, long pageBase, PageSize size, boolean writable) {
        Partition p = size == PageSize.SIZE_4K ? small : large;
        if (p.entries > 0) {
            p.fill(va, space, pageBase, writable);
        }
    }

    /** INVLPG: drops the translation of {@code va} in {@code space}, of either size. */
    public void invalidate(long va, int space) {
        small.invalidate(va, space);
        large.invalidate(va, space);
    }

    /** Drops every entry (a full TLB flush, INVEPT): a new epoch makes every older entry stale. */
    public void flush() {
        epoch++;
    }

    public long probes() {
        return probes;
    }

    public long hits() {
        return hits;
    }

    /** One page size's sets. */
    private final class Partition {
        private final long partitionBase;
        private final int entries;
        private final int sets;
        private final PageSize size;
        // Per entry (set * WAYS + way): tag (page number, address space) + 1, page base | writable, epoch, last use.
        private final long[] tags;
        private final long[] values;
        private final long[] epochs;
        private final long[] used;
        private long clock;
        private boolean filled;
        private boolean lastWritable;

        Partition(long partitionBase, int entries, PageSize size) {
            if (entries != 0 && (entries < WAYS || Integer.bitCount(entries) != 1)) {
                throw new IllegalArgumentException("a POM-TLB partition has a power of two entries, at least "
                        + WAYS + ", not " + entries);
            }
            this.partitionBase = partitionBase;
            this.entries = entries;
            this.sets = entries / WAYS;
            this.size = size;
            this.tags = new long[entries];
            this.values = new long[entries];
            this.epochs = new long[entries];
            this.used = new long[entries];
        }

        long line(long va, int space) {
            return partitionBase + (long) set(tag(va, space)) * LINE_BYTES;
        }

        long lookup(long va, int space, boolean write) {
            if (entries == 0) {
                return -1;
            }
            long t = tag(va, space);
            int first = set(t) * WAYS;
            for (int i = first; i < first + WAYS; i++) {
                if (tags[i] == t && epochs[i] == epoch) {
                    boolean writable = (values[i] & 1) != 0;
                    if (write && !writable) {
                        return -1;
                    }
                    used[i] = ++clock;
                    lastWritable = writable;
                    return values[i] & ~1L;
                }
            }
            return -1;
        }

        void fill(long va, int space, long pageBase, boolean writable) {
            long t = tag(va, space);
            int first = set(t) * WAYS;
            int slot = first;
            for (int i = first; i < first + WAYS; i++) {
                if (tags[i] == t || epochs[i] != epoch) {
                    slot = i;
                    break;
                }
                if (used[i] < used[slot]) {
                    slot = i;
                }
            }
            tags[slot] = t;
            values[slot] = (pageBase & ~size.offsetMask()) | (writable ? 1 : 0);
            epochs[slot] = epoch;
            used[slot] = ++clock;
            filled = true;
        }

        void invalidate(long va, int space) {
            if (entries == 0) {
                return;
            }
            long t = tag(va, space);
            int first = set(t) * WAYS;
            for (int i = first; i < first + WAYS; i++) {
                if (tags[i] == t) {
                    epochs[i] = 0;
                }
            }
        }

        /** Never 0, which an empty entry holds. */
        private long tag(long va, int space) {
            return ((va >>> size.shift()) << 16 | (space & 0xFFFF)) + 1;
        }

        private int set(long tag) {
            long h = tag * 0x9E37_79B9_7F4A_7C15L;
            return (int) ((h ^ (h >>> 31)) & (sets - 1));
        }
    }
}
