package org.nestwalk.pagetable;

import java.util.Arrays;

/**
 * The inverted shadow page table (Ahn et al.'s second proposal): one hashed table per machine in host memory, each
 * entry tagged by (VM, guest address space, guest virtual page) and giving the system-physical page and whether it
 * may be written. A lookup reads one 64-byte line: the set of entries the tag hashes to. Collisions simply miss or
 * evict: nothing depends on the table being right, since every translation it gives is verified.
 *
 * <p>Entries are kept per 4 KiB page. Tags are stored as a 64-bit hash of the full tag; two tags sharing a hash
 * (probability about 2^-64 per pair) would look alike, which, again, verification catches.
 */
public final class InvertedShadowTable {
    /** Returned by {@link #lookup} when there is no entry. */
    public static final long MISS = Long.MIN_VALUE;
    private static final int ENTRY_BYTES = 16;

    private final long base;
    private final int entriesPerLine;
    private final long lines;
    private final long[] tags;
    private final long[] values;
    private final byte[] nextVictim;
    private long probes;
    private long hits;
    private long fills;

    /**
     * @param base    system-physical address of the table (contiguous, {@code entries * 16} bytes)
     * @param entries number of entries, a power of two
     * @param lineBytes bytes per cache line (entries per line = lineBytes / 16)
     */
    public InvertedShadowTable(long base, int entries, int lineBytes) {
        if (Integer.bitCount(entries) != 1 || lineBytes % ENTRY_BYTES != 0 || entries * ENTRY_BYTES < lineBytes) {
            throw new IllegalArgumentException("ISPT entries must be a power of two filling whole lines");
        }
        this.base = base;
        this.entriesPerLine = lineBytes / ENTRY_BYTES;
        this.lines = (long) entries / entriesPerLine;
        this.tags = new long[entries];
        this.values = new long[entries];
        this.nextVictim = new byte[(int) lines];
    }

    public static long sizeBytes(int entries) {
        return (long) entries * ENTRY_BYTES;
    }

    /** The system-physical address of the line a lookup for this tag reads. */
    public long lineAddress(int vm, long space, long va) {
        return base + line(tag(vm, space, va)) * (entriesPerLine * ENTRY_BYTES);
    }

    /**
     * The entry for the page of {@code va}: {@code (pageBase >>> 12) << 1 | writable}, or {@link #MISS}.
     *
     * @param space the guest address space (its CR3)
     */
    public long lookup(int vm, long space, long va) {
        probes++;
        long t = tag(vm, space, va);
        int first = (int) (line(t) * entriesPerLine);
        for (int i = first; i < first + entriesPerLine; i++) {
            if (tags[i] == t) {
                hits++;
                return values[i];
            }
        }
        return MISS;
    }

    /** Installs or overwrites the entry for the page of {@code va} (hardware fills it after a walk). */
    public void fill(int vm, long space, long va, long pageBase, boolean writable) {
        fills++;
        long t = tag(vm, space, va);
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
        values[slot] = ((pageBase >>> 12) << 1) | (writable ? 1 : 0);
    }

    public void clear() {
        Arrays.fill(tags, 0);
    }

    public long base() {
        return base;
    }

    public long probes() {
        return probes;
    }

    public long hits() {
        return hits;
    }

    public long fills() {
        return fills;
    }

    /** System-physical page base of a value returned by {@link #lookup}. */
    public static long pageBase(long value) {
        return (value >>> 1) << 12;
    }

    public static boolean writable(long value) {
        return (value & 1) != 0;
    }

    private long line(long tag) {
        return (tag >>> 1) & (lines - 1);
    }

    private static long tag(int vm, long space, long va) {
        long h = mix(space * 0x9E3779B97F4A7C15L ^ vm);
        h = mix(h ^ (va >>> 12));
        return h | 1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
