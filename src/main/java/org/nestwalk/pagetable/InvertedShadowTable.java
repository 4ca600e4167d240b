package org.nestwalk.pagetable;

/**
 * The inverted shadow page table (Ahn et al.'s second proposal): one table per machine in host memory whose entries,
 * tagged by (VM, guest address space, guest virtual page), give the system-physical page and whether it may be
 * written. A lookup reads one 64-byte line. Nothing depends on the table being right: every translation it gives is
 * verified, so a collision may simply miss or evict. Entries are kept per 4 KiB page. Two layouts ({@link
 * IsptLayout}) differ in which line a page's entry lives in.
 */
public interface InvertedShadowTable {
    /** Returned by {@link #lookup} when there is no entry. */
    long MISS = Long.MIN_VALUE;
    /** Bytes of the line a lookup reads. */
    int LINE_BYTES = 64;

    /**
     * A table of {@code entries} page entries at system-physical {@code base}.
     *
     * @param entriesPerLine page entries per line; 0: as many as fit a 64-byte line
     */
    static InvertedShadowTable create(IsptLayout layout, long base, int entries, int entriesPerLine) {
        int perLine = entriesPerLine == 0 ? layout.entriesPerLine(LINE_BYTES) : entriesPerLine;
        return switch (layout) {
            case HASHED -> new HashedInvertedShadowTable(base, entries, perLine);
            case CLUSTERED -> new ClusteredInvertedShadowTable(base, entries, perLine);
        };
    }

    /** Bytes of host memory a table of {@code entries} takes. */
    static long sizeBytes(IsptLayout layout, int entries) {
        return (long) entries * layout.entryBytes();
    }

    IsptLayout layout();

    /** The system-physical address of the line a lookup for this page reads. */
    long lineAddress(int vm, long space, long va);

    /**
     * The entry for the page of {@code va}: {@code (pageBase >>> 12) << 1 | writable}, or {@link #MISS}; what it
     * found is {@link #lastProbe()}.
     *
     * @param space the guest address space (its CR3)
     */
    long lookup(int vm, long space, long va);

    /** What the last {@link #lookup} found. */
    IsptProbe lastProbe();

    /** Installs or overwrites the entry for the page of {@code va} (hardware fills it after a walk). */
    void fill(int vm, long space, long va, long pageBase, boolean writable);

    /** Forgets every entry. */
    void clear();

    /** System-physical address of the table. */
    long base();

    long probes();

    long hits();

    long fills();

    /** System-physical page base of a value returned by {@link #lookup}. */
    static long pageBase(long value) {
        return (value >>> 1) << 12;
    }

    static boolean writable(long value) {
        return (value & 1) != 0;
    }

    /** The value {@link #lookup} returns for a page at {@code pageBase}. */
    static long value(long pageBase, boolean writable) {
        return ((pageBase >>> 12) << 1) | (writable ? 1 : 0);
    }

    /** A 64-bit hash of a tag, never 0 (0 marks an empty slot). */
    static long tag(int vm, long space, long unit) {
        long h = mix(space * 0x9E3779B97F4A7C15L ^ vm);
        h = mix(h ^ unit);
        return h | 1;
    }

    /** SplitMix64's finalizer: a bijection on 64 bits that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
