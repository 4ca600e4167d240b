package org.nestwalk.walk;

import java.util.function.LongUnaryOperator;
import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.tlb.PomTlb;

/**
 * What a translation mode may read: the walk hardware of its vCPU, the vCPU's registers, and the physical memories
 * its tables live in. Under {@code native} there is no VM and {@code guestMemory} is the host's memory.
 *
 * @param hardware    PWC, NTLB and caches of the vCPU
 * @param registers   the vCPU's translation registers
 * @param guestMemory the physical space of the process's page table (guest-physical, or host-physical natively)
 * @param hostMemory  system-physical memory, where nested, flat and shadow tables live
 * @param ispt        the inverted shadow page table, or null when the machine has none
 * @param cuckoo      the hashed (cuckoo) nested table, or null
 * @param pomTlb      the part-of-memory TLB, or null
 * @param guestTableOf under agile paging, the guest-physical address of the guest table a switch entry points to
 *                    (by its system-physical address), as the hypervisor recorded it; else null
 */
public record ModeParts(WalkHardware hardware, Registers registers, PhysicalMemory guestMemory,
                        PhysicalMemory hostMemory, InvertedShadowTable ispt, CuckooNestedTable cuckoo,
                        PomTlb pomTlb, LongUnaryOperator guestTableOf) {
    /** The parts of a machine without the tables of the later schemes. */
    public ModeParts(WalkHardware hardware, Registers registers, PhysicalMemory guestMemory, PhysicalMemory hostMemory,
                     InvertedShadowTable ispt) {
        this(hardware, registers, guestMemory, hostMemory, ispt, null, null, null);
    }
}
