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
 * nested is the hypervisor's policy. The Intel-style paging-structure caches serve the shadow part, a walk nested
 * from gCR3 on as they serve nested paging's, and the guest tables below a switch too, probed again at the switch
 * and tagged apart from the shadow's entries (the same prefixes lead to shadow tables above the switch and to guest
 * tables below it).
 */
final class AgileMode implements TranslationMode {
    /** The context bit of the guest tables' entries in the paging-structure caches (above the address space's). */
    private static final int BELOW_SWITCH = 1 << 16;

    private final WalkHardware hw;
    private final Registers registers;
    private final PhysicalMemory hostMemory;
    private final LongUnaryOperator guestTableOf;
    /** The walk nested from gCR3 on: nested paging's, caches and all. */
    private final NestedMode nested;
    /** The walk below a switch entry, its guest tables' prefixes cached apart. */
    private final NestedMode belowSwitch;
    private final PhysicalMemory guestMemory;

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
        belowSwitch.tagGuestPrefixes(BELOW_SWITCH);
        this.guestMemory = parts.guestMemory();
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
                switchToNested(va, write, level - 1, Pte.address(entry), space, trace);
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

    /**
     * Goes on in the guest's table of level {@code top} at system-physical {@code table}, as the 2D walk does, after
     * a probe of the paging-structure caches for the guest tables below it.
     */
    private void switchToNested(long va, boolean write, int top, long table, int space, WalkTrace trace) {
        long gpa = guestTableOf.applyAsLong(table);
        long spa = table;
        int from = top;
        if (hw.skipsLevels() && top >= 2) {
            from = hw.skip(trace, TableKind.GUEST, hw.virtualPsc(), va, space | BELOW_SWITCH, top, gpa, guestMemory,
                    -1);
            if (from < top) {
                gpa = hw.skippedGuestTable();
                spa = hw.skippedTable();
            }
        }
        belowSwitch.walkFrom(va, write, from, gpa, spa, trace);
    }
}
