package org.nestwalk.walk;

import org.nestwalk.pagetable.FlatNestedTable;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.Pte;

/**
 * The 2D walk with a flat nested table (Ahn et al.'s first proposal): the nested dimension is one directly indexed
 * array per VM, so each nested translation is a single reference and a cold 2D walk makes 4 + 5 = 9. The PWC and
 * the NTLB stay; flat entries may be kept in the PWC like upper-level entries.
 */
final class FlatNestedMode extends TwoDimensionalWalk {
    FlatNestedMode(ModeParts parts) {
        super(parts);
    }

    @Override
    public String name() {
        return ModeKind.FLAT_NESTED.label();
    }

    @Override
    long nestedWalk(long gpa, int target, WalkTrace trace) {
        long at = FlatNestedTable.entryAddress(registers.nestedRoot(), gpa);
        long entry = hw.readFlatEntry(trace, target, at, hostMemory, gpa);
        if (!Pte.present(entry)) {
            trace.faulted(WalkOutcome.NESTED_FAULT, gpa);
            return FAULT;
        }
        PageSize size = Pte.large(entry) ? PageSize.SIZE_2M : PageSize.SIZE_4K;
        lastHostSize = size;
        lastHostWritable = Pte.writable(entry);
        return (Pte.address(entry) & ~size.offsetMask()) | (gpa & size.offsetMask());
    }
}
