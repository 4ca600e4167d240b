package org.nestwalk.cpu;

import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.walk.Registers;

/**
 * What privileged software controls of a VM's translation hardware: each vCPU's translation registers (a CR3 write,
 * the nested root, the shadow root) and the maintenance of its TLBs (INVLPG, full flushes, INVEPT). Privileged code
 * runs on one vCPU at a time, the one that entered the kernel ({@link #runOn}): what it does acts on that vCPU's
 * hardware, as INVLPG and a CR3 write act on the CPU that executes them (which is why another vCPU's TLB needs a
 * shootdown). INVEPT, done by the hypervisor for the whole VM, acts on every vCPU.
 */
public final class Mmu {
    private final DataTlb[] tlbs;
    private final PageWalkCache[] pwcs;
    private final NestedTlb[] ntlbs;
    private final Registers[] registers;
    private final boolean tagged;
    private int cpu;

    /** One vCPU's hardware. */
    public Mmu(DataTlb tlb, PageWalkCache pwc, NestedTlb ntlb, Registers registers, boolean tagged) {
        this(new DataTlb[] {tlb}, new PageWalkCache[] {pwc}, new NestedTlb[] {ntlb}, new Registers[] {registers},
                tagged);
    }

    /**
     * The hardware of every vCPU of the VM, indexed alike.
     *
     * @param tagged whether TLB entries carry the process id (PCID), so that a CR3 write need not flush them
     */
    public Mmu(DataTlb[] tlbs, PageWalkCache[] pwcs, NestedTlb[] ntlbs, Registers[] registers, boolean tagged) {
        if (tlbs.length == 0 || pwcs.length != tlbs.length || ntlbs.length != tlbs.length
                || registers.length != tlbs.length) {
            throw new IllegalArgumentException("one TLB, PWC, NTLB and register set per vCPU");
        }
        this.tlbs = tlbs.clone();
        this.pwcs = pwcs.clone();
        this.ntlbs = ntlbs.clone();
        this.registers = registers.clone();
        this.tagged = tagged;
    }

    /** Privileged software runs on vCPU {@code c} from now on. */
    public void runOn(int c) {
        this.cpu = c;
    }

    /** The vCPU privileged software runs on. */
    public int cpu() {
        return cpu;
    }

    /** vCPUs of the VM. */
    public int cpus() {
        return tlbs.length;
    }

    /** The registers of the vCPU privileged software runs on. */
    public Registers registers() {
        return registers[cpu];
    }

    /** The registers of vCPU {@code c}. */
    public Registers registers(int c) {
        return registers[c];
    }

    /**
     * A CR3 write: the vCPU now translates for process {@code pcid} of VM {@code vm}, whose table is at {@code cr3},
     * with the VM's nested dimension at {@code nestedRoot}. Without PCIDs the TLB and the walk cache are flushed.
     */
    public void loadAddressSpace(int vm, int pcid, long cr3, long nestedRoot) {
        registers[cpu].load(vm, pcid, cr3, nestedRoot);
        if (!tagged) {
            tlbs[cpu].flush();
            pwcs[cpu].flush();
        }
    }

    /** Under shadow paging: the table the hardware really walks. */
    public void loadShadowRoot(long root) {
        registers[cpu].shadowRoot(root);
    }

    /** INVLPG: drops process {@code pcid}'s translation of {@code va} (of the VM currently loaded). */
    public void invalidatePage(long va, int pcid) {
        tlbs[cpu].invalidate(va, (registers[cpu].vm() << 12) | pcid);
    }

    /** Drops every TLB entry (and the walk cache). */
    public void flushTlb() {
        tlbs[cpu].flush();
        pwcs[cpu].flush();
    }

    /** INVEPT: drops every translation derived from the nested dimension (NTLB and TLB), on every vCPU. */
    public void invalidateNested() {
        for (int c = 0; c < tlbs.length; c++) {
            ntlbs[c].flush();
            tlbs[c].flush();
        }
    }
}
