package org.nestwalk.guest;

import org.nestwalk.pagetable.PageSize;

/**
 * The guest operating system of the VM (or the native OS when there is no VM).
 *
 * @param memoryBytes          the VM's memory: the size of its guest-physical address space
 * @param pageSize             page size the guest maps data with (2 MiB: transparent huge pages everywhere)
 * @param pageFaultLatency     cycles of the page-fault handler, beyond the memory references it makes
 * @param quantum              cycles between timer interrupts (the scheduler's time slice)
 * @param contextSwitchLatency cycles of switching processes, beyond loading CR3
 * @param syscallLatency       cycles of entering and leaving the kernel for a system call
 * @param invlpgLatency        cycles of an INVLPG instruction (when nothing intercepts it)
 * @param copyPageLatency      cycles to copy a 4 KiB page
 * @param tlbFlushCeiling      pages above which a range is flushed with one full TLB flush, not page by page
 * @param pcid                 whether TLB entries are tagged by process, so that a CR3 load flushes nothing
 * @param zeroPage             whether a first read of an anonymous page maps the shared zero page read-only, a
 *                             later first write then taking a second fault for a page of its own, as Linux does
 * @param pagingLevels         levels of the process page tables: 4 (48-bit virtual addresses) or 5 (LA57, 57-bit)
 */
public record GuestConfig(long memoryBytes, PageSize pageSize, int pageFaultLatency, long quantum,
                          int contextSwitchLatency, int syscallLatency, int invlpgLatency, int copyPageLatency,
                          int tlbFlushCeiling, boolean pcid, boolean zeroPage, int pagingLevels) {
}
