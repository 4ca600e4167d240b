package org.nestwalk.walk;

import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;

/**
 * The 2D walk with a radix nested table: with 4 guest and 4 nested levels, (4+1)(4+1) - 1 = 24 references when
 * nothing is cached; with 5 and 5 (LA57 and a 5-level EPT), (5+1)(5+1) - 1 = 35.
 */
final class NestedMode extends TwoDimensionalWalk {
    NestedMode(ModeParts parts) {
        super(parts);
    }

    @Override
    public String name() {
        return ModeKind.NESTED.label();
    }

    @Override
    long nestedWalk(long gpa, int target, WalkTrace trace) {
        long node = registers.nestedRoot();
        int levels = registers.nestedLevels();
        int top = levels;
        if (hw.skipsLevels()) {
            top = hw.skip(trace, TableKind.NESTED, hw.nestedPsc(), gpa, registers.vm(), levels, node, hostMemory,
                    target);
            if (top < levels) {
                node = hw.skippedTable();
            }
        }
        for (int level = top; level >= 1; level--) {
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
                lastHostSize = size;
                lastHostWritable = Pte.writable(entry);
                return (Pte.address(entry) & ~size.offsetMask()) | (gpa & size.offsetMask());
            }
            node = Pte.address(entry);
            if (hw.skipsLevels()) {
                hw.tableFound(hw.nestedPsc(), gpa, registers.vm(), level, node, -1);
            }
        }
        throw new AssertionError("unreachable");
    }
}
