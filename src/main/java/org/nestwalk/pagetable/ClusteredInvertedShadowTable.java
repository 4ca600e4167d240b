package org.nestwalk.pagetable;

import java.util.Arrays;

/**
 * The clustered layout of the inverted shadow page table: one line per block of {@code entriesPerLine} consecutive
 * guest pages, holding an 8-byte entry (system-physical page, writable, valid) for each page of the block under one
 * tag (VM, address space, block). Block {@code b} of an address space lives in line {@code (b + offset) mod lines},
 * the offset a hash of (VM, address space), so that address spaces with the same layout do not collide line for line.
 * A line taken by another block is overwritten whole when its block's first entry is filled. The entries' spare high
 * bits hold the tag, so a line is exactly the entries (Talluri, Hill and Khalidi's clustered page tables, SOSP 1995,
 * with one block per line and no chaining: a conflict simply misses).
 *
 * <p>Consecutive pages share a line: a sequential region needs one line per block, and a random footprint of
 * {@code p} pages at most {@code p / entriesPerLine} lines, against {@code p} for the hashed layout.
 */
final class ClusteredInvertedShadowTable implements InvertedShadowTable {
    private final long base;
    private final int entriesPerLine;
    private final int blockShift;
    private final long lines;
    /** The tag of each line's block, 0 if the line is empty. */
    private final long[] tags;
    /** Bit i: page i of the line's block has an entry. */
    private final int[] valid;
    private final long[] values;
    private IsptProbe lastProbe = IsptProbe.NONE;
    private long probes;
    private long hits;
    private long fills;

    /**
     * @param base           system-physical address of the table (contiguous, {@code entries * 8} bytes)
     * @param entries        page entries in all, a power of two
     * @param entriesPerLine pages per block: a power of two that fits a 64-byte line (1 to 8)
     */
    ClusteredInvertedShadowTable(long base, int entries, int entriesPerLine) {
        int bytes = IsptLayout.CLUSTERED.entryBytes();
        if (Integer.bitCount(entries) != 1 || Integer.bitCount(entriesPerLine) != 1
                || entriesPerLine * bytes > LINE_BYTES || entries < entriesPerLine) {
            throw new IllegalArgumentException("clustered ISPT: entries must be a power of two filling whole lines"
                    + " of at most " + LINE_BYTES / bytes + " entries");
        }
        this.base = base;
        this.entriesPerLine = entriesPerLine;
        this.blockShift = Integer.numberOfTrailingZeros(entriesPerLine);
        this.lines = (long) entries / entriesPerLine;
        this.tags = new long[(int) lines];
        this.valid = new int[(int) lines];
        this.values = new long[entries];
    }

    @Override
    public IsptLayout layout() {
        return IsptLayout.CLUSTERED;
    }

    @Override
    public long lineAddress(int vm, long space, long va) {
        return base + line(vm, space, va) * LINE_BYTES;
    }

    @Override
    public long lookup(int vm, long space, long va) {
        probes++;
        int l = (int) line(vm, space, va);
        if (tags[l] != InvertedShadowTable.tag(vm, space, block(va))) {
            lastProbe = IsptProbe.TAG_MISS;
            return MISS;
        }
        int slot = slot(va);
        if ((valid[l] & (1 << slot)) == 0) {
            lastProbe = IsptProbe.NO_ENTRY;
            return MISS;
        }
        hits++;
        lastProbe = IsptProbe.HIT;
        return values[l * entriesPerLine + slot];
    }

    @Override
    public IsptProbe lastProbe() {
        return lastProbe;
    }

    @Override
    public void fill(int vm, long space, long va, long pageBase, boolean writable) {
        fills++;
        int l = (int) line(vm, space, va);
        long t = InvertedShadowTable.tag(vm, space, block(va));
        if (tags[l] != t) {
            // Another block had the line: its entries go.
            tags[l] = t;
            valid[l] = 0;
        }
        int slot = slot(va);
        valid[l] |= 1 << slot;
        values[l * entriesPerLine + slot] = InvertedShadowTable.value(pageBase, writable);
    }

    @Override
    public void clear() {
        Arrays.fill(tags, 0);
        Arrays.fill(valid, 0);
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long probes() {
        return probes;
    }

    @Override
    public long hits() {
        return hits;
    }

    @Override
    public long fills() {
        return fills;
    }

    private long block(long va) {
        return (va >>> 12) >>> blockShift;
    }

    private int slot(long va) {
        return (int) ((va >>> 12) & (entriesPerLine - 1));
    }

    private long line(int vm, long space, long va) {
        long offset = InvertedShadowTable.mix(space * 0x9E3779B97F4A7C15L ^ ((long) vm << 48));
        return (block(va) + offset) & (lines - 1);
    }
}
