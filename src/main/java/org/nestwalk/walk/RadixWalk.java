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

    static void walk(WalkHardware hw, TableKind kind, long root, int levels, int context, PhysicalMemory memory,
                     long va, boolean write, WalkTrace trace) {
        long node = root;
        int top = levels;
        if (hw.skipsLevels()) {
            top = hw.skip(trace, kind, hw.virtualPsc(), va, context, levels, root, memory, -1);
            if (top < levels) {
                node = hw.skippedTable();
            }
        }
        for (int level = top; level >= 1; level--) {
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
            if (hw.skipsLevels()) {
                hw.tableFound(hw.virtualPsc(), va, context, level, node, -1);
            }
        }
    }
}
