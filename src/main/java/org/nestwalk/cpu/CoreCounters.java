package org.nestwalk.cpu;

import org.nestwalk.memory.MemoryLevel;

/**
 * What a vCPU has done so far and where its cycles went, as the plain mutable counters its loop increments: the
 * state a checkpoint saves and a squash puts back, and what {@link VCpuStats} reports. Every cycle the vCPU's clock
 * advances is added to exactly one account.
 */
final class CoreCounters {
    static final int LEVELS = MemoryLevel.values().length;
    static final int TLB_COUNTS = 6;

    long references;
    long stores;
    long instructions;
    long walkRetries;
    final long[] dataServed = new long[LEVELS];
    long baseCycles;
    long tlbCycles;
    long walkCycles;
    long dataStallCycles;
    long guestOsCycles;
    long squashCycles;
    final long[] exitCycles = new long[ExitCause.values().length];
    final long[] exits = new long[ExitCause.values().length];
    long pageFaults;
    long systemCalls;
    long interrupts;
    long speculations;
    long misspeculations;
    long squashedReferences;
    long overlappedReferences;
    long sharedTranslations;
    long faultSquashes;
    long storeReplays;
    long fetchWalks;
    /** The TLBs' counts as of now ({@code DataTlb.counts}), filled in before a checkpoint is saved or restored. */
    final long[] tlbNow = new long[TLB_COUNTS];
    /** TLB lookups and misses (as in {@code tlbNow}) of references a squash threw away. */
    final long[] squashedTlb = new long[TLB_COUNTS];

    /**
     * The counters as a value, with the TLBs' lookups and misses, data and instruction (the TLBs count those).
     */
    VCpuStats stats(long tlbLookups, long l1TlbMisses, long tlbMisses, long itlbLookups, long l1ItlbMisses,
                    long itlbMisses) {
        return new VCpuStats(references, stores, instructions, tlbLookups, l1TlbMisses, tlbMisses, walkRetries,
                dataServed.clone(), baseCycles, tlbCycles, walkCycles, dataStallCycles, guestOsCycles, squashCycles,
                exitCycles.clone(), exits.clone(), pageFaults, systemCalls, interrupts, speculations,
                misspeculations, squashedReferences, overlappedReferences, sharedTranslations, faultSquashes,
                storeReplays, itlbLookups, l1ItlbMisses, itlbMisses, fetchWalks);
    }
}
