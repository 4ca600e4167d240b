package org.nestwalk.walk;

import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.PhysicalMemory;

/**
 * What a translation mode may read: the walk hardware of its vCPU, the vCPU's registers, and the physical memories
 * its tables live in. Under {@code native} there is no VM and {@code guestMemory} is the host's memory.
 *
 * @param hardware    PWC, NTLB and caches of the vCPU
 * @param registers   the vCPU's translation registers
 * @param guestMemory the physical space of the process's page table (guest-physical, or host-physical natively)
 * @param hostMemory  system-physical memory, where nested, flat and shadow tables live
 * @param ispt        the inverted shadow page table, or null when the machine has none
 */
public record ModeParts(WalkHardware hardware, Registers registers, PhysicalMemory guestMemory,
                        PhysicalMemory hostMemory, InvertedShadowTable ispt) {
}
