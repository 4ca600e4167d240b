package org.nestwalk.guest;

import org.nestwalk.pagetable.PageSize;

/**
 * The guest operating system of the VM (or the native OS when there is no VM).
 *
 * @param memoryBytes      the VM's memory: the size of its guest-physical address space
 * @param pageSize         page size the guest maps data with (2 MiB: transparent huge pages everywhere)
 * @param pageFaultLatency cycles of the guest's page-fault handler, beyond the memory references it makes
 */
public record GuestConfig(long memoryBytes, PageSize pageSize, int pageFaultLatency) {
}
