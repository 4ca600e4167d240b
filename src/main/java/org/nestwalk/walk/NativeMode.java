package org.nestwalk.walk;

import org.nestwalk.pagetable.PhysicalMemory;

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
        RadixWalk.walk(hw, TableKind.NATIVE, registers.cr3(), registers.pagingLevels(), registers.space(), memory, va,
                write, trace);
    }
}
