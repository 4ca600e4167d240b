package org.nestwalk.walk;

import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.tlb.CuckooWalkCache;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.tlb.PagingStructureCaches;
import org.nestwalk.tlb.WalkCacheConfig;

/**
 * What the MMU's walk unit consults for each entry it reads: the page walk cache for upper-level entries (AMD-style,
 * tagged by the entry's address) or the paging-structure caches that let a walk skip upper levels (Intel-style,
 * tagged by the address prefix), then the data cache hierarchy. Shared by every translation mode so that all of them
 * account references the same way.
 */
public final class WalkHardware {
    private static final WalkCacheConfig NONE = new WalkCacheConfig(0, 0);

    private final PageWalkCache pwc;
    private final NestedTlb ntlb;
    private final CacheHierarchy caches;
    private final boolean flatInPwc;
    private final PagingStructureCaches virtualPsc;
    private final PagingStructureCaches nestedPsc;
    private final boolean skips;
    private final CuckooWalkCache cwc;
    // Where the last skip let the walk go on (see skip): the next table, system- and guest-physical.
    private long skippedTable;
    private long skippedGuestTable;

    /** @param flatEntriesInPwc whether flat-table entries are kept in the PWC ({@code pwc.flatEntries}) */
    public WalkHardware(PageWalkCache pwc, NestedTlb ntlb, CacheHierarchy caches, boolean flatEntriesInPwc) {
        this(pwc, ntlb, caches, flatEntriesInPwc, new PagingStructureCaches(0, 1, 0),
                new PagingStructureCaches(0, 1, 0), new CuckooWalkCache(NONE));
    }

    /**
     * @param virtualPsc Intel-style paging-structure caches of the tables indexed by virtual address (absent: 0
     *                   entries)
     * @param nestedPsc  those of the radix nested table
     * @param cwc        the cuckoo walk cache of a hashed nested dimension (absent: 0 entries)
     */
    public WalkHardware(PageWalkCache pwc, NestedTlb ntlb, CacheHierarchy caches, boolean flatEntriesInPwc,
                        PagingStructureCaches virtualPsc, PagingStructureCaches nestedPsc, CuckooWalkCache cwc) {
        this.pwc = pwc;
        this.ntlb = ntlb;
        this.caches = caches;
        this.flatInPwc = flatEntriesInPwc && pwc.present();
        this.virtualPsc = virtualPsc;
        this.nestedPsc = nestedPsc;
        this.skips = virtualPsc.present() || nestedPsc.present();
        this.cwc = cwc;
    }

    /** The cuckoo walk cache of a hashed nested dimension. */
    public CuckooWalkCache cwc() {
        return cwc;
    }

    /** Whether walks skip upper levels through Intel-style paging-structure caches ({@code pwc.kind = intel}). */
    public boolean skipsLevels() {
        return skips;
    }

    /** The paging-structure caches of the tables indexed by virtual address (guest, native, shadow). */
    public PagingStructureCaches virtualPsc() {
        return virtualPsc;
    }

    /** The paging-structure caches of the radix nested table. */
    public PagingStructureCaches nestedPsc() {
        return nestedPsc;
    }

    public PageWalkCache pwc() {
        return pwc;
    }

    public NestedTlb ntlb() {
        return ntlb;
    }

    public CacheHierarchy caches() {
        return caches;
    }

    /**
     * Reads one page-table entry the way the hardware does and records the step: an upper-level entry (level 2 and
     * above) is looked for in the PWC first; otherwise the entry's line is accessed through the caches. A present
     * entry that points to a further table is then kept in the PWC; leaves never are.
     *
     * @param trace        the walk being recorded
     * @param table        which table the entry belongs to
     * @param level        the entry's level
     * @param target       see {@link WalkStep#target()}
     * @param entryAddress system-physical address of the entry (what the caches and the PWC see)
     * @param memory       the physical space the table lives in
     * @param memAddress   the entry's address in that space (a gPA for guest tables)
     * @param guestAddress the entry's gPA for guest tables, -1 otherwise
     * @return the entry's contents
     */
    long readEntry(WalkTrace trace, TableKind table, int level, int target, long entryAddress, PhysicalMemory memory,
                   long memAddress, long guestAddress) {
        long entry = memory.read(memAddress);
        boolean upper = level >= 2;
        if (upper && pwc.present()) {
            if (pwc.probe(entryAddress)) {
                trace.add(table, level, target, entryAddress, guestAddress, ServedBy.PWC);
                return entry;
            }
            trace.missedProbe(WalkTrace.MISSED_PWC);
        }
        trace.add(table, level, target, entryAddress, guestAddress, ServedBy.of(caches.access(entryAddress)));
        if (upper && Pte.present(entry) && !Pte.large(entry)) {
            pwc.fill(entryAddress);
        }
        return entry;
    }

    /**
     * Reads one entry of the flat nested table: unless {@code pwc.flatEntries} is off, like an upper-level entry it
     * may be found in the PWC, and a present one is kept there after it was read from memory; otherwise it goes
     * through the caches like a leaf.
     */
    long readFlatEntry(WalkTrace trace, int target, long entryAddress, PhysicalMemory memory, long gpa) {
        long entry = memory.read(entryAddress);
        if (!flatInPwc) {
            trace.add(TableKind.FLAT, 1, target, entryAddress, gpa, ServedBy.of(caches.access(entryAddress)));
            return entry;
        }
        if (pwc.probe(entryAddress)) {
            trace.add(TableKind.FLAT, 1, target, entryAddress, gpa, ServedBy.PWC);
            return entry;
        }
        trace.missedProbe(WalkTrace.MISSED_PWC);
        trace.add(TableKind.FLAT, 1, target, entryAddress, gpa, ServedBy.of(caches.access(entryAddress)));
        if (Pte.present(entry)) {
            pwc.fill(entryAddress);
        }
        return entry;
    }

    /**
     * The Intel-style start of a radix walk of {@code address} in {@code context}: probes {@code psc} for the deepest
     * level whose next table it holds and checks that the entries in memory still lead there (a pointer the
     * software has changed since counts as a miss and is dropped: like the PWC, the caches decide what a walk costs,
     * never what it finds). A hit is one step, served by the cache, at the level of the cached entry (its address:
     * the table it points to); a miss is a probe charged to the walk's next step.
     *
     * @param root   the table's root, in {@code memory}'s space
     * @param target see {@link WalkStep#target()}; -1: the step's own level
     * @return the level the walk goes on at: {@code levels} when nothing is cached; otherwise a lower level, whose
     *         table is {@link #skippedTable()} (and, in a guest table, {@link #skippedGuestTable()})
     */
    int skip(WalkTrace trace, TableKind table, PagingStructureCaches psc, long address, int context, int levels,
             long root, PhysicalMemory memory, int target) {
        if (!psc.present()) {
            return levels;
        }
        int hit = psc.lookup(address, context, levels);
        if (hit > 0) {
            long node = root;
            for (int level = levels; level >= hit && node >= 0; level--) {
                long entry = memory.read(RadixPageTable.entryAddress(node, address, level));
                // A switch entry (agile paging) leads out of this table: no prefix below it is this table's.
                node = Pte.present(entry) && !Pte.large(entry) && !Pte.switches(entry) ? Pte.address(entry) : -1;
            }
            long cached = psc.lastGuestTable() >= 0 ? psc.lastGuestTable() : psc.lastTable();
            if (node == cached) {
                skippedTable = psc.lastTable();
                skippedGuestTable = psc.lastGuestTable();
                trace.add(table, hit, target < 0 ? hit : target, skippedTable, psc.lastGuestTable(), ServedBy.PWC);
                return hit - 1;
            }
            psc.invalidate(address, context, hit);
        }
        trace.missedProbe(WalkTrace.MISSED_PWC);
        return levels;
    }

    /** The table the last {@link #skip} goes on at, system-physical. */
    long skippedTable() {
        return skippedTable;
    }

    /** The same table's guest-physical address (a guest table), or -1. */
    long skippedGuestTable() {
        return skippedGuestTable;
    }

    /**
     * The walk read the level-{@code level} entry for {@code address} and found the table below at {@code table}
     * ({@code guestTable} guest-physical, or -1): the paging-structure caches keep it, if there are any.
     */
    void tableFound(PagingStructureCaches psc, long address, int context, int level, long table, long guestTable) {
        psc.fill(address, context, level, table, guestTable);
    }

    /**
     * Reads the line way {@code way} (0-based) of the hashed nested table holds for {@code gpa}'s cluster through the
     * caches and records the step (its level: the way, 1-based).
     */
    void readHashedLine(WalkTrace trace, int target, int way, long lineAddress, long gpa) {
        trace.add(TableKind.HASHED, way + 1, target, lineAddress, gpa, ServedBy.of(caches.access(lineAddress)));
    }

    /** Reads one line of the inverted shadow page table through the caches and records the step. */
    void readLine(WalkTrace trace, TableKind table, long lineAddress) {
        trace.add(table, 0, 0, lineAddress, -1, ServedBy.of(caches.access(lineAddress)));
    }

    /**
     * Whether the walk may go on through {@code entry} at {@code memAddress}: a not-present entry, or a store through
     * a read-only leaf, ends the walk in a page fault for {@code va}. A usable entry gets its accessed bit (and a leaf
     * its dirty bit on a store), as the walker sets them.
     */
    static boolean usable(WalkTrace trace, PhysicalMemory memory, long memAddress, long entry, boolean leaf,
                          boolean write, long va) {
        if (!Pte.present(entry) || leaf && write && !Pte.writable(entry)) {
            trace.faulted(WalkOutcome.PAGE_FAULT, va);
            return false;
        }
        markAccessed(memory, memAddress, entry, leaf, write);
        return true;
    }

    /**
     * Sets the entry's accessed bit, and its dirty bit for a store through a leaf, as the walker does: a write to the
     * entry's line it already holds, not counted as a further reference.
     */
    static void markAccessed(PhysicalMemory memory, long memAddress, long entry, boolean leaf, boolean write) {
        long updated = entry | Pte.ACCESSED | (leaf && write ? Pte.DIRTY : 0);
        if (updated != entry) {
            memory.write(memAddress, updated);
        }
    }
}
