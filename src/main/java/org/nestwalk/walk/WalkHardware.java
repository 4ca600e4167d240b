package org.nestwalk.walk;

import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;

/**
 * What the MMU's walk unit consults for each entry it reads: the page walk cache for upper-level entries, then the
 * data cache hierarchy. Shared by every translation mode so that all of them account references the same way.
 */
public final class WalkHardware {
    private final PageWalkCache pwc;
    private final NestedTlb ntlb;
    private final CacheHierarchy caches;
    private final boolean flatInPwc;

    /** @param flatEntriesInPwc whether flat-table entries are kept in the PWC ({@code pwc.flatEntries}) */
    public WalkHardware(PageWalkCache pwc, NestedTlb ntlb, CacheHierarchy caches, boolean flatEntriesInPwc) {
        this.pwc = pwc;
        this.ntlb = ntlb;
        this.caches = caches;
        this.flatInPwc = flatEntriesInPwc && pwc.present();
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
