package org.nestwalk.hypervisor;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.guest.GuestConfig;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.DirectPlatform;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;

/**
 * The guest's platform under hardware-assisted translation (nested, flat nested, and speculative inverted shadow
 * paging): the guest's page-table writes, CR3 loads and INVLPGs run at full speed without the hypervisor; it sees only
 * the first touch of each guest frame (a nested fault) and walks that end in the nested dimension. With an inverted
 * shadow page table, nothing keeps it in sync either: the hardware fills it, and verification catches what is stale.
 */
public final class NestedPaging extends DirectPlatform {
    private final Hypervisor hypervisor;

    public NestedPaging(Hypervisor hypervisor, Mmu mmu, GuestConfig guest) {
        super(mmu, guest);
        this.hypervisor = hypervisor;
    }

    @Override
    public void touchFrame(long gpa, PageSize size, HandlerWork work) {
        hypervisor.touch(gpa, size, work, true);
    }

    @Override
    public long systemAddress(long gpa) {
        return hypervisor.systemAddress(gpa);
    }

    @Override
    public void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                           HandlerWork work) {
        work.reference(hypervisor.systemAddress(entryGpa), true, HandlerWork.GUEST_OS);
    }

    @Override
    public void loadCr3(GuestProcess p, HandlerWork work) {
        mmu.loadAddressSpace(hypervisor.vm(), p.pcid(), p.cr3(), hypervisor.nestedRoot());
    }

    @Override
    public void pagePresent(GuestProcess p, long va, Mapping guestMapping) {
        InvertedShadowTable ispt = hypervisor.ispt();
        if (ispt != null) {
            // In the steady state the pages already present have been walked, so the ISPT knows them.
            long spa = hypervisor.systemAddress(guestMapping.translate(va)) & ~0xFFFL;
            ispt.fill(hypervisor.vm(), p.cr3(), va, spa, guestMapping.writable());
        }
    }

    @Override
    public void nestedFault(long gpa, HandlerWork work) {
        hypervisor.nestedFault(gpa, work);
    }
}
