package org.nestwalk.walk;

import org.nestwalk.pagetable.PhysicalMemory;

/**
 * Shadow paging: the hardware's CR3 points to a shadow table (gVA to sPA) that the hypervisor keeps consistent with
 * the guest's table, so a TLB miss is a native one-dimensional walk: at most 4 references. A missing or read-only
 * shadow entry is a page fault the hypervisor intercepts; it decides whether the guest ever sees it.
 */
final class ShadowMode implements TranslationMode {
    private final WalkHardware hw;
    private final Registers registers;
    private final PhysicalMemory memory;

    ShadowMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.registers = parts.registers();
        this.memory = parts.hostMemory();
    }

    @Override
    public String name() {
        return ModeKind.SHADOW.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        RadixWalk.walk(hw, TableKind.SHADOW, registers.shadowRoot(), registers.pagingLevels(), registers.space(),
                memory, va, write, trace);
    }
}
