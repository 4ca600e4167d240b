package org.nestwalk.sim;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.Platform;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;

/**
 * The guest's platform, with what its TLB maintenance also does to translation caches the {@link
 * org.nestwalk.cpu.Mmu} does not know of: Intel-style paging-structure caches and the part-of-memory TLB. A CR3 load
 * without PCIDs, an INVLPG and a full flush reach them as they reach the TLB; everything else goes to the platform
 * unchanged. Wired in only when the machine has such a cache, so that the other machines run exactly as before.
 */
final class TranslationCacheMaintenance implements Platform {
    /** A translation cache told of the guest's TLB maintenance. */
    interface Cache {
        /** INVLPG of {@code va} in address space {@code space} (VM and PCID). */
        void pageInvalidated(long va, int space);

        /** A full TLB flush of address space {@code space}. */
        void flushed(int space);

        /** A CR3 load of address space {@code space}; {@code tagged}: with PCIDs, which keep the old entries. */
        void addressSpaceLoaded(int space, boolean tagged);

        /**
         * The 4 KiB page at {@code va} of address space {@code space} was mapped outside simulated time, by
         * {@code guestMapping}: a cache that holds the translations of the steady state holds it now.
         */
        default void pagePresent(long va, int space, Mapping guestMapping) {
        }
    }

    private final Platform platform;
    /** Whose registers name the address space: the vCPU the guest's kernel runs on. */
    private final Mmu mmu;
    private final boolean tagged;
    private final Cache[] caches;

    TranslationCacheMaintenance(Platform platform, Mmu mmu, boolean tagged, Cache... caches) {
        this.platform = platform;
        this.mmu = mmu;
        this.tagged = tagged;
        this.caches = caches.clone();
    }

    private int space(GuestProcess p) {
        return (mmu.registers().vm() << 12) | p.pcid();
    }

    @Override
    public void loadCr3(GuestProcess p, HandlerWork work) {
        platform.loadCr3(p, work);
        for (Cache c : caches) {
            c.addressSpaceLoaded(mmu.registers().space(), tagged);
        }
    }

    @Override
    public void invalidatePage(GuestProcess p, long va, HandlerWork work) {
        platform.invalidatePage(p, va, work);
        for (Cache c : caches) {
            c.pageInvalidated(va, space(p));
        }
    }

    @Override
    public void flushTlb(GuestProcess p, HandlerWork work) {
        platform.flushTlb(p, work);
        for (Cache c : caches) {
            c.flushed(space(p));
        }
    }

    @Override
    public void touchFrame(long gpa, PageSize size, HandlerWork work) {
        platform.touchFrame(gpa, size, work);
    }

    @Override
    public long systemAddress(long gpa) {
        return platform.systemAddress(gpa);
    }

    @Override
    public void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                           HandlerWork work) {
        platform.tableWrite(p, va, entryGpa, level, oldValue, newValue, work);
    }

    @Override
    public void pagePresent(GuestProcess p, long va, Mapping guestMapping) {
        platform.pagePresent(p, va, guestMapping);
        for (Cache c : caches) {
            c.pagePresent(va, space(p), guestMapping);
        }
    }

    @Override
    public void outsideSimulatedTime(boolean outside) {
        platform.outsideSimulatedTime(outside);
    }

    @Override
    public void processExited(GuestProcess p, HandlerWork work) {
        platform.processExited(p, work);
    }

    @Override
    public void pageFault(GuestOs guest, long va, boolean write, HandlerWork work) {
        platform.pageFault(guest, va, write, work);
    }

    @Override
    public void nestedFault(long gpa, HandlerWork work) {
        platform.nestedFault(gpa, work);
    }
}
