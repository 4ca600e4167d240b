package org.nestwalk.pagetable;

/**
 * Where a frame allocator puts consecutive allocations in its physical address space.
 */
public enum FramePlacement {
    /**
     * 2 MiB regions are handed out in a seeded random order, 4 KiB frames consecutively inside a region: the
     * fragmentation a long-running system shows, so that page-table nodes do not sit unrealistically close together.
     */
    SCATTERED,
    /** Ascending addresses from the bottom of the space: a freshly booted machine; reproducible by hand. */
    SEQUENTIAL
}
