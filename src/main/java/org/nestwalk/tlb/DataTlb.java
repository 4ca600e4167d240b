package org.nestwalk.tlb;

import org.nestwalk.assoc.LruArray;
import org.nestwalk.pagetable.PageSize;

/**
 * A vCPU's TLBs: an L1 dTLB backed by an L2 TLB, and, when instruction fetches are translated, the L1 iTLB that
 * shares that L2 TLB. A lookup that misses L1 and hits L2 refills L1; a miss in both is a TLB miss, which starts a
 * page walk. A store that finds only a read-only translation drops it and misses too: the walk that follows decides
 * whether the store may proceed (the entry was stale) or faults (copy-on-write, dirty-bit tracking). Counts every
 * lookup for the miss-rate statistics, data and instruction apart.
 */
public final class DataTlb {
    /** Returned by {@link #translate} on a TLB miss. */
    public static final long MISS = LruArray.MISS;

    private final TlbLevel l1;
    private final TlbLevel l2;
    /** The L1 iTLB, which shares the L2 TLB; null when instruction fetches are not translated. */
    private final TlbLevel l1i;
    private long lookups;
    private long l1Misses;
    private long l2Misses;
    private boolean lastMissedL1;
    private long fetchLookups;
    private long fetchL1Misses;
    private long fetchL2Misses;
    private boolean lastFetchMissedL1;

    public DataTlb(TlbLevelConfig l1, TlbLevelConfig l2) {
        this(l1, l2, null);
    }

    /** @param l1i the L1 iTLB beside the L1 dTLB, sharing the L2 TLB; null: no instruction translation */
    public DataTlb(TlbLevelConfig l1, TlbLevelConfig l2, TlbLevelConfig l1i) {
        this.l1 = new TlbLevel(l1);
        this.l2 = new TlbLevel(l2);
        this.l1i = l1i == null ? null : new TlbLevel(l1i);
    }

    /** Whether there is an L1 iTLB: instruction fetches are translated. */
    public boolean translatesFetches() {
        return l1i != null;
    }

    /**
     * The physical address of the instruction at {@code va}, or {@link #MISS}: the L1 iTLB, then the L2 TLB it
     * shares with the data side (a hit there refills the iTLB). Counted apart from data lookups.
     */
    public long translateFetch(long va, int space) {
        fetchLookups++;
        long pa = l1i.lookup(va, space);
        if (pa != MISS) {
            lastFetchMissedL1 = false;
            return pa;
        }
        lastFetchMissedL1 = true;
        fetchL1Misses++;
        pa = l2.lookup(va, space);
        if (pa != MISS) {
            PageSize size = l2.lastHitLarge() ? PageSize.SIZE_2M : PageSize.SIZE_4K;
            l1i.fill(va, space, pa & ~size.offsetMask(), size, l2.lastHitWritable());
            return pa;
        }
        fetchL2Misses++;
        return MISS;
    }

    /** Whether the last {@link #translateFetch} missed the L1 iTLB (and so paid {@link #fetchL1MissLatency}). */
    public boolean lastFetchMissedL1() {
        return lastFetchMissedL1;
    }

    /** Cycles an instruction fetch's translation costs when it misses the L1 iTLB (then probes L2). */
    public int fetchL1MissLatency() {
        return l1i.latency() + l2.latency();
    }

    /** Takes back the counts of the last fetch lookup, a miss in both levels, because it will be repeated. */
    public void retractFetchMiss() {
        fetchLookups--;
        fetchL1Misses--;
        fetchL2Misses--;
    }

    /** Installs a translation an instruction fetch's walk produced, in the L2 TLB and the L1 iTLB. */
    public void fillFetch(long va, int space, long pageBase, PageSize size, boolean writable) {
        l2.fill(va, space, pageBase, size, writable);
        l1i.fill(va, space, pageBase, size, writable);
    }

    /**
     * Copies the counts into {@code into}: lookups, L1 misses and L2 misses of data references, then of
     * instruction fetches (six values).
     */
    public void counts(long[] into) {
        into[0] = lookups;
        into[1] = l1Misses;
        into[2] = l2Misses;
        into[3] = fetchLookups;
        into[4] = fetchL1Misses;
        into[5] = fetchL2Misses;
    }

    /** Instruction-fetch lookups of the iTLB. */
    public long fetchLookups() {
        return fetchLookups;
    }

    public long fetchL1Misses() {
        return fetchL1Misses;
    }

    /** iTLB misses that missed the L2 TLB too (each starts a walk). */
    public long fetchL2Misses() {
        return fetchL2Misses;
    }

    /** The physical address of {@code va} for a load or store ({@code write}), or {@link #MISS}. */
    public long translate(long va, int space, boolean write) {
        lookups++;
        long pa = l1.lookup(va, space);
        // Non-short-circuit operators: the store flag is a coin flip, and a branch on it would mispredict.
        if (pa != MISS & (!write | l1.lastHitWritable())) {
            lastMissedL1 = false;
            return pa;
        }
        lastMissedL1 = true;
        l1Misses++;
        if (pa == MISS) {
            pa = l2.lookup(va, space);
            if (pa != MISS && (!write || l2.lastHitWritable())) {
                PageSize size = l2.lastHitLarge() ? PageSize.SIZE_2M : PageSize.SIZE_4K;
                l1.fill(va, space, pa & ~size.offsetMask(), size, l2.lastHitWritable());
                return pa;
            }
        }
        if (pa != MISS) {
            // A store through a read-only translation: drop it and let the walk decide.
            invalidate(va, space);
        }
        l2Misses++;
        return MISS;
    }

    /**
     * {@link #translate}'s answer when the L1 dTLB holds a translation that allows the access, {@link #MISS}
     * otherwise, with only the L1 lookup's effects: a hit moves its entry to the front, where a {@link #translate}
     * of the same reference finds it again with the same effects. Nothing is counted: {@link #countL1Hits} counts the
     * references the caller then takes. Lets the core's loop take the common case without committing to the rest.
     */
    public long l1Translation(long va, int space, boolean write) {
        long pa = l1.lookup(va, space);
        return pa != MISS & (!write | l1.lastHitWritable()) ? pa : MISS;
    }

    /** Counts {@code count} lookups answered by {@link #l1Translation}, as {@link #translate} counts its L1 hits. */
    public void countL1Hits(int count) {
        if (count > 0) {
            lookups += count;
            lastMissedL1 = false;
        }
    }

    /**
     * Takes back the counts of the last lookup, a miss in both levels, because it will be repeated (the vCPU had to
     * wait for the walker before it could act on it).
     */
    public void retractMiss() {
        lookups--;
        l1Misses--;
        l2Misses--;
    }

    /** Whether the last {@link #translate} missed the L1 dTLB (and so paid {@link #l1MissLatency}). */
    public boolean lastMissedL1() {
        return lastMissedL1;
    }

    /** Cycles a lookup costs on top of the L1D access when it misses the L1 dTLB (then probes L2). */
    public int l1MissLatency() {
        return l1.latency() + l2.latency();
    }

    /** Installs a translation produced by a walk in both levels. */
    public void fill(long va, int space, long pageBase, PageSize size, boolean writable) {
        l2.fill(va, space, pageBase, size, writable);
        l1.fill(va, space, pageBase, size, writable);
    }

    public void invalidate(long va, int space) {
        l1.invalidate(va, space);
        l2.invalidate(va, space);
        if (l1i != null) {
            l1i.invalidate(va, space);
        }
    }

    public void flush() {
        l1.flush();
        l2.flush();
        if (l1i != null) {
            l1i.flush();
        }
    }

    public long lookups() {
        return lookups;
    }

    public long l1Misses() {
        return l1Misses;
    }

    /** TLB misses: lookups that missed both levels. */
    public long l2Misses() {
        return l2Misses;
    }
}
