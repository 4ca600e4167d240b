package org.nestwalk.sim;

import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.walk.WalkStats;

/**
 * The counters of one vCPU and of the hardware private to it at one moment; the difference of two is what it did
 * in between. The whole machine's figures ({@link Snapshot}) add these up over the vCPUs.
 *
 * @param vm             the VM the vCPU belongs to (0-based)
 * @param index          its index in the VM (0-based)
 * @param time           its own clock
 * @param cpu            its counters and cycle accounts
 * @param walks          its page walkers' counters
 * @param shootdowns     the TLB shootdowns it initiated and the IPIs it took
 * @param shadowLock     its use of the VM's shadow lock
 * @param walkCacheProbes probes of its PWC or paging-structure caches
 * @param walkCacheHits  of which hits
 * @param ntlbProbes     probes of its nested TLB
 * @param ntlbHits       of which hits
 * @param cwcProbes      probes of its cuckoo walk cache
 * @param cwcHits        of which hits
 * @param cacheHits      hits in its L1D and L2, and its own lookups of the shared LLC that hit
 * @param cacheMisses    misses in its L1D and L2, and its own lookups of the shared LLC that missed
 */
public record CpuSnapshot(int vm, int index, long time, VCpuStats cpu, WalkStats walks,
                          ShootdownCounts shootdowns, LockCounts shadowLock, long walkCacheProbes,
                          long walkCacheHits, long ntlbProbes, long ntlbHits, long cwcProbes, long cwcHits,
                          long[] cacheHits, long[] cacheMisses) {

    /** What happened since {@code e}, a snapshot of the same vCPU. */
    public CpuSnapshot minus(CpuSnapshot e) {
        return new CpuSnapshot(vm, index, time - e.time, cpu.minus(e.cpu), walks.minus(e.walks),
                shootdowns.minus(e.shootdowns), shadowLock.minus(e.shadowLock),
                walkCacheProbes - e.walkCacheProbes, walkCacheHits - e.walkCacheHits, ntlbProbes - e.ntlbProbes,
                ntlbHits - e.ntlbHits, cwcProbes - e.cwcProbes, cwcHits - e.cwcHits, minus(cacheHits, e.cacheHits),
                minus(cacheMisses, e.cacheMisses));
    }

    private static long[] minus(long[] a, long[] b) {
        long[] d = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }
}
