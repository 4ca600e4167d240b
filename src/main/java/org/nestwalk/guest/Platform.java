package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;

/**
 * What the guest OS's privileged operations do on the machine it runs on, and who sees its page faults first. On
 * bare metal a page-table write is a store and INVLPG an instruction; in a VM the hypervisor may have to see them:
 * with nested paging only the first touch of a guest frame and the faults of the nested dimension; with shadow
 * paging every page-table write, CR3 load and INVLPG, and every page fault. Each implementation describes the cost
 * of an operation into the {@link HandlerWork} of whatever the guest is doing.
 */
public interface Platform {
    /** The guest touches the frame of {@code size} at {@code gpa} (it zeroes a new page or table node). */
    void touchFrame(long gpa, PageSize size, HandlerWork work);

    /** The system-physical address of guest-physical {@code gpa}, which must be backed. */
    long systemAddress(long gpa);

    /**
     * The guest stores {@code newValue} into its page-table entry at {@code entryGpa}, a level-{@code level} entry
     * on the way to {@code va} in {@code p}'s table.
     */
    void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                    HandlerWork work);

    /** The guest loads CR3 to run {@code p}. */
    void loadCr3(GuestProcess p, HandlerWork work);

    /** INVLPG: the guest drops {@code p}'s translation of {@code va}. */
    void invalidatePage(GuestProcess p, long va, HandlerWork work);

    /** The guest flushes {@code p}'s whole TLB. */
    void flushTlb(GuestProcess p, HandlerWork work);

    /**
     * The page at {@code va} of {@code p} was mapped outside simulated time ("pages already present"): whatever the
     * platform would have built for it by the time the run starts (a shadow entry, an ISPT entry) is built now.
     */
    default void pagePresent(GuestProcess p, long va, Mapping guestMapping) {
    }

    /**
     * The guest's work from now on is outside simulated time ({@code true}: the pages already present are being
     * mapped), or no longer is; a platform whose policy learns from the guest's page-table writes ignores those made
     * meanwhile.
     */
    default void outsideSimulatedTime(boolean outside) {
    }

    /** {@code p} has exited; its page tables are gone. */
    void processExited(GuestProcess p, HandlerWork work);

    /** A page fault on {@code va} in the running process: whoever sees it first handles it. */
    void pageFault(GuestOs guest, long va, boolean write, HandlerWork work);

    /** A walk met a missing nested entry for {@code gpa}. */
    void nestedFault(long gpa, HandlerWork work);
}
