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
 * by a walk of the nested table: with 4 guest and 4 nested levels, (4+1)(4+1) - 1 = 24 references when nothing is
 * cached. Before each of the five nested translations the NTLB is probed, and a hit skips that whole nested walk;
 * every upper-level entry of either dimension is looked for in the PWC.
 */
final class NestedMode implements TranslationMode {
    /** Marks a nested translation that ended in a nested fault. */
    private static final long FAULT = -1;

    private final WalkHardware hw;
    private final NestedTlb ntlb;
    private final Registers registers;
    private final PhysicalMemory guestMemory;
    private final PhysicalMemory hostMemory;
    /** Host page size of the last nested translation: the TLB entry is min(guest page, host page). */
    private PageSize lastHostSize;

    NestedMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.ntlb = hw.ntlb();
        this.registers = parts.registers();
        this.guestMemory = parts.guestMemory();
        this.hostMemory = parts.hostMemory();
    }

    @Override
    public String name() {
        return ModeKind.NESTED.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        long guestNode = registers.cr3();
        long guestNodeSpa = nestedTranslate(guestNode, RadixPageTable.LEVELS, trace);
        if (guestNodeSpa == FAULT) {
            return;
        }
        for (int level = RadixPageTable.LEVELS; level >= 1; level--) {
            long offset = (long) RadixPageTable.index(va, level) << 3;
            long entryGpa = guestNode + offset;
            long entry = hw.readEntry(trace, TableKind.GUEST, level, level, guestNodeSpa + offset, guestMemory,
                    entryGpa, entryGpa);
            if (!Pte.present(entry)) {
                trace.faulted(WalkOutcome.PAGE_FAULT, va);
                return;
            }
            boolean leaf = level == 1 || Pte.large(entry);
            WalkHardware.markAccessed(guestMemory, entryGpa, entry, leaf, write);
            if (leaf) {
                PageSize guestSize = PageSize.ofLeafLevel(level);
                long dataGpa = (Pte.address(entry) & ~guestSize.offsetMask()) | (va & guestSize.offsetMask());
                long dataSpa = nestedTranslate(dataGpa, 0, trace);
                if (dataSpa == FAULT) {
                    return;
                }
                PageSize size = PageSize.min(guestSize, lastHostSize);
                trace.translated(dataSpa & ~size.offsetMask(), size);
                return;
            }
            guestNode = Pte.address(entry);
            guestNodeSpa = nestedTranslate(guestNode, level - 1, trace);
            if (guestNodeSpa == FAULT) {
                return;
            }
        }
    }

    /**
     * Translates {@code gpa} through the NTLB or a walk of the nested table.
     *
     * @param target the guest level whose table this locates (0: the data page), for the record
     * @return the system-physical address, or {@link #FAULT} after recording a nested fault
     */
    private long nestedTranslate(long gpa, int target, WalkTrace trace) {
        int vm = registers.vm();
        if (ntlb.present()) {
            long spa = ntlb.lookup(gpa, vm);
            if (spa != LruArray.MISS) {
                trace.add(TableKind.NESTED, 0, target, gpa, gpa, ServedBy.NTLB);
                lastHostSize = ntlb.lastHitSize();
                return spa;
            }
            trace.missedProbe(WalkTrace.MISSED_NTLB);
        }
        long node = registers.nestedRoot();
        for (int level = RadixPageTable.LEVELS; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, gpa, level);
            long entry = hw.readEntry(trace, TableKind.NESTED, level, target, at, hostMemory, at, -1);
            if (!Pte.present(entry)) {
                trace.faulted(WalkOutcome.NESTED_FAULT, gpa);
                return FAULT;
            }
            boolean leaf = level == 1 || Pte.large(entry);
            WalkHardware.markAccessed(hostMemory, at, entry, leaf, false);
            if (leaf) {
                PageSize size = PageSize.ofLeafLevel(level);
                long base = Pte.address(entry) & ~size.offsetMask();
                ntlb.fill(gpa, vm, base, size);
                lastHostSize = size;
                return base | (gpa & size.offsetMask());
            }
            node = Pte.address(entry);
        }
        throw new AssertionError("unreachable");
    }
}
