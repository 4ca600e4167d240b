package org.nestwalk.hypervisor;

import java.util.HashMap;
import java.util.Map;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.guest.GuestConfig;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.Platform;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;

/**
 * The guest's platform under agile paging (Gandhi, Basu, Hill and Swift, ISCA 2016): the hypervisor keeps a shadow
 * table per address space as under shadow paging, but only for the guest page-table pages the guest rarely writes.
 * A page it writes often goes to nested mode ({@link AgilePolicy}): the shadow entry above it becomes a switch entry
 * that points to the guest page itself, the walk switches there to the 2D walk, and the guest writes that page and
 * everything below it without exits. When the root goes to nested mode the whole walk is nested.
 *
 * <p>What still reaches the hypervisor: writes to shadowed pages (each a VM exit, emulated and propagated; no
 * out-of-sync tables), CR3 writes (the hypervisor loads the matching shadow root; a load that switches address
 * spaces ends the policy interval of the process switched to), faults met in the shadow part of a walk (hidden faults
 * fill the shadow, or the switch entry; true faults are reflected into the guest). A fault met in the nested part
 * goes to the guest directly, and INVLPG runs without an exit (writes to shadowed pages were propagated when they
 * trapped). Guest memory is given to the VM when it is created, as under shadow paging.
 */
public final class AgilePaging implements Platform {
    private final Hypervisor hypervisor;
    private final Mmu mmu;
    private final HypervisorConfig config;
    private final GuestConfig guest;
    private final PhysicalMemory guestMemory;
    private final PhysicalMemory hostMemory;
    private final boolean startNested;
    // Looked up only, never iterated where the order could show in a result.
    private final Map<GuestProcess, AgileShadow> shadows = new HashMap<>();
    /** Guest tables that switch entries point to: system-physical page to guest-physical page. */
    private final Map<Long, Long> switchTargets = new HashMap<>();
    private final HandlerWork discarded = new HandlerWork();
    private boolean outside;
    private long toNested;
    private long toShadow;

    /** @param startNested whether a new address space starts in nested mode (else every page is shadowed) */
    public AgilePaging(Hypervisor hypervisor, Mmu mmu, GuestConfig guest, PhysicalMemory guestMemory,
                       boolean startNested) {
        this.hypervisor = hypervisor;
        this.mmu = mmu;
        this.config = hypervisor.config();
        this.guest = guest;
        this.guestMemory = guestMemory;
        this.hostMemory = hypervisor.hostMemory();
        this.startNested = startNested;
    }

    /** The guest-physical address of the guest table at system-physical {@code spa}, which a switch entry named. */
    public long guestTableOf(long spa) {
        Long gpa = switchTargets.get(spa & ~0xFFFL);
        if (gpa == null) {
            throw new IllegalStateException(String.format("no switch entry points to 0x%x", spa));
        }
        return gpa;
    }

    /** Pages moved from shadow to nested mode so far, over every address space. */
    public long toNested() {
        return toNested;
    }

    /** Pages moved from nested back to shadow mode so far. */
    public long toShadow() {
        return toShadow;
    }

    /** Whether {@code p}'s guest page-table page at {@code pageGpa} is in nested mode (named as such). */
    public boolean nested(GuestProcess p, long pageGpa) {
        AgileShadow s = shadows.get(p.addressSpace());
        return s != null && s.policy().nested(pageGpa & ~0xFFFL);
    }

    /** What {@code p}'s shadow table maps {@code va} to, or null (no shadow, no entry, or nested at or above it). */
    public Mapping shadowMapping(GuestProcess p, long va) {
        AgileShadow s = shadows.get(p.addressSpace());
        return s == null ? null : s.lookup(va);
    }

    @Override
    public void touchFrame(long gpa, PageSize size, HandlerWork work) {
        hypervisor.touch(gpa, size, work, false);
    }

    @Override
    public long systemAddress(long gpa) {
        return hypervisor.systemAddress(gpa);
    }

    @Override
    public void outsideSimulatedTime(boolean isOutside) {
        this.outside = isOutside;
    }

    @Override
    public void tableWrite(GuestProcess p, long va, long entryGpa, int level, long oldValue, long newValue,
                           HandlerWork work) {
        AgileShadow s = shadowOf(p);
        long page = entryGpa & ~0xFFFL;
        long spa = hypervisor.systemAddress(entryGpa);
        long nestedAbove = s.nestedAt(va, level);
        if (nestedAbove >= 0) {
            // Under a nested page the guest's page tables are its own: a plain store, seen only by the dirty bit.
            work.reference(spa, true, HandlerWork.GUEST_OS);
            if (!outside) {
                s.policy().nestedWrite(nestedAbove);
            }
            return;
        }
        if (outside) {
            // Pages mapped before the run: the shadow follows, nothing is charged and the policy learns nothing.
            discarded.reset();
            s.propagate(va, level, oldValue, newValue, discarded, HandlerWork.GUEST_OS);
            return;
        }
        int ptWrite = HandlerWork.account(ExitCause.PT_WRITE);
        work.exit(ExitCause.PT_WRITE, config.vmExitLatency(), config.ptWriteLatency());
        work.reference(spa, true, ptWrite);
        s.propagate(va, level, oldValue, newValue, work, ptWrite);
        s.remember(page, level, va);
        if (s.policy().trappedWrite(page)) {
            toNested++;
            s.toNested(page, work, ptWrite);
            reloadIfRunning(p, s);
        }
    }

    @Override
    public void loadCr3(GuestProcess p, HandlerWork work) {
        boolean fresh = !shadows.containsKey(p.addressSpace());
        AgileShadow s = shadowOf(p);
        int cr3Write = HandlerWork.account(ExitCause.CR3_WRITE);
        work.exit(ExitCause.CR3_WRITE, config.vmExitLatency(), fresh ? config.cr3NewLatency()
                : config.cr3CachedLatency());
        endInterval(s, work, cr3Write);
        mmu.loadAddressSpace(hypervisor.vm(), p.pcid(), p.cr3(), hypervisor.nestedRoot());
        mmu.loadShadowRoot(s.rootRegister());
    }

    @Override
    public void invalidatePage(GuestProcess p, long va, HandlerWork work) {
        work.compute(guest.invlpgLatency(), HandlerWork.GUEST_OS);
        mmu.invalidatePage(va, p.pcid());
    }

    @Override
    public void flushTlb(GuestProcess p, HandlerWork work) {
        // A full flush is a CR3 reload: it traps like a context switch to the same address space, but it does not
        // end the policy's interval (a reload right before a switch would end one that had no time to see writes).
        work.exit(ExitCause.CR3_WRITE, config.vmExitLatency(), config.cr3CachedLatency());
        mmu.flushTlb();
    }

    @Override
    public void pagePresent(GuestProcess p, long va, Mapping guestMapping) {
        // In the steady state the pages already present have shadow entries (or switch entries above them).
        discarded.reset();
        shadowOf(p).fill(va, guestMapping.leafEntry(), guestMapping.size(), discarded, HandlerWork.GUEST_OS);
    }

    @Override
    public void processExited(GuestProcess p, HandlerWork work) {
        AgileShadow s = shadows.remove(p.addressSpace());
        if (s != null) {
            s.release();
        }
    }

    @Override
    public void pageFault(GuestOs os, long va, boolean write, HandlerWork work) {
        GuestProcess p = os.running();
        AgileShadow s = shadowOf(p);
        if (s.reachesGuestPart(va)) {
            // The walk had switched to the guest's own table: its fault is the guest's, without an exit.
            os.pageFault(va, write, work);
            return;
        }
        Mapping g = p.table().lookup(va);
        if (g != null && (!write || g.writable())) {
            int hidden = HandlerWork.account(ExitCause.HIDDEN_FAULT);
            work.exit(ExitCause.HIDDEN_FAULT, config.vmExitLatency(), config.hiddenFaultLatency());
            s.readGuestPath(va, work, hidden);
            long entry = g.leafEntry();
            if (write && (entry & Pte.DIRTY) == 0 && s.nestedAt(va, 1) < 0) {
                // Dirty-bit emulation in the shadowed part: the shadow leaf was read-only so this store would trap.
                entry |= Pte.DIRTY | Pte.ACCESSED;
                guestMemory.write(g.leafAddress(), entry);
                work.reference(hypervisor.systemAddress(g.leafAddress()), true, hidden);
            }
            s.fill(va, entry, g.size(), work, hidden);
        } else {
            int injected = HandlerWork.account(ExitCause.GUEST_FAULT_INJECTION);
            work.exit(ExitCause.GUEST_FAULT_INJECTION, config.vmExitLatency(), config.faultInjectionLatency());
            s.readGuestPath(va, work, injected);
            os.pageFault(va, write, work);
        }
    }

    @Override
    public void nestedFault(long gpa, HandlerWork work) {
        throw new IllegalStateException(String.format("a nested fault on 0x%x under agile paging", gpa));
    }

    /**
     * The process's policy interval ends: the hypervisor reads (and clears) the dirty bit of the nested entry of
     * each of its nested pages, and those not written since the previous end go back to shadow mode.
     */
    private void endInterval(AgileShadow s, HandlerWork work, int acct) {
        for (long page : s.policy().nestedPages()) {
            work.reference(hypervisor.hostMapping(page).leafAddress(), false, acct);
        }
        for (long page : s.policy().endInterval()) {
            toShadow++;
            s.toShadow(page, work, acct);
        }
    }

    /** After a switch of the root, the register of a running process must show it. */
    private void reloadIfRunning(GuestProcess p, AgileShadow s) {
        if (mmu.registers().cr3() == p.cr3() && mmu.registers().pcid() == p.pcid()) {
            mmu.loadShadowRoot(s.rootRegister());
        }
    }

    private AgileShadow shadowOf(GuestProcess p) {
        return shadows.computeIfAbsent(p.addressSpace(), k -> new AgileShadow(k, hypervisor, guestMemory, hostMemory,
                new AgilePolicy(config.agileWrites()), switchTargets, startNested));
    }
}
