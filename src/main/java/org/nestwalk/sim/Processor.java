package org.nestwalk.sim;

import org.nestwalk.config.MachineConfig;
import org.nestwalk.cpu.ShadowLock;
import org.nestwalk.cpu.Shootdowns;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.tlb.CuckooWalkCache;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.tlb.PagingStructureCaches;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;

/**
 * One vCPU and the hardware private to it (DESIGN.md section 2, "per vCPU"): its translation registers, L1 dTLB,
 * L2 TLB and iTLB, its walk caches (the PWC or the paging-structure caches, the NTLB, the cuckoo walk cache), its
 * L1D and L2 in front of the shared last-level cache, and its page walkers. The core and the walkers are filled in
 * once the VM's translation mode exists ({@link #attach}).
 */
final class Processor {
    final int index;
    final Cache l1d;
    final Cache l2;
    final CacheHierarchy caches;
    final PageWalkCache pwc;
    final PagingStructureCaches virtualPsc;
    final PagingStructureCaches nestedPsc;
    final NestedTlb ntlb;
    final CuckooWalkCache cwc;
    final DataTlb tlb;
    final Registers registers = new Registers();
    PageWalker walker;
    VCpu vcpu;

    /** @param llc the last-level cache this vCPU shares with the others */
    Processor(int index, MachineConfig m, Cache llc) {
        this.index = index;
        l1d = new Cache(m.l1d());
        l2 = new Cache(m.l2());
        caches = new CacheHierarchy(l1d, l2, llc);
        pwc = new PageWalkCache(m.pwc());
        virtualPsc = new PagingStructureCaches(m.psc().entries(), m.psc().ways(), m.psc().latency());
        nestedPsc = new PagingStructureCaches(m.psc().entries(), m.psc().ways(), m.psc().latency());
        ntlb = new NestedTlb(m.ntlb());
        cwc = new CuckooWalkCache(m.cwc());
        tlb = new DataTlb(m.l1Tlb(), m.l2Tlb(), m.l1Itlb());
        registers.pagingLevels(m.guest().pagingLevels(), m.hypervisor().nestedLevels());
    }

    void attach(PageWalker w, VCpu v) {
        this.walker = w;
        this.vcpu = v;
    }

    /**
     * This vCPU's counters now, its own clock {@code time}; {@code s}: the VM's shootdowns, {@code lock}: its shadow
     * lock (either null when there is none).
     */
    CpuSnapshot snapshot(int vm, Shootdowns s, ShadowLock lock) {
        ShootdownCounts shootdowns = s == null ? ShootdownCounts.NONE : new ShootdownCounts(s.initiated(index),
                s.waitCycles(index), s.ipisSent(index), s.ipisTaken(index));
        LockCounts locked = lock == null ? LockCounts.NONE : new LockCounts(lock.acquisitions(index),
                lock.contended(index), lock.waitCycles(index), lock.holdCycles(index));
        return new CpuSnapshot(vm, index, vcpu.time(), vcpu.stats(), walker.stats(), shootdowns, locked,
                pwc.probes() + virtualPsc.probes() + nestedPsc.probes(),
                pwc.hits() + virtualPsc.hits() + nestedPsc.hits(), ntlb.probes(), ntlb.hits(), cwc.probes(),
                cwc.hits(), new long[] {l1d.hits(), l2.hits(), caches.llcHits()},
                new long[] {l1d.misses(), l2.misses(), caches.llcMisses()});
    }
}
