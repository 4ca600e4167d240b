package org.nestwalk.pagetable;

/**
 * The nested dimension as a d-ary cuckoo hash table, in the manner of elastic cuckoo page tables for virtualization
 * (Skarlatos et al., ASPLOS 2020; Stojkovic et al., ASPLOS 2022): gPA to sPA for one VM, in d ways of 64-byte slots
 * in host memory. A slot holds the entries of 8 consecutive guest pages (a cluster) under one tag, as elastic cuckoo
 * page tables cluster them; the cluster may live in any way, at the slot way w's hash function picks. A translation
 * therefore reads one line in each way, all at once, and finds the cluster in one of them.
 *
 * <p>Inserting a cluster whose d slots are all taken moves an occupant to one of its other ways (cuckoo displacement),
 * and so on. The VM's memory is fixed, so the table is sized once for all of it, at most half full when every
 * guest frame is mapped (with two ways: a quarter), and never resized: the elastic resizing of the original, which
 * spreads a rehash over later insertions, is not needed here. Entries use the {@link Pte} format; the tags are kept
 * beside the slots (the original packs them into the entries' unused bits).
 */
public final class CuckooNestedTable {
    /** Guest pages per slot. */
    public static final int CLUSTER = 8;
    /** Bytes per slot: one cache line. */
    public static final int SLOT_BYTES = 64;
    /** Displacements an insertion may make before the table counts as full. */
    private static final int MAX_MOVES = 500;
    private static final long[] SEEDS = {0x9E37_79B9_7F4A_7C15L, 0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L,
        0x85EB_CA77_C2B2_AE63L, 0x27D4_EB2F_1656_67C5L, 0xFF51_AFD7_ED55_8CCDL, 0xC4CE_B9FE_1A85_EC53L,
        0x94D0_49BB_1331_11EBL};

    /** Told about every line the table writes (the hypervisor's references). */
    @FunctionalInterface
    public interface Writes {
        /** The line at system-physical {@code lineAddress} was written. */
        void lineWritten(long lineAddress);
    }

    private final long base;
    private final int ways;
    private final int slotsPerWay;
    private final PageSize pageSize;
    // Per slot (way * slotsPerWay + slot): the cluster number + 1 (0: empty), and CLUSTER entries.
    private final long[] tags;
    private final long[] entries;
    private long moves;

    /**
     * @param base       system-physical address of the first slot (a contiguous block of {@link #sizeBytes})
     * @param ways       d, the number of ways (and of references a translation makes)
     * @param guestBytes the VM's memory, which the table is sized for
     * @param pageSize   the size of the host pages it maps (each entry one page)
     */
    public CuckooNestedTable(long base, int ways, long guestBytes, PageSize pageSize) {
        if (ways < 2 || ways > SEEDS.length) {
            throw new IllegalArgumentException("a cuckoo table has 2 to " + SEEDS.length + " ways, not " + ways);
        }
        this.base = base;
        this.ways = ways;
        this.pageSize = pageSize;
        this.slotsPerWay = slotsPerWay(ways, guestBytes, pageSize);
        this.tags = new long[ways * slotsPerWay];
        this.entries = new long[ways * slotsPerWay * CLUSTER];
    }

    /** Slots in each way for a VM of {@code guestBytes}: at most half full (two ways: a quarter) when all mapped. */
    private static int slotsPerWay(int ways, long guestBytes, PageSize pageSize) {
        long clusters = Math.max(1, (guestBytes >>> pageSize.shift()) / CLUSTER);
        long wanted = Math.max(1, (ways == 2 ? 4 : 2) * clusters / ways);
        int n = 1;
        while (n < wanted) {
            n <<= 1;
        }
        return n;
    }

    /** Bytes of host memory the table of a VM of {@code guestBytes} takes. */
    public static long sizeBytes(int ways, long guestBytes, PageSize pageSize) {
        return (long) ways * slotsPerWay(ways, guestBytes, pageSize) * SLOT_BYTES;
    }

    public long base() {
        return base;
    }

    /** d: the ways, each read once per translation. */
    public int ways() {
        return ways;
    }

    public PageSize pageSize() {
        return pageSize;
    }

    /** The cluster (of 8 consecutive host pages) {@code gpa} belongs to. */
    public long cluster(long gpa) {
        return gpa >>> (pageSize.shift() + 3);
    }

    /** System-physical address of the line way {@code way} holds for {@code cluster}: what a walk reads there. */
    public long lineAddress(int way, long cluster) {
        return base + ((long) way * slotsPerWay + slot(way, cluster)) * SLOT_BYTES;
    }

    /** The way that holds {@code cluster}, or -1. */
    public int wayOf(long cluster) {
        for (int w = 0; w < ways; w++) {
            if (tags[w * slotsPerWay + slot(w, cluster)] == cluster + 1) {
                return w;
            }
        }
        return -1;
    }

    /** The entry for {@code gpa} (a {@link Pte}; 0: not present). */
    public long entry(long gpa) {
        long c = cluster(gpa);
        int w = wayOf(c);
        return w < 0 ? 0 : entries[(w * slotsPerWay + slot(w, c)) * CLUSTER + index(gpa)];
    }

    /** What {@code gpa} maps to, or null. */
    public Mapping lookup(long gpa) {
        long c = cluster(gpa);
        int w = wayOf(c);
        if (w < 0) {
            return null;
        }
        long e = entries[(w * slotsPerWay + slot(w, c)) * CLUSTER + index(gpa)];
        if (!Pte.present(e)) {
            return null;
        }
        return new Mapping(Pte.address(e) & ~pageSize.offsetMask(), pageSize, e,
                lineAddress(w, c) + ((long) index(gpa) << 3));
    }

    /**
     * Maps the host page at {@code gpa} to the frame at {@code spa}: into its cluster's slot if the cluster has one,
     * else into a free slot of one of its ways, displacing occupants as cuckoo hashing does. Every line written is
     * told to {@code writes}.
     *
     * @throws IllegalStateException if no place is found (the table is fuller than it was sized for)
     */
    public void map(long gpa, long spa, boolean writable, Writes writes) {
        long c = cluster(gpa);
        int w = wayOf(c);
        if (w < 0) {
            w = insert(c, writes);
        }
        int s = w * slotsPerWay + slot(w, c);
        entries[s * CLUSTER + index(gpa)] = Pte.leaf(spa & ~pageSize.offsetMask(), pageSize, writable);
        writes.lineWritten(lineAddress(w, c));
    }

    /** Takes the mapping of {@code gpa} away (a cluster left empty frees its slot); returns it, or null. */
    public Mapping unmap(long gpa, Writes writes) {
        Mapping m = lookup(gpa);
        if (m == null) {
            return null;
        }
        long c = cluster(gpa);
        int w = wayOf(c);
        int s = w * slotsPerWay + slot(w, c);
        entries[s * CLUSTER + index(gpa)] = 0;
        boolean empty = true;
        for (int i = 0; i < CLUSTER; i++) {
            empty &= entries[s * CLUSTER + i] == 0;
        }
        if (empty) {
            tags[s] = 0;
        }
        writes.lineWritten(lineAddress(w, c));
        return m;
    }

    /** Clusters moved to another way by displacements so far. */
    public long moves() {
        return moves;
    }

    /** Places the new cluster {@code c}, empty, and returns its way. */
    private int insert(long c, Writes writes) {
        for (int w = 0; w < ways; w++) {
            int s = w * slotsPerWay + slot(w, c);
            if (tags[s] == 0) {
                tags[s] = c + 1;
                return w;
            }
        }
        // Every way's slot is taken: put c in its first way and move the occupant on, each time to the next way
        // after the one it was pushed out of, until one lands in a free slot.
        long carried = c;
        long[] carriedEntries = new long[CLUSTER];
        int way = 0;
        boolean first = true;
        for (int move = 0; move < MAX_MOVES; move++) {
            int s = way * slotsPerWay + slot(way, carried);
            long evicted = tags[s] - 1;
            long[] evictedEntries = new long[CLUSTER];
            System.arraycopy(entries, s * CLUSTER, evictedEntries, 0, CLUSTER);
            tags[s] = carried + 1;
            System.arraycopy(carriedEntries, 0, entries, s * CLUSTER, CLUSTER);
            if (first) {
                first = false;
            } else {
                moves++;
                writes.lineWritten(lineAddress(way, carried));
            }
            carried = evicted;
            carriedEntries = evictedEntries;
            for (int w = 0; w < ways; w++) {
                int free = w * slotsPerWay + slot(w, carried);
                if (tags[free] == 0) {
                    tags[free] = carried + 1;
                    System.arraycopy(carriedEntries, 0, entries, free * CLUSTER, CLUSTER);
                    moves++;
                    writes.lineWritten(lineAddress(w, carried));
                    // c itself may have been pushed on by the chain it started.
                    return wayOf(c);
                }
            }
            way = (way + 1) % ways;
        }
        throw new IllegalStateException("the cuckoo nested table found no place for a cluster after " + MAX_MOVES
                + " displacements: it is fuller than the " + ways + " ways of " + slotsPerWay + " slots were sized"
                + " for");
    }

    private int slot(int way, long cluster) {
        long h = (cluster + 1) * SEEDS[way];
        h ^= h >>> 29;
        h *= SEEDS[(way + 1) % SEEDS.length];
        h ^= h >>> 32;
        return (int) (h & (slotsPerWay - 1));
    }

    private int index(long gpa) {
        return (int) ((gpa >>> pageSize.shift()) & (CLUSTER - 1));
    }
}
