package org.nestwalk.hypervisor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.Platform;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * The guest's platform under shadow paging (Xen semantics). The hypervisor keeps one shadow table (gVA to sPA) per
 * guest address space in host memory, and the hardware walks it natively; the price is keeping it in step with the
 * guest, every step a VM exit:
 * <ul>
 * <li>guest page-table pages are write-protected, so a guest page-table write traps, is emulated, and propagated
 * into the shadow ({@link ShadowSync#TRAP}); or, Xen 3.3+, a guest level-1 table goes out of sync after its first
 * trapped write and is resynchronised at the guest's next TLB flush ({@link ShadowSync#OOS});</li>
 * <li>a CR3 load traps: the shadow of the new address space is found, or built;</li>
 * <li>INVLPG traps (and resynchronises what is out of sync);</li>
 * <li>every page fault traps first: a <em>hidden</em> fault (the guest's entry is valid, the shadow's is missing or
 * read-only for dirty-bit tracking) is fixed without the guest knowing; a true fault is reflected into the guest,
 * whose handler then writes its page table (trapping again).</li>
 * </ul>
 * Guest memory is given to the VM when it is created: touching a frame costs nothing here.
 */
public final class ShadowPaging implements Platform {
    private final Hypervisor hypervisor;
    private final Mmu mmu;
    private final HypervisorConfig config;
    private final PhysicalMemory guestMemory;
    private final PhysicalMemory hostMemory;
    // Looked up only, never iterated: the order of this map never shows in a result.
    private final Map<GuestProcess, RadixPageTable> shadows = new HashMap<>();
    private final ArrayDeque<OutOfSync> outOfSync = new ArrayDeque<>();
    private final HandlerWork discarded = new HandlerWork();
    private long shadowsBuilt;
    private long resyncs;

    private HandlerWork work;
    private int account;
    private final RadixPageTable.NodeSource shadowNodes;
    private final TableWriteObserver shadowWrites = new TableWriteObserver() {
        @Override
        public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
            work.reference(entryAddress, true, account);
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    /** A guest level-1 table the guest may write without trapping, and what it wrote since. */
    private record OutOfSync(GuestProcess process, long page, List<Long> written) {
    }

    public ShadowPaging(Hypervisor hypervisor, Mmu mmu, PhysicalMemory guestMemory) {
        this.hypervisor = hypervisor;
        this.mmu = mmu;
        this.config = hypervisor.config();
        this.guestMemory = guestMemory;
        this.hostMemory = hypervisor.hostMemory();
        this.shadowNodes = level -> hypervisor.hostFrames().allocate(PageSize.SIZE_4K);
    }

    @Override
    public void touchFrame(long gpa, PageSize size, HandlerWork handlerWork) {
        hypervisor.touch(gpa, size, handlerWork, false);
    }

    @Override
    public long systemAddress(long gpa) {
        return hypervisor.systemAddress(gpa);
    }

    @Override
    public void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                           HandlerWork handlerWork) {
        long spa = hypervisor.systemAddress(entryGpa);
        if (config.shadowSync() == ShadowSync.OOS && level == 1) {
            long page = entryGpa & ~0xFFFL;
            for (OutOfSync o : outOfSync) {
                if (o.page == page && o.process == p.addressSpace()) {
                    // Out of sync: the write is a plain store; the shadow catches up at the next flush.
                    handlerWork.reference(spa, true, HandlerWork.GUEST_OS);
                    o.written.add(va);
                    return;
                }
            }
            int ptWrite = HandlerWork.account(ExitCause.PT_WRITE);
            handlerWork.exit(ExitCause.PT_WRITE, config.vmExitLatency(), config.ptWriteLatency());
            handlerWork.reference(spa, true, ptWrite);
            if (outOfSync.size() == config.oosPages()) {
                resync(outOfSync.poll(), handlerWork, ptWrite);
            }
            List<Long> written = new ArrayList<>();
            written.add(va);
            outOfSync.add(new OutOfSync(p.addressSpace(), page, written));
            return;
        }
        int ptWrite = HandlerWork.account(ExitCause.PT_WRITE);
        handlerWork.exit(ExitCause.PT_WRITE, config.vmExitLatency(), config.ptWriteLatency());
        handlerWork.reference(spa, true, ptWrite);
        propagate(p, va, level, oldValue, newValue, handlerWork, ptWrite);
    }

    @Override
    public void loadCr3(GuestProcess p, HandlerWork handlerWork) {
        boolean fresh = !shadows.containsKey(p.addressSpace());
        RadixPageTable shadow = shadowOf(p);
        handlerWork.exit(ExitCause.CR3_WRITE, config.vmExitLatency(),
                fresh ? config.cr3NewLatency() : config.cr3CachedLatency());
        resyncAll(handlerWork, HandlerWork.account(ExitCause.CR3_WRITE));
        mmu.loadAddressSpace(hypervisor.vm(), p.pcid(), p.cr3(), 0);
        mmu.loadShadowRoot(shadow.root());
    }

    @Override
    public void invalidatePage(GuestProcess p, long va, HandlerWork handlerWork) {
        handlerWork.exit(ExitCause.INVLPG, config.vmExitLatency(), config.invlpgLatency());
        resyncAll(handlerWork, HandlerWork.account(ExitCause.INVLPG));
        mmu.invalidatePage(va, p.pcid());
    }

    @Override
    public void flushTlb(GuestProcess p, HandlerWork handlerWork) {
        // A guest's full flush is a CR3 reload: it traps like a context switch to the same address space.
        handlerWork.exit(ExitCause.CR3_WRITE, config.vmExitLatency(), config.cr3CachedLatency());
        resyncAll(handlerWork, HandlerWork.account(ExitCause.CR3_WRITE));
        mmu.flushTlb();
    }

    @Override
    public void processExited(GuestProcess p, HandlerWork handlerWork) {
        RadixPageTable shadow = shadows.remove(p.addressSpace());
        outOfSync.removeIf(o -> o.process == p.addressSpace());
        if (shadow != null) {
            shadow.forEachNode(node -> hypervisor.hostFrames().free(node, PageSize.SIZE_4K));
            hypervisor.hostFrames().free(shadow.root(), PageSize.SIZE_4K);
        }
    }

    @Override
    public void pagePresent(GuestProcess p, long va, Mapping guestMapping) {
        // In the steady state the pages already present have shadow entries.
        discarded.reset();
        this.work = discarded;
        this.account = HandlerWork.GUEST_OS;
        fill(p, shadowOf(p), va, guestMapping.leafEntry(), guestMapping.size());
    }

    @Override
    public void pageFault(GuestOs os, long va, boolean write, HandlerWork handlerWork) {
        GuestProcess p = os.running();
        Mapping g = p.table().lookup(va);
        if (g != null && (!write || g.writable())) {
            int hidden = HandlerWork.account(ExitCause.HIDDEN_FAULT);
            handlerWork.exit(ExitCause.HIDDEN_FAULT, config.vmExitLatency(), config.hiddenFaultLatency());
            readGuestPath(p, va, handlerWork, hidden);
            long entry = g.leafEntry();
            if (write && (entry & Pte.DIRTY) == 0) {
                // Dirty-bit emulation: the shadow was read-only so that this first store would trap.
                entry |= Pte.DIRTY | Pte.ACCESSED;
                guestMemory.write(g.leafAddress(), entry);
                handlerWork.reference(hypervisor.systemAddress(g.leafAddress()), true, hidden);
            }
            this.work = handlerWork;
            this.account = hidden;
            fill(p, shadowOf(p), va, entry, g.size());
        } else {
            int injected = HandlerWork.account(ExitCause.GUEST_FAULT_INJECTION);
            handlerWork.exit(ExitCause.GUEST_FAULT_INJECTION, config.vmExitLatency(),
                    config.faultInjectionLatency());
            readGuestPath(p, va, handlerWork, injected);
            os.pageFault(va, write, handlerWork);
        }
    }

    @Override
    public void nestedFault(long gpa, HandlerWork handlerWork) {
        throw new IllegalStateException(String.format("a nested fault on 0x%x under shadow paging", gpa));
    }

    /** What {@code p}'s shadow table maps {@code va} to, or null (no shadow, or no entry). */
    public Mapping shadowMapping(GuestProcess p, long va) {
        RadixPageTable shadow = shadows.get(p.addressSpace());
        return shadow == null ? null : shadow.lookup(va);
    }

    /** Guest level-1 tables currently out of sync (their shadow entries may be stale until the next flush). */
    public boolean outOfSync(GuestProcess p, long tableGpa) {
        return outOfSync.stream().anyMatch(o -> o.process == p.addressSpace() && o.page == (tableGpa & ~0xFFFL));
    }

    /** Shadow tables built (CR3 loads of address spaces without one). */
    public long shadowsBuilt() {
        return shadowsBuilt;
    }

    /** Out-of-sync tables resynchronised. */
    public long resyncs() {
        return resyncs;
    }

    private RadixPageTable shadowOf(GuestProcess p) {
        return shadows.computeIfAbsent(p.addressSpace(), k -> {
            shadowsBuilt++;
            return new RadixPageTable(hostMemory, hypervisor.hostFrames().allocate(PageSize.SIZE_4K),
                    p.table().levels());
        });
    }

    /** The hypervisor reads the guest's entries on the way to {@code va}, as its fault handler must. */
    private void readGuestPath(GuestProcess p, long va, HandlerWork handlerWork, int acct) {
        long node = p.cr3();
        for (int level = p.table().levels(); level >= 1; level--) {
            long at = RadixPageTable.entryAddress(node, va, level);
            handlerWork.reference(hypervisor.systemAddress(at), false, acct);
            long entry = guestMemory.read(at);
            if (!Pte.present(entry) || level == 1 || Pte.large(entry)) {
                return;
            }
            node = Pte.address(entry);
        }
    }

    /**
     * Brings the shadow of {@code p} up to date with a guest entry that changed: a leaf is copied into the shadow
     * (or its shadow entries cleared); an upper-level change clears the shadow entry at that level, to be refilled
     * by hidden faults.
     */
    private void propagate(GuestProcess p, long va, int level, long oldValue, long newValue,
                           HandlerWork handlerWork, int acct) {
        RadixPageTable shadow = shadows.get(p.addressSpace());
        if (shadow == null) {
            return;
        }
        this.work = handlerWork;
        this.account = acct;
        boolean leaf = level == 1 || Pte.present(newValue) && Pte.large(newValue)
                || Pte.present(oldValue) && Pte.large(oldValue);
        if (!leaf) {
            clearEntry(shadow, va, level);
            return;
        }
        PageSize guestSize = PageSize.ofLeafLevel(level);
        long pageVa = va & ~guestSize.offsetMask();
        if (!Pte.present(newValue) || PageSize.min(guestSize, config.pageSize()) != guestSize) {
            // A cleared entry, or a guest page the shadow holds in smaller pieces: drop them, refill on demand.
            clearRange(shadow, pageVa, pageVa + guestSize.bytes());
        } else {
            fill(p, shadow, pageVa, newValue, guestSize);
        }
    }

    /**
     * Writes the shadow entry for the page containing {@code va}: as large as both the guest's page and the host's
     * backing allow, writable only once the guest's entry is writable and dirty.
     */
    private void fill(GuestProcess p, RadixPageTable shadow, long va, long guestEntry, PageSize guestSize) {
        ShadowLeaf leaf = ShadowLeaf.of(hypervisor, va, guestEntry, guestSize);
        PageSize size = leaf.size();
        long spa = leaf.spa();
        long shadowVa = leaf.va();
        boolean writable = leaf.writable();
        Mapping existing = shadow.lookup(shadowVa);
        if (existing != null && existing.size() == size) {
            shadow.rewrite(shadowVa, Pte.leaf(spa, size, writable), shadowWrites);
        } else {
            if (existing != null) {
                long existingVa = shadowVa & ~existing.size().offsetMask();
                clearRange(shadow, existingVa, existingVa + existing.size().bytes());
            }
            shadow.map(shadowVa, spa, size, writable, shadowNodes, shadowWrites);
        }
    }

    private void clearRange(RadixPageTable shadow, long start, long end) {
        shadow.forEachLeaf(start, end, (va, at, entry, size) -> {
            hostMemory.write(at, 0);
            shadowWrites.entryWritten(va, at, size.leafLevel(), entry, 0);
        });
    }

    private void clearEntry(RadixPageTable shadow, long va, int level) {
        long node = shadow.root();
        for (int l = shadow.levels(); l > level; l--) {
            long entry = hostMemory.read(RadixPageTable.entryAddress(node, va, l));
            if (!Pte.present(entry) || Pte.large(entry)) {
                return;
            }
            node = Pte.address(entry);
        }
        long at = RadixPageTable.entryAddress(node, va, level);
        long old = hostMemory.read(at);
        if (Pte.present(old)) {
            hostMemory.write(at, 0);
            shadowWrites.entryWritten(va, at, level, old, 0);
        }
    }

    private void resyncAll(HandlerWork handlerWork, int acct) {
        while (!outOfSync.isEmpty()) {
            resync(outOfSync.poll(), handlerWork, acct);
        }
    }

    /**
     * Brings an out-of-sync table back in step and write-protects it again: its 64 lines are read, and the entries
     * the guest wrote meanwhile are propagated.
     */
    private void resync(OutOfSync o, HandlerWork handlerWork, int acct) {
        resyncs++;
        handlerWork.compute(config.resyncLatency(), acct);
        long spa = hypervisor.systemAddress(o.page);
        for (int line = 0; line < 64; line++) {
            handlerWork.reference(spa + line * 64L, false, acct);
        }
        for (long va : o.written) {
            long entry = guestMemory.read(o.page + ((long) RadixPageTable.index(va, 1) << 3));
            propagate(o.process, va, 1, 0, entry, handlerWork, acct);
        }
    }
}
