package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.PageSize;

/**
 * The Xen-like hypervisor and the host it runs on.
 *
 * @param hostMemoryBytes    the host's memory: the size of the system-physical address space
 * @param pageSize           size of the nested mappings it creates when backing guest memory
 * @param vmExitLatency      cycles of a VM exit and the matching entry (round trip, no handler work)
 * @param nestedFaultLatency cycles of the nested-page-fault handler beyond the exit and its memory references
 */
public record HypervisorConfig(long hostMemoryBytes, PageSize pageSize, int vmExitLatency, int nestedFaultLatency) {
}
