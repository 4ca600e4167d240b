package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.pagetable.PageSize;

/**
 * No VM: the OS's physical addresses are the machine's, its page-table writes are stores, CR3 loads and INVLPGs go
 * straight to the hardware, and it handles its own page faults.
 */
public final class BareMetal extends DirectPlatform {
    public BareMetal(Mmu mmu, GuestConfig config) {
        super(mmu, config);
    }

    @Override
    public void touchFrame(long gpa, PageSize size, HandlerWork work) {
    }

    @Override
    public long systemAddress(long gpa) {
        return gpa;
    }

    @Override
    public void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                           HandlerWork work) {
        work.reference(entryGpa, true, HandlerWork.GUEST_OS);
    }

    @Override
    public void loadCr3(GuestProcess p, HandlerWork work) {
        mmu.loadAddressSpace(0, p.pcid(), p.cr3(), 0);
    }

    @Override
    public void nestedFault(long gpa, HandlerWork work) {
        throw new IllegalStateException(String.format("a nested fault on 0x%x without a VM", gpa));
    }
}
