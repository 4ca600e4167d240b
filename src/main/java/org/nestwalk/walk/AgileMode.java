package org.nestwalk.walk;

import java.util.function.LongUnaryOperator;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;

/**
 * Agile paging (Gandhi, Basu, Hill and Swift, ISCA 2016): the walk starts in the shadow table, one reference per
 * level as under shadow paging, until it meets an entry with the switching bit; that entry holds the
 * system-physical address of the guest's own table at the next level, and the walk goes on there as the 2D walk
 * does (each guest entry, then the nested translation of what it points to). When the register holds the switching
 * bit the walk is nested from gCR3 on. With every level shadowed a cold walk is 4 references (as shadow paging's),
 * with only the leaf table nested 3 + 1 + 4 = 8, with every level nested 24 (as nested paging's). Which levels are
 * nested is the hypervisor's policy. The Intel-style paging-structure caches serve the shadow part, and a walk
 * nested from gCR3 on as they serve nested paging's; the guest part below a switch is not cached by prefix (its
 * entries would be keyed like the shadow's, whose walk could not check them).
 */
final class AgileMode implements TranslationMode {
    private final WalkHardware hw;
    private final Registers registers;
    private final PhysicalMemory hostMemory;
    private final LongUnaryOperator guestTableOf;
    /** The walk nested from gCR3 on: nested paging's, caches and all. */
    private final NestedMode nested;
    /** The walk below a switch entry, without the guest dimension's prefix caches. */
    private final NestedMode belowSwitch;

    AgileMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.registers = parts.registers();
        this.hostMemory = parts.hostMemory();
        this.guestTableOf = parts.guestTableOf();
        if (guestTableOf == null) {
            throw new IllegalArgumentException("agile paging needs the hypervisor's record of its switch entries");
        }
        this.nested = new NestedMode(parts);
        this.belowSwitch = new NestedMode(parts);
        belowSwitch.cacheGuestPrefixes(false);
    }

    @Override
    public String name() {
        return ModeKind.AGILE.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        long root = registers.shadowRoot();
        if (Pte.switches(root)) {
            nested.walk(va, write, trace);
            return;
        }
        int levels = registers.pagingLevels();
        int space = registers.space();
        long node = root;
        int top = levels;
        if (hw.skipsLevels()) {
            top = hw.skip(trace, TableKind.SHADOW, hw.virtualPsc(), va, space, levels, root, hostMemory, -1);
            if (top < levels) {
                node = hw.skippedTable();
            }
        }
        for (int level = top; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            long entry = hw.readEntry(trace, TableKind.SHADOW, level, level, at, hostMemory, at, -1);
            if (Pte.present(entry) && Pte.switches(entry)) {
                long guestTable = Pte.address(entry);
                belowSwitch.walkFrom(va, write, level - 1, guestTableOf.applyAsLong(guestTable), guestTable, trace);
                return;
            }
            boolean leaf = level == 1 || Pte.large(entry);
            if (!WalkHardware.usable(trace, hostMemory, at, entry, leaf, write, va)) {
                return;
            }
            if (leaf) {
                PageSize size = PageSize.ofLeafLevel(level);
                trace.translated(Pte.address(entry) & ~size.offsetMask(), size, Pte.writable(entry));
                return;
            }
            node = Pte.address(entry);
            if (hw.skipsLevels()) {
                hw.tableFound(hw.virtualPsc(), va, space, level, node, -1);
            }
        }
    }
}
