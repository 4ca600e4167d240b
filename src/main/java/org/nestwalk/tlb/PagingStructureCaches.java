package org.nestwalk.tlb;

/**
 * Intel-style paging-structure caches (Intel SDM vol. 3, 4.10.3), for one dimension of translation: for each upper
 * level of a radix table, a small set-associative cache that maps the prefix of an address the walk has resolved
 * down to that level to the location of the next table. For 4-level paging the PDE cache is keyed by bits 47:21 and
 * gives the page table, the PDPTE cache by bits 47:30, the PML4 cache by bits 47:39; 5-level paging adds a PML5
 * cache (bits 56:48). A walk probes all levels at once and starts below the longest prefix found, skipping the upper
 * levels altogether ("skip, don't walk", Barr et al., ISCA 2010) — where the AMD-style page walk cache, tagged
 * by each entry's own address, spares the reference but not the step.
 *
 * <p>Entries are tagged by a context: the address space (VM and PCID) for the tables indexed by virtual address, the
 * VM for the nested dimension (Intel's caches of EPT paging structures); agile paging keeps its guest tables apart
 * from its shadow tables with one more bit. Under EPT, an entry of the guest dimension
 * gives the next guest table's system-physical address (Intel's "combined" caches), so a hit also skips the nested
 * translations of the tables above it; the simulator keeps the table's guest-physical address beside it to read the
 * guest's memory. Each level holds {@code entries} entries in sets of {@code ways}, least recently used replaced.
 */
public final class PagingStructureCaches {
    /** Highest level cached: the level-5 root of LA57 paging points to a PML4. */
    private static final int MAX_LEVEL = 5;
    /** Bits of the address space in a key. */
    private static final int CONTEXT_BITS = 16;
    /** Where a key keeps the context's bit 16, which a walk may set to keep its entries apart (agile paging). */
    private static final int TAG_BIT = 62;

    private final int entries;
    private final int ways;
    private final int sets;
    private final int latency;
    // Per level (index = level), per slot (set * ways + way): key + 1 (0: empty), the next table, when last used.
    private final long[][] keys = new long[MAX_LEVEL + 1][];
    private final long[][] tables = new long[MAX_LEVEL + 1][];
    private final long[][] guestTables = new long[MAX_LEVEL + 1][];
    private final long[][] used = new long[MAX_LEVEL + 1][];
    private long clock;
    private long probes;
    private long hits;
    private long lastTable;
    private long lastGuestTable;

    /**
     * @param entries entries per level (0: no caches)
     * @param ways    associativity of each level's cache
     * @param latency cycles of a probe (all levels at once)
     */
    public PagingStructureCaches(int entries, int ways, int latency) {
        if (entries < 0 || ways <= 0 || entries > 0 && (entries % ways != 0 || Integer.bitCount(entries / ways) != 1)) {
            throw new IllegalArgumentException("paging-structure caches need a power-of-two number of sets of "
                    + ways + " ways, not " + entries + " entries");
        }
        this.entries = entries;
        this.ways = ways;
        this.sets = entries == 0 ? 0 : entries / ways;
        this.latency = latency;
        for (int level = 2; level <= MAX_LEVEL; level++) {
            keys[level] = new long[entries];
            tables[level] = new long[entries];
            guestTables[level] = new long[entries];
            used[level] = new long[entries];
        }
    }

    /** Whether the caches exist (0 entries disables them). */
    public boolean present() {
        return entries > 0;
    }

    public int latency() {
        return latency;
    }

    /**
     * Probes every level for the prefixes of {@code address} in {@code context}, from {@code top} (the table's root
     * level) down to level 2, and returns the deepest level whose entry is cached (its next table is then
     * {@link #lastTable()}), or 0 if none is. Counts one probe, and a hit if any level has the prefix.
     */
    public int lookup(long address, int context, int top) {
        probes++;
        for (int level = 2; level <= top; level++) {
            int slot = find(level, key(address, level, context));
            if (slot >= 0) {
                hits++;
                used[level][slot] = ++clock;
                lastTable = tables[level][slot];
                lastGuestTable = guestTables[level][slot];
                return level;
            }
        }
        return 0;
    }

    /** The next table's system-physical address, of the last hit. */
    public long lastTable() {
        return lastTable;
    }

    /** The next table's guest-physical address (the guest dimension of a 2D walk), of the last hit; else -1. */
    public long lastGuestTable() {
        return lastGuestTable;
    }

    /**
     * Caches that the level-{@code level} entry for {@code address} in {@code context} points to the table at
     * {@code table} (system-physical), {@code guestTable} (guest-physical, or -1).
     */
    public void fill(long address, int context, int level, long table, long guestTable) {
        if (!present() || level < 2) {
            return;
        }
        long k = key(address, level, context);
        int slot = find(level, k);
        if (slot < 0) {
            int base = set(k) * ways;
            slot = base;
            for (int w = 0; w < ways; w++) {
                if (keys[level][base + w] == 0) {
                    slot = base + w;
                    break;
                }
                if (used[level][base + w] < used[level][slot]) {
                    slot = base + w;
                }
            }
            keys[level][slot] = k + 1;
        }
        tables[level][slot] = table;
        guestTables[level][slot] = guestTable;
        used[level][slot] = ++clock;
    }

    /** Drops the entry of level {@code level} for {@code address} in {@code context} (it was found stale). */
    public void invalidate(long address, int context, int level) {
        int slot = find(level, key(address, level, context));
        if (slot >= 0) {
            keys[level][slot] = 0;
        }
    }

    /**
     * Drops every entry of address space {@code context}, whatever its tag (INVLPG drops all entries of the current
     * PCID, SDM 4.10.4.1).
     */
    public void invalidateContext(int context) {
        long mask = (1L << CONTEXT_BITS) - 1;
        for (int level = 2; level <= MAX_LEVEL; level++) {
            for (int i = 0; i < entries; i++) {
                if (keys[level][i] != 0 && ((keys[level][i] - 1) & mask) == (context & mask)) {
                    keys[level][i] = 0;
                }
            }
        }
    }

    /** Drops everything. */
    public void flush() {
        for (int level = 2; level <= MAX_LEVEL; level++) {
            java.util.Arrays.fill(keys[level], 0);
        }
    }

    public long probes() {
        return probes;
    }

    public long hits() {
        return hits;
    }

    private int find(int level, long k) {
        if (!present()) {
            return -1;
        }
        int base = set(k) * ways;
        for (int w = 0; w < ways; w++) {
            if (keys[level][base + w] == k + 1) {
                return base + w;
            }
        }
        return -1;
    }

    private int set(long k) {
        // The low bits of the prefix pick the set, as in a TLB; the context is mixed in so that address spaces
        // that use the same prefixes do not all land in one set.
        long prefix = (k & ~(1L << TAG_BIT)) >>> CONTEXT_BITS;
        return (int) ((prefix ^ (k * 0x9E37_79B9L >>> 40)) & (sets - 1));
    }

    /**
     * The prefix of {@code address} that a level-{@code level} entry resolves, and the context, in one key: the
     * prefix (at most 36 bits, 57-bit addresses at level 2) above the 16-bit address space, and the context's tag
     * bit far above both.
     */
    private static long key(long address, int level, int context) {
        long prefix = address >>> (12 + 9 * (level - 1));
        long tag = (long) ((context >>> CONTEXT_BITS) & 1) << TAG_BIT;
        return tag | (prefix << CONTEXT_BITS) | (context & ((1L << CONTEXT_BITS) - 1));
    }
}
