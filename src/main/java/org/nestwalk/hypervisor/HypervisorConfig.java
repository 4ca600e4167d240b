package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.IsptLayout;
import org.nestwalk.pagetable.PageSize;

/**
 * The Xen-like hypervisor and the host it runs on.
 *
 * @param hostMemoryBytes       the host's memory: the size of the system-physical address space
 * @param pageSize              size of the nested mappings it creates when backing guest memory
 * @param vmExitLatency         cycles of a VM exit and the matching entry (round trip, no handler work)
 * @param nestedFaultLatency    cycles of the nested-page-fault handler beyond the exit and its table writes
 * @param shadowSync            how shadow tables are kept in sync
 * @param ptWriteLatency        cycles to emulate a trapped guest page-table write
 * @param hiddenFaultLatency    cycles to fill a shadow entry the guest already has
 * @param cr3CachedLatency      cycles of a CR3 write whose shadow exists
 * @param cr3NewLatency         cycles of a CR3 write that builds a new shadow
 * @param invlpgLatency         cycles to handle a trapped INVLPG
 * @param faultInjectionLatency cycles to reflect a true page fault into the guest
 * @param oosPages              guest L1 tables that may be out of sync at once
 * @param resyncLatency         cycles to resynchronise one out-of-sync table, beyond reading it
 * @param isptEntries           page entries of the inverted shadow page table
 * @param isptLayout            how the inverted shadow page table lays its entries out
 * @param isptLineEntries       page entries per 64-byte line of it; 0: as many as fit
 * @param nestedLevels          levels of the radix nested table: 4 or 5 (a 5-level EPT / NPT)
 * @param cuckooWays            ways of the hashed nested table (d)
 * @param agileWrites           agile paging: trapped writes to a shadowed page within one interval that move it to
 *                              nested mode
 * @param agileStartNested      agile paging: whether an address space starts in nested mode (else shadowed)
 */
public record HypervisorConfig(long hostMemoryBytes, PageSize pageSize, int vmExitLatency, int nestedFaultLatency,
                               ShadowSync shadowSync, int ptWriteLatency, int hiddenFaultLatency,
                               int cr3CachedLatency, int cr3NewLatency, int invlpgLatency,
                               int faultInjectionLatency, int oosPages, int resyncLatency, int isptEntries,
                               IsptLayout isptLayout, int isptLineEntries, int nestedLevels,
                               int cuckooWays, int agileWrites, boolean agileStartNested) {
}
