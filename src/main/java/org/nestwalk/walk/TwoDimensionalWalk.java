package org.nestwalk.walk;

import org.nestwalk.assoc.LruArray;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.tlb.NestedTlb;

/**
 * The hardware-assisted two-dimensional walk (AMD NPT / Intel EPT). The guest's table holds guest-physical
 * addresses, so every gPA the walker meets (gCR3, each guest table pointer, the final data gPA) is first translated
 * in the nested dimension. Before each of those five nested translations the NTLB is probed, and a hit skips it;
 * every upper-level guest entry is looked for in the PWC. How a nested translation is done when the NTLB misses (a
 * radix walk, one flat-table reference) is the subclass's.
 */
abstract class TwoDimensionalWalk implements TranslationMode {
    /** Marks a nested translation that ended in a nested fault. */
    static final long FAULT = -1;

    final WalkHardware hw;
    final Registers registers;
    final PhysicalMemory guestMemory;
    final PhysicalMemory hostMemory;
    private final NestedTlb ntlb;
    /** Host page size and permission of the last nested translation. */
    PageSize lastHostSize;
    boolean lastHostWritable;
    /** What the guest dimension's entries in the paging-structure caches (Intel-style) are tagged with beside the
     * address space. */
    private int prefixTag;

    TwoDimensionalWalk(ModeParts parts) {
        this.hw = parts.hardware();
        this.ntlb = hw.ntlb();
        this.registers = parts.registers();
        this.guestMemory = parts.guestMemory();
        this.hostMemory = parts.hostMemory();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        long guestNode = registers.cr3();
        int levels = registers.pagingLevels();
        if (hw.skipsLevels()) {
            int top = hw.skip(trace, TableKind.GUEST, hw.virtualPsc(), va, registers.space() | prefixTag, levels,
                    guestNode, guestMemory, -1);
            if (top < levels) {
                // The cache gave the guest table's system-physical address: its own nested translation is skipped
                // too (Intel's combined paging-structure caches under EPT).
                walkFrom(va, write, top, hw.skippedGuestTable(), hw.skippedTable(), trace);
                return;
            }
        }
        long guestNodeSpa = translate(guestNode, levels, trace);
        if (guestNodeSpa == FAULT) {
            return;
        }
        walkFrom(va, write, levels, guestNode, guestNodeSpa, trace);
    }

    /**
     * Goes on with the walk at guest level {@code top}, whose table is at {@code guestNode} (guest-physical) and
     * {@code guestNodeSpa} (system-physical): reads the entry there, translates what it points to, and so down to
     * the data page.
     */
    void walkFrom(long va, boolean write, int top, long guestNode, long guestNodeSpa, WalkTrace trace) {
        for (int level = top; level >= 1; level--) {
            long offset = (long) RadixPageTable.index(va, level) << 3;
            long entryGpa = guestNode + offset;
            long entry = hw.readEntry(trace, TableKind.GUEST, level, level, guestNodeSpa + offset, guestMemory,
                    entryGpa, entryGpa);
            boolean leaf = level == 1 || Pte.large(entry);
            if (!WalkHardware.usable(trace, guestMemory, entryGpa, entry, leaf, write, va)) {
                return;
            }
            if (leaf) {
                PageSize guestSize = PageSize.ofLeafLevel(level);
                long dataGpa = (Pte.address(entry) & ~guestSize.offsetMask()) | (va & guestSize.offsetMask());
                long dataSpa = translate(dataGpa, 0, trace);
                if (dataSpa == FAULT) {
                    return;
                }
                PageSize size = PageSize.min(guestSize, lastHostSize);
                trace.translated(dataSpa & ~size.offsetMask(), size, Pte.writable(entry) && lastHostWritable);
                return;
            }
            guestNode = Pte.address(entry);
            guestNodeSpa = translate(guestNode, level - 1, trace);
            if (guestNodeSpa == FAULT) {
                return;
            }
            if (hw.skipsLevels()) {
                hw.tableFound(hw.virtualPsc(), va, registers.space() | prefixTag, level, guestNodeSpa, guestNode);
            }
        }
    }

    /**
     * Tags the guest dimension's entries in the Intel-style paging-structure caches with {@code tag} (a bit above
     * the 16 of the address space), to keep them apart from other entries of the same address space: agile
     * paging's walks share those caches between their shadow part and the guest tables below a switch.
     */
    void tagGuestPrefixes(int tag) {
        this.prefixTag = tag;
    }

    /**
     * Translates {@code gpa} through the NTLB, or else {@link #nestedWalk}.
     *
     * @param target the guest level whose table this locates (0: the data page), for the record
     */
    private long translate(long gpa, int target, WalkTrace trace) {
        int vm = registers.vm();
        if (ntlb.present()) {
            long spa = ntlb.lookup(gpa, vm);
            if (spa != LruArray.MISS) {
                trace.add(TableKind.NESTED, 0, target, gpa, gpa, ServedBy.NTLB);
                lastHostSize = ntlb.lastHitSize();
                lastHostWritable = ntlb.lastHitWritable();
                return spa;
            }
            trace.missedProbe(WalkTrace.MISSED_NTLB);
        }
        long spa = nestedWalk(gpa, target, trace);
        if (spa != FAULT) {
            ntlb.fill(gpa, vm, spa & ~lastHostSize.offsetMask(), lastHostSize, lastHostWritable);
        }
        return spa;
    }

    /**
     * The nested dimension's walk for {@code gpa}: records its steps, sets {@link #lastHostSize} and
     * {@link #lastHostWritable}, and returns the system-physical address, or records a nested fault and returns
     * {@link #FAULT}.
     */
    abstract long nestedWalk(long gpa, int target, WalkTrace trace);
}
