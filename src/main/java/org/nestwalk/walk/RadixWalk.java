package org.nestwalk.walk;

import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;

/**
 * A one-dimensional walk of a radix table (4 or 5 levels) whose entries hold system-physical addresses: a native
 * process's table, or a shadow table. One reference per level, the upper ones possibly answered by the PWC; a store
 * through a read-only leaf is a page fault.
 */
final class RadixWalk {
    private RadixWalk() {
    }

    static void walk(WalkHardware hw, TableKind kind, long root, int levels, PhysicalMemory memory, long va,
                     boolean write, WalkTrace trace) {
        long node = root;
        for (int level = levels; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            long entry = hw.readEntry(trace, kind, level, level, at, memory, at, -1);
            boolean leaf = level == 1 || Pte.large(entry);
            if (!WalkHardware.usable(trace, memory, at, entry, leaf, write, va)) {
                return;
            }
            if (leaf) {
                PageSize size = PageSize.ofLeafLevel(level);
                trace.translated(Pte.address(entry) & ~size.offsetMask(), size, Pte.writable(entry));
                return;
            }
            node = Pte.address(entry);
        }
    }
}
