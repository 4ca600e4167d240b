package org.nestwalk.cpu;

import org.nestwalk.memory.MemoryLevel;

/**
 * What a vCPU did and where its cycles went: counts since the start of the run, so the difference of two snapshots
 * describes an interval. Every cycle of the vCPU's clock is charged to exactly one account, so
 * {@link #accountedCycles()} equals the elapsed time of the interval.
 *
 * @param references    data references completed
 * @param stores        of which stores
 * @param instructions  instructions executed
 * @param tlbLookups    data TLB lookups
 * @param l1TlbMisses   lookups that missed the L1 dTLB
 * @param tlbMisses     lookups that missed the L2 TLB too (each one starts a walk)
 * @param walkRetries   walks repeated after the fault that ended the previous one was handled
 * @param dataServed    data references by the level that served them (indexed by {@link MemoryLevel} ordinal)
 * @param baseCycles    instructions at the base CPI
 * @param tlbCycles     L2 TLB lookups after L1 dTLB misses
 * @param walkCycles    waiting for page walks
 * @param dataStallCycles waiting for data below the L1: cache hits' latency over MLP, and DRAM misses the core could
 *                      not overlap
 * @param guestOsCycles the guest OS's work: page faults, system calls, context switches
 * @param squashCycles  work thrown away after mis-speculated translations, waits for the verification that found
 *                      them out, and the squash penalties
 * @param exitCycles    VM exits and their handlers, by {@link ExitCause} ordinal
 * @param exits         VM exits, by {@link ExitCause} ordinal
 * @param pageFaults    page faults taken (whoever handled them)
 * @param systemCalls   OS events the programs asked for (mmap, fork, exit, ...)
 * @param interrupts    timer interrupts taken
 * @param speculations  translations used before they were verified
 * @param misspeculations of which the verification disagreed
 * @param squashedReferences references executed and then thrown away by squashes
 * @param overlappedReferences references the core executed while an older one waited for its translation
 * @param sharedTranslations references that took their translation from a walk or a speculation already under
 *                      way for their page, without a TLB lookup
 * @param faultSquashes squashes because a walk the core had run past ended in a fault
 * @param storeReplays  squashes because a store had waited for a walk that gave a read-only translation
 * @param itlbLookups   instruction-page changes translated by the L1 iTLB
 * @param l1ItlbMisses  of which missed the L1 iTLB
 * @param itlbMisses    of which missed the L2 TLB too: instruction-fetch TLB misses
 * @param fetchWalks    walks for instruction fetches (iTLB misses, and retries after a fault)
 */
public record VCpuStats(long references, long stores, long instructions, long tlbLookups, long l1TlbMisses,
                        long tlbMisses, long walkRetries, long[] dataServed, long baseCycles, long tlbCycles,
                        long walkCycles, long dataStallCycles, long guestOsCycles, long squashCycles,
                        long[] exitCycles, long[] exits, long pageFaults, long systemCalls, long interrupts,
                        long speculations, long misspeculations, long squashedReferences,
                        long overlappedReferences, long sharedTranslations, long faultSquashes,
                        long storeReplays, long itlbLookups, long l1ItlbMisses, long itlbMisses,
                        long fetchWalks) {

    public VCpuStats minus(VCpuStats e) {
        return new VCpuStats(references - e.references, stores - e.stores, instructions - e.instructions,
                tlbLookups - e.tlbLookups, l1TlbMisses - e.l1TlbMisses, tlbMisses - e.tlbMisses,
                walkRetries - e.walkRetries, minus(dataServed, e.dataServed), baseCycles - e.baseCycles,
                tlbCycles - e.tlbCycles, walkCycles - e.walkCycles, dataStallCycles - e.dataStallCycles,
                guestOsCycles - e.guestOsCycles, squashCycles - e.squashCycles, minus(exitCycles, e.exitCycles),
                minus(exits, e.exits), pageFaults - e.pageFaults, systemCalls - e.systemCalls,
                interrupts - e.interrupts, speculations - e.speculations, misspeculations - e.misspeculations,
                squashedReferences - e.squashedReferences, overlappedReferences - e.overlappedReferences,
                sharedTranslations - e.sharedTranslations, faultSquashes - e.faultSquashes,
                storeReplays - e.storeReplays, itlbLookups - e.itlbLookups, l1ItlbMisses - e.l1ItlbMisses,
                itlbMisses - e.itlbMisses, fetchWalks - e.fetchWalks);
    }

    /** The counts of two vCPUs together (their cycles add up: vCPU-cycles). */
    public VCpuStats plus(VCpuStats e) {
        return new VCpuStats(references + e.references, stores + e.stores, instructions + e.instructions,
                tlbLookups + e.tlbLookups, l1TlbMisses + e.l1TlbMisses, tlbMisses + e.tlbMisses,
                walkRetries + e.walkRetries, plus(dataServed, e.dataServed), baseCycles + e.baseCycles,
                tlbCycles + e.tlbCycles, walkCycles + e.walkCycles, dataStallCycles + e.dataStallCycles,
                guestOsCycles + e.guestOsCycles, squashCycles + e.squashCycles, plus(exitCycles, e.exitCycles),
                plus(exits, e.exits), pageFaults + e.pageFaults, systemCalls + e.systemCalls,
                interrupts + e.interrupts, speculations + e.speculations, misspeculations + e.misspeculations,
                squashedReferences + e.squashedReferences, overlappedReferences + e.overlappedReferences,
                sharedTranslations + e.sharedTranslations, faultSquashes + e.faultSquashes,
                storeReplays + e.storeReplays, itlbLookups + e.itlbLookups, l1ItlbMisses + e.l1ItlbMisses,
                itlbMisses + e.itlbMisses, fetchWalks + e.fetchWalks);
    }

    /** Cycles spent translating: L2 TLB lookups, page walks, and work lost to mis-speculated translations. */
    public long translationCycles() {
        return tlbCycles + walkCycles + squashCycles;
    }

    /** Cycles in VM exits and their handlers, all causes. */
    public long hypervisorCycles() {
        long n = 0;
        for (long c : exitCycles) {
            n += c;
        }
        return n;
    }

    public long exits(ExitCause cause) {
        return exits[cause.ordinal()];
    }

    public long exitCycles(ExitCause cause) {
        return exitCycles[cause.ordinal()];
    }

    public long dataServed(MemoryLevel level) {
        return dataServed[level.ordinal()];
    }

    /** The sum of every account. */
    public long accountedCycles() {
        return baseCycles + tlbCycles + walkCycles + dataStallCycles + guestOsCycles + squashCycles
                + hypervisorCycles();
    }

    private static long[] plus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] + b[i];
        }
        return d;
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
