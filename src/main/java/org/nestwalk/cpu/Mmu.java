package org.nestwalk.cpu;

import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.walk.Registers;

/**
 * What privileged software controls of a vCPU's translation hardware: the translation registers (a CR3 write, the
 * nested root, the shadow root) and the maintenance of its TLBs (INVLPG, full flushes, INVEPT).
 */
public final class Mmu {
    private final DataTlb tlb;
    private final PageWalkCache pwc;
    private final NestedTlb ntlb;
    private final Registers registers;
    private final boolean tagged;

    /** @param tagged whether TLB entries carry the process id (PCID), so that a CR3 write need not flush them */
    public Mmu(DataTlb tlb, PageWalkCache pwc, NestedTlb ntlb, Registers registers, boolean tagged) {
        this.tlb = tlb;
        this.pwc = pwc;
        this.ntlb = ntlb;
        this.registers = registers;
        this.tagged = tagged;
    }

    public Registers registers() {
        return registers;
    }

    /**
     * A CR3 write: the vCPU now translates for process {@code pcid} of VM {@code vm}, whose table is at {@code cr3},
     * with the VM's nested dimension at {@code nestedRoot}. Without PCIDs the TLB and the walk cache are flushed.
     */
    public void loadAddressSpace(int vm, int pcid, long cr3, long nestedRoot) {
        registers.load(vm, pcid, cr3, nestedRoot);
        if (!tagged) {
            tlb.flush();
            pwc.flush();
        }
    }

    /** Under shadow paging: the table the hardware really walks. */
    public void loadShadowRoot(long root) {
        registers.shadowRoot(root);
    }

    /** INVLPG: drops process {@code pcid}'s translation of {@code va} (of the VM currently loaded). */
    public void invalidatePage(long va, int pcid) {
        tlb.invalidate(va, (registers.vm() << 12) | pcid);
    }

    /** Drops every TLB entry (and the walk cache). */
    public void flushTlb() {
        tlb.flush();
        pwc.flush();
    }

    /** INVEPT: drops every translation derived from the nested dimension (NTLB and TLB). */
    public void invalidateNested() {
        ntlb.flush();
        tlb.flush();
    }
}
