package org.nestwalk.walk;

import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;

/**
 * A process on bare metal: the walker reads the 4-level table from CR3 down, one entry per level. Four references
 * for a 4 KiB page, three for 2 MiB, two for 1 GiB; the PWC can answer for the upper three levels.
 */
final class NativeMode implements TranslationMode {
    private final WalkHardware hw;
    private final Registers registers;
    private final PhysicalMemory memory;

    NativeMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.registers = parts.registers();
        this.memory = parts.hostMemory();
    }

    @Override
    public String name() {
        return ModeKind.NATIVE.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        long node = registers.cr3();
        for (int level = RadixPageTable.LEVELS; level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            long entry = hw.readEntry(trace, TableKind.NATIVE, level, level, at, memory, at, -1);
            if (!Pte.present(entry)) {
                trace.faulted(WalkOutcome.PAGE_FAULT, va);
                return;
            }
            boolean leaf = level == 1 || Pte.large(entry);
            WalkHardware.markAccessed(memory, at, entry, leaf, write);
            if (leaf) {
                PageSize size = PageSize.ofLeafLevel(level);
                trace.translated(Pte.address(entry) & ~size.offsetMask(), size);
                return;
            }
            node = Pte.address(entry);
        }
    }
}
