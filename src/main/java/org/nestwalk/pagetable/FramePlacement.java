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
    /**
     * As {@link #SCATTERED}, and the 4 KiB frames of each region handed out in a seeded random order too. Every
     * cache set and DRAM bank index bit of a frame then changes from one replication to the next, which gives a
     * replayed trace (whose references do not change) replications that differ as placements on a real machine do;
     * with {@link #SCATTERED} only bits above 2 MiB change, and a natively replayed trace repeats bit for bit.
     */
    SHUFFLED,
    /** Ascending addresses from the bottom of the space: a freshly booted machine; reproducible by hand. */
    SEQUENTIAL
}
