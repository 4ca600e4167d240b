package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;

/**
 * A platform on which the guest's TLB maintenance runs directly on the hardware and its page faults go straight to
 * it: bare metal, and the hardware-assisted modes (nested, flat nested, speculative inverted shadow paging), where no
 * hypervisor needs to see them.
 */
public abstract class DirectPlatform implements Platform {
    protected final Mmu mmu;
    protected final GuestConfig guest;

    protected DirectPlatform(Mmu mmu, GuestConfig guest) {
        this.mmu = mmu;
        this.guest = guest;
    }

    @Override
    public void invalidatePage(GuestProcess p, long va, HandlerWork work) {
        work.compute(guest.invlpgLatency(), HandlerWork.GUEST_OS);
        mmu.invalidatePage(va, p.pcid());
    }

    @Override
    public void flushTlb(GuestProcess p, HandlerWork work) {
        mmu.flushTlb();
    }

    @Override
    public void processExited(GuestProcess p, HandlerWork work) {
    }

    @Override
    public void pageFault(GuestOs os, long va, boolean write, HandlerWork work) {
        os.pageFault(va, write, work);
    }
}
