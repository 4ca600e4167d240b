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
 * @param guestOsCycles the guest OS's page-fault handling
 * @param exitCycles    VM exits and their handlers, by {@link ExitCause} ordinal
 * @param exits         VM exits, by {@link ExitCause} ordinal
 * @param pageFaults    page faults handled by the (guest) OS
 */
public record VCpuStats(long references, long stores, long instructions, long tlbLookups, long l1TlbMisses,
                        long tlbMisses, long walkRetries, long[] dataServed, long baseCycles, long tlbCycles,
                        long walkCycles, long dataStallCycles, long guestOsCycles, long[] exitCycles, long[] exits,
                        long pageFaults) {

    public VCpuStats minus(VCpuStats e) {
        return new VCpuStats(references - e.references, stores - e.stores, instructions - e.instructions,
                tlbLookups - e.tlbLookups, l1TlbMisses - e.l1TlbMisses, tlbMisses - e.tlbMisses,
                walkRetries - e.walkRetries, minus(dataServed, e.dataServed), baseCycles - e.baseCycles,
                tlbCycles - e.tlbCycles, walkCycles - e.walkCycles, dataStallCycles - e.dataStallCycles,
                guestOsCycles - e.guestOsCycles, minus(exitCycles, e.exitCycles), minus(exits, e.exits),
                pageFaults - e.pageFaults);
    }

    /** Cycles spent translating: L2 TLB lookups and page walks. */
    public long translationCycles() {
        return tlbCycles + walkCycles;
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
        return baseCycles + tlbCycles + walkCycles + dataStallCycles + guestOsCycles + hypervisorCycles();
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
