package org.nestwalk.sim;

import org.nestwalk.cpu.Mmu;
import org.nestwalk.guest.BareMetal;
import org.nestwalk.guest.GuestConfig;
import org.nestwalk.guest.Platform;
import org.nestwalk.hypervisor.AgilePaging;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.hypervisor.HypervisorConfig;
import org.nestwalk.hypervisor.NestedPaging;
import org.nestwalk.hypervisor.ShadowPaging;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.walk.ModeKind;

/**
 * For each translation mode, "what the hypervisor must do" (DESIGN.md section 3): the form of its guest-physical
 * map, whether it keeps an inverted shadow page table, and the platform the guest runs on. The hardware side of a
 * mode is its {@link org.nestwalk.walk.TranslationMode}; this is the software side. One line per mode.
 */
enum Virtualization {
    NATIVE(null, false),
    NESTED(Hypervisor.NestedForm.RADIX, false),
    FLAT_NESTED(Hypervisor.NestedForm.FLAT, false),
    SHADOW(Hypervisor.NestedForm.RADIX, false),
    SPEC_SHADOW(Hypervisor.NestedForm.FLAT, true),
    HASHED_NESTED(Hypervisor.NestedForm.HASHED, false),
    POM_TLB(Hypervisor.NestedForm.RADIX, false),
    AGILE(Hypervisor.NestedForm.RADIX, false);

    private final Hypervisor.NestedForm form;
    private final boolean ispt;

    Virtualization(Hypervisor.NestedForm form, boolean ispt) {
        this.form = form;
        this.ispt = ispt;
    }

    static Virtualization of(ModeKind mode) {
        return valueOf(mode.name());
    }

    /** The hypervisor for this mode, or null when the guest runs on bare metal. */
    Hypervisor hypervisor(HypervisorConfig config, PhysicalMemory host, FrameAllocator hostFrames, long guestBytes) {
        return form == null ? null : new Hypervisor(config, host, hostFrames, guestBytes, form, ispt);
    }

    Platform platform(Hypervisor hypervisor, Mmu mmu, GuestConfig guest, PhysicalMemory guestMemory) {
        return switch (this) {
            case NATIVE -> new BareMetal(mmu, guest);
            case SHADOW -> new ShadowPaging(hypervisor, mmu, guestMemory);
            case AGILE -> new AgilePaging(hypervisor, mmu, guest, guestMemory,
                    hypervisor.config().agileStartNested());
            case NESTED, FLAT_NESTED, SPEC_SHADOW, HASHED_NESTED, POM_TLB -> new NestedPaging(hypervisor, mmu, guest);
        };
    }
}
