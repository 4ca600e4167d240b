package org.nestwalk.walk;

import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.PageSize;

/**
 * Speculative inverted shadow paging (Ahn et al.'s second proposal). A TLB miss reads one line of the inverted
 * shadow page table (the probe). On a hit the vCPU may use that gVA to sPA translation at once, speculatively,
 * while the authoritative flat-nested 2D walk verifies it; on a miss the same walk gives the translation. When the
 * walk starts (with the probe, or after it) is the walker's business ({@code spec.verify}). The walk's result fills
 * the ISPT (by hardware, without a VM exit). Correctness never depends on the ISPT: a stale entry is found out by
 * the verification.
 */
final class SpecShadowMode implements TranslationMode {
    private final WalkHardware hw;
    private final Registers registers;
    private final InvertedShadowTable ispt;
    private final FlatNestedMode verifier;

    SpecShadowMode(ModeParts parts) {
        this.hw = parts.hardware();
        this.registers = parts.registers();
        this.ispt = parts.ispt();
        if (ispt == null) {
            throw new IllegalArgumentException("speculative shadow paging needs an inverted shadow page table");
        }
        this.verifier = new FlatNestedMode(parts);
    }

    @Override
    public String name() {
        return ModeKind.SPEC_SHADOW.label();
    }

    @Override
    public void walk(long va, boolean write, WalkTrace trace) {
        int vm = registers.vm();
        long space = registers.cr3();
        hw.readLine(trace, TableKind.ISPT, ispt.lineAddress(vm, space, va));
        long hit = ispt.lookup(vm, space, va);
        trace.probed(ispt.lastProbe());
        if (hit != InvertedShadowTable.MISS && (!write || InvertedShadowTable.writable(hit))) {
            trace.speculate(InvertedShadowTable.pageBase(hit), PageSize.SIZE_4K, InvertedShadowTable.writable(hit));
        }
        verifier.walk(va, write, trace);
        if (trace.outcome() == WalkOutcome.TRANSLATED) {
            long page = (trace.pageBase() | (va & trace.pageSize().offsetMask())) & ~0xFFFL;
            ispt.fill(vm, space, va, page, trace.writable());
        }
    }
}
