package org.nestwalk.pagetable;

/**
 * Told about every change software makes to a page table: each entry written and each new node. These are memory
 * references of the OS or hypervisor handler that made them, and (under shadow paging) writes the hypervisor must
 * see.
 */
public interface TableWriteObserver {
    /** Nothing to observe (page tables set up outside simulated time). */
    TableWriteObserver NONE = new TableWriteObserver() {
        @Override
        public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    /**
     * The entry at {@code entryAddress} (in the table's own physical space) of a level-{@code level} node changed;
     * {@code va} is an address whose translation goes through it.
     */
    void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue);

    /** A new, zeroed level-{@code level} node now lives at {@code nodeAddress}. */
    void nodeAllocated(long nodeAddress, int level);
}
