package org.nestwalk.pagetable;

import java.util.Arrays;

/**
 * The hashed layout of the inverted shadow page table: one 16-byte entry per page, holding a tag and the translation.
 * The tag (VM, address space, page) is hashed to pick a line of {@code entriesPerLine} entries, any of which may hold
 * it; a full line evicts its entries in turn. Neighbouring pages hash to unrelated lines, so a region's entries
 * spread over as many lines as it has pages.
 *
 * <p>Tags are stored as a 64-bit hash of the full tag; two tags sharing a hash (probability about 2^-64 per pair)
 * would look alike, which, again, verification catches.
 */
final class HashedInvertedShadowTable implements InvertedShadowTable {
    private final long base;
    private final int entriesPerLine;
    private final long lines;
    private final long[] tags;
    private final long[] values;
    private final byte[] nextVictim;
    private IsptProbe lastProbe = IsptProbe.NONE;
    private long probes;
    private long hits;
    private long fills;

    /**
     * @param base           system-physical address of the table (contiguous, {@code entries * 16} bytes)
     * @param entries        number of entries, a power of two
     * @param entriesPerLine entries per line: a power of two that fits a 64-byte line (1, 2 or 4)
     */
    HashedInvertedShadowTable(long base, int entries, int entriesPerLine) {
        int bytes = IsptLayout.HASHED.entryBytes();
        if (Integer.bitCount(entries) != 1 || Integer.bitCount(entriesPerLine) != 1
                || entriesPerLine * bytes > LINE_BYTES || entries < entriesPerLine) {
            throw new IllegalArgumentException("hashed ISPT: entries must be a power of two filling whole lines of"
                    + " at most " + LINE_BYTES / bytes + " entries");
        }
        this.base = base;
        this.entriesPerLine = entriesPerLine;
        this.lines = (long) entries / entriesPerLine;
        this.tags = new long[entries];
        this.values = new long[entries];
        this.nextVictim = new byte[(int) lines];
    }

    @Override
    public IsptLayout layout() {
        return IsptLayout.HASHED;
    }

    @Override
    public long lineAddress(int vm, long space, long va) {
        return base + line(InvertedShadowTable.tag(vm, space, va >>> 12)) * LINE_BYTES;
    }

    @Override
    public long lookup(int vm, long space, long va) {
        probes++;
        long t = InvertedShadowTable.tag(vm, space, va >>> 12);
        int first = (int) (line(t) * entriesPerLine);
        for (int i = first; i < first + entriesPerLine; i++) {
            if (tags[i] == t) {
                hits++;
                lastProbe = IsptProbe.HIT;
                return values[i];
            }
        }
        lastProbe = IsptProbe.TAG_MISS;
        return MISS;
    }

    @Override
    public IsptProbe lastProbe() {
        return lastProbe;
    }

    @Override
    public void fill(int vm, long space, long va, long pageBase, boolean writable) {
        fills++;
        long t = InvertedShadowTable.tag(vm, space, va >>> 12);
        long l = line(t);
        int first = (int) (l * entriesPerLine);
        int slot = -1;
        for (int i = first; i < first + entriesPerLine; i++) {
            if (tags[i] == t) {
                slot = i;
                break;
            }
            if (slot < 0 && tags[i] == 0) {
                slot = i;
            }
        }
        if (slot < 0) {
            // Every entry of the line is taken: evict in turn (first in, first out).
            slot = first + nextVictim[(int) l];
            nextVictim[(int) l] = (byte) ((nextVictim[(int) l] + 1) % entriesPerLine);
        }
        tags[slot] = t;
        values[slot] = InvertedShadowTable.value(pageBase, writable);
    }

    @Override
    public void clear() {
        Arrays.fill(tags, 0);
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

    private long line(long tag) {
        return (tag >>> 1) & (lines - 1);
    }
}
