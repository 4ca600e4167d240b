package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.guest.GuestStats;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.memory.DramStats;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.TableKind;
import org.nestwalk.walk.WalkStats;

/**
 * Every counter of the machine at one moment; the difference of two snapshots is what happened in between (the
 * measured interval after warm-up). With several vCPUs the vCPUs' counters are added up (their cycle accounts are
 * vCPU-cycles), and {@code vcpus} holds each one's own.
 *
 * @param time        the clock of the vCPU that took it (with one vCPU, its clock)
 * @param cpu         the vCPUs' counters and cycle accounts, added up
 * @param walks       the page walkers' counters, added up
 * @param guest       the guest OS's counters
 * @param pwcProbes   page walk cache probes
 * @param pwcHits     of which hits
 * @param ntlbProbes  nested TLB probes
 * @param ntlbHits    of which hits
 * @param isptProbes  inverted shadow page table lookups
 * @param isptHits    of which hits
 * @param dram        memory controller counters
 * @param cacheHits   hits of L1D, L2, LLC (all traffic: data and page-table entries)
 * @param cacheMisses misses of L1D, L2, LLC
 * @param schemes     counters of the later schemes' structures
 * @param vcpus       each vCPU's own counters, in order
 */
public record Snapshot(long time, VCpuStats cpu, WalkStats walks, GuestStats guest, long pwcProbes, long pwcHits,
                       long ntlbProbes, long ntlbHits, long isptProbes, long isptHits, DramStats dram,
                       long[] cacheHits, long[] cacheMisses, SchemeCounters schemes, List<CpuSnapshot> vcpus) {

    public Snapshot {
        vcpus = List.copyOf(vcpus);
    }

    /** vCPU-cycles: the sum of every vCPU's own cycles (with one vCPU, {@link #time()}). */
    public long vcpuCycles() {
        if (vcpus.size() <= 1) {
            return time;
        }
        long n = 0;
        for (CpuSnapshot c : vcpus) {
            n += c.time();
        }
        return n;
    }

    /**
     * The cycles VM {@code v} ran: the longest clock of its vCPUs (with one VM, {@link #time()}'s measure). Divided
     * by the same VM's cycles alone it is the slowdown co-running costs it.
     */
    public long vmCycles(int v) {
        long t = 0;
        for (CpuSnapshot c : vcpus) {
            if (c.vm() == v) {
                t = Math.max(t, c.time());
            }
        }
        return t;
    }

    /** The vCPUs' TLB shootdowns, added up. */
    public ShootdownCounts shootdowns() {
        ShootdownCounts sum = ShootdownCounts.NONE;
        for (CpuSnapshot c : vcpus) {
            sum = sum.plus(c.shootdowns());
        }
        return sum;
    }

    /** The vCPUs' use of the shadow lock, added up. */
    public LockCounts shadowLock() {
        LockCounts sum = LockCounts.NONE;
        for (CpuSnapshot c : vcpus) {
            sum = sum.plus(c.shadowLock());
        }
        return sum;
    }

    /** Every counter by name, in a fixed order: for exact comparisons between runs and for raw-counter output. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("cpu.references", cpu.references());
        m.put("cpu.stores", cpu.stores());
        m.put("cpu.instructions", cpu.instructions());
        m.put("cpu.tlbLookups", cpu.tlbLookups());
        m.put("cpu.l1TlbMisses", cpu.l1TlbMisses());
        m.put("cpu.tlbMisses", cpu.tlbMisses());
        m.put("cpu.walkRetries", cpu.walkRetries());
        for (MemoryLevel l : MemoryLevel.values()) {
            m.put("cpu.data." + l.name().toLowerCase(), cpu.dataServed(l));
        }
        m.put("cpu.cycles.base", cpu.baseCycles());
        m.put("cpu.cycles.tlb", cpu.tlbCycles());
        m.put("cpu.cycles.walk", cpu.walkCycles());
        m.put("cpu.cycles.dataStall", cpu.dataStallCycles());
        m.put("cpu.cycles.guestOs", cpu.guestOsCycles());
        for (ExitCause c : ExitCause.values()) {
            m.put("cpu.exits." + c.label(), cpu.exits(c));
            m.put("cpu.cycles.exit." + c.label(), cpu.exitCycles(c));
        }
        m.put("cpu.cycles.squash", cpu.squashCycles());
        m.put("cpu.pageFaults", cpu.pageFaults());
        m.put("cpu.systemCalls", cpu.systemCalls());
        m.put("cpu.interrupts", cpu.interrupts());
        m.put("cpu.speculations", cpu.speculations());
        m.put("cpu.misspeculations", cpu.misspeculations());
        m.put("cpu.squashedReferences", cpu.squashedReferences());
        m.put("cpu.overlappedReferences", cpu.overlappedReferences());
        m.put("cpu.sharedTranslations", cpu.sharedTranslations());
        m.put("cpu.faultSquashes", cpu.faultSquashes());
        m.put("cpu.storeReplays", cpu.storeReplays());
        m.put("cpu.itlbLookups", cpu.itlbLookups());
        m.put("cpu.l1ItlbMisses", cpu.l1ItlbMisses());
        m.put("cpu.itlbMisses", cpu.itlbMisses());
        m.put("cpu.fetchWalks", cpu.fetchWalks());
        m.put("guest.pageFaults", guest.pageFaults());
        m.put("guest.copyOnWriteFaults", guest.copyOnWriteFaults());
        m.put("guest.zeroPageWrites", guest.zeroPageWrites());
        m.put("guest.tableWrites", guest.tableWrites());
        m.put("guest.contextSwitches", guest.contextSwitches());
        m.put("guest.forks", guest.forks());
        m.put("guest.spawns", guest.spawns());
        m.put("guest.execs", guest.execs());
        m.put("guest.exits", guest.exits());
        m.put("guest.unmappedPages", guest.unmappedPages());
        m.put("guest.remaps", guest.remaps());
        m.put("walk.walks", walks.walks());
        m.put("walk.pageFaults", walks.pageFaults());
        m.put("walk.nestedFaults", walks.nestedFaults());
        m.put("walk.cycles", walks.cycles());
        m.put("walk.criticalReferences", walks.criticalReferences());
        m.put("walk.speculative", walks.speculative());
        m.put("walk.queued", walks.queuedWalks());
        m.put("walk.queueCycles", walks.queueCycles());
        m.put("walk.busyCycles", walks.busyCycles());
        for (TableKind t : TableKind.values()) {
            for (ServedBy b : ServedBy.values()) {
                m.put("walk.steps." + t.label() + "." + b.name().toLowerCase(), walks.steps()[t.ordinal()][b.ordinal()]);
            }
        }
        m.put("pwc.probes", pwcProbes);
        m.put("pwc.hits", pwcHits);
        m.put("ntlb.probes", ntlbProbes);
        m.put("ntlb.hits", ntlbHits);
        m.put("ispt.probes", isptProbes);
        m.put("ispt.hits", isptHits);
        m.put("dram.requests", dram.requests());
        m.put("dram.started", dram.started());
        m.put("dram.writes", dram.writes());
        m.put("dram.rowHits", dram.rowHits());
        m.put("dram.queueDelay", dram.queueDelaySum());
        m.put("dram.service", dram.serviceSum());
        m.put("dram.maxQueued", dram.maxQueued());
        m.put("dram.queueLengthIntegral", dram.queueLengthIntegral());
        m.put("cwc.probes", schemes.cwcProbes());
        m.put("cwc.hits", schemes.cwcHits());
        m.put("pomTlb.probes", schemes.pomProbes());
        m.put("pomTlb.hits", schemes.pomHits());
        m.put("agile.toNested", schemes.agileToNested());
        m.put("agile.toShadow", schemes.agileToShadow());
        String[] names = {"l1d", "l2", "llc"};
        for (int i = 0; i < names.length; i++) {
            m.put("cache." + names[i] + ".hits", cacheHits[i]);
            m.put("cache." + names[i] + ".misses", cacheMisses[i]);
        }
        ShootdownCounts sd = shootdowns();
        m.put("smp.shootdowns", sd.initiated());
        m.put("smp.shootdownWaitCycles", sd.waitCycles());
        m.put("smp.ipisSent", sd.ipisSent());
        m.put("smp.ipisTaken", sd.ipisTaken());
        LockCounts lock = shadowLock();
        m.put("smp.shadowLock.acquisitions", lock.acquisitions());
        m.put("smp.shadowLock.contended", lock.contended());
        m.put("smp.shadowLock.waitCycles", lock.waitCycles());
        m.put("smp.shadowLock.holdCycles", lock.holdCycles());
        return m;
    }

    /**
     * This snapshot with {@code own} as its vCPUs' counters and the vCPUs' sums (core counters, walkers, walk caches,
     * nested TLBs, cuckoo walk caches, L1D and L2) recomputed from them; what the vCPUs share (the clock of the
     * interval, the guest OS, the LLC, DRAM, the ISPT and the schemes' shared tables) is kept.
     */
    public Snapshot withVcpus(List<CpuSnapshot> own) {
        CpuSnapshot first = own.get(0);
        VCpuStats c = first.cpu();
        WalkStats w = first.walks();
        long walkCacheProbes = first.walkCacheProbes();
        long walkCacheHits = first.walkCacheHits();
        long nProbes = first.ntlbProbes();
        long nHits = first.ntlbHits();
        long cwcProbes = first.cwcProbes();
        long cwcHits = first.cwcHits();
        long[] h = cacheHits.clone();
        long[] m = cacheMisses.clone();
        for (int l = 0; l < 2; l++) {
            h[l] = first.cacheHits()[l];
            m[l] = first.cacheMisses()[l];
        }
        for (int i = 1; i < own.size(); i++) {
            CpuSnapshot x = own.get(i);
            c = c.plus(x.cpu());
            w = w.plus(x.walks());
            walkCacheProbes += x.walkCacheProbes();
            walkCacheHits += x.walkCacheHits();
            nProbes += x.ntlbProbes();
            nHits += x.ntlbHits();
            cwcProbes += x.cwcProbes();
            cwcHits += x.cwcHits();
            for (int l = 0; l < 2; l++) {
                h[l] += x.cacheHits()[l];
                m[l] += x.cacheMisses()[l];
            }
        }
        SchemeCounters s = new SchemeCounters(cwcProbes, cwcHits, schemes.pomProbes(), schemes.pomHits(),
                schemes.agileToNested(), schemes.agileToShadow(), schemes.agile());
        return new Snapshot(time, c, w, guest, walkCacheProbes, walkCacheHits, nProbes, nHits, isptProbes, isptHits,
                dram, h, m, s, own);
    }

    public Snapshot minus(Snapshot e) {
        long[] h = new long[cacheHits.length];
        long[] m = new long[cacheMisses.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = cacheHits[i] - e.cacheHits[i];
            m[i] = cacheMisses[i] - e.cacheMisses[i];
        }
        List<CpuSnapshot> c = new ArrayList<>(vcpus.size());
        for (int i = 0; i < vcpus.size(); i++) {
            c.add(vcpus.get(i).minus(e.vcpus.get(i)));
        }
        return new Snapshot(time - e.time, cpu.minus(e.cpu), walks.minus(e.walks), guest.minus(e.guest),
                pwcProbes - e.pwcProbes, pwcHits - e.pwcHits, ntlbProbes - e.ntlbProbes, ntlbHits - e.ntlbHits,
                isptProbes - e.isptProbes, isptHits - e.isptHits, dram.minus(e.dram), h, m,
                schemes.minus(e.schemes), c);
    }
}
