package org.nestwalk.cpu;

import org.nestwalk.tlb.DataTlb;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.TranslationMode;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;

/**
 * Translation during functional warming: what a TLB miss does to the machine's state, without its time. The TLBs are
 * looked up and filled as in a detailed run; a miss is walked by the mode itself, so the walk caches, the data
 * caches (the entries it reads), the ISPT and every table see exactly the references a timed walk would make; a fault
 * is handled by the guest (and the hypervisor) at once, and the reference walks again. No walker, no memory
 * controller, no event.
 */
final class FunctionalWalks {
    /** Returned by {@link #translate} when the fault's handler switched to another process: retry there later. */
    static final long SWITCHED = -1;

    private final DataTlb tlb;
    private final Registers registers;
    private final TranslationMode mode;
    private final Privileged privileged;
    private final Kernel kernel;
    private final WalkTrace trace = new WalkTrace();
    private long walks;

    FunctionalWalks(DataTlb tlb, Registers registers, TranslationMode mode, Privileged privileged, Kernel kernel) {
        this.tlb = tlb;
        this.registers = registers;
        this.mode = mode;
        this.privileged = privileged;
        this.kernel = kernel;
    }

    /**
     * The system-physical address of {@code va} for a load, a store ({@code write}) or an instruction fetch
     * ({@code fetch}), made by process {@code context}; {@link #SWITCHED} if a fault's handler left another
     * process running.
     */
    long translate(long va, boolean write, boolean fetch, ExecutionContext context) {
        long pa = fetch ? tlb.translateFetch(va, registers.space()) : tlb.translate(va, registers.space(), write);
        while (pa == DataTlb.MISS) {
            trace.reset(va, write);
            mode.walk(va, write, trace);
            walks++;
            if (trace.outcome() == WalkOutcome.TRANSLATED) {
                if (fetch) {
                    tlb.fillFetch(va, registers.space(), trace.pageBase(), trace.pageSize(), trace.writable());
                } else {
                    tlb.fill(va, registers.space(), trace.pageBase(), trace.pageSize(), trace.writable());
                }
                return trace.pageBase() | (va & trace.pageSize().offsetMask());
            }
            if (trace.outcome() == WalkOutcome.NESTED_FAULT) {
                privileged.nestedFault(trace.faultAddress(), 0);
            } else {
                privileged.pageFault(va, write, 0);
            }
            if (kernel.current() != context) {
                return SWITCHED;
            }
            pa = DataTlb.MISS;
        }
        return pa;
    }

    /** Walks made functionally so far. */
    long walks() {
        return walks;
    }
}
