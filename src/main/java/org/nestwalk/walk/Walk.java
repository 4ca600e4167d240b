package org.nestwalk.walk;

import java.util.List;
import org.nestwalk.pagetable.IsptProbe;
import org.nestwalk.pagetable.PageSize;

/**
 * One page walk as a value: the ordered steps a translation mode made for one virtual address, what served each,
 * how it ended and when. Produced from the {@link WalkTrace} the simulator itself fills, so {@code explain} and the
 * tests see exactly the walk the simulator timed.
 *
 * @param mode         the translation mode's name
 * @param va           the virtual address translated
 * @param write        whether the access was a store
 * @param outcome      how the walk ended
 * @param steps        the steps, in order
 * @param pageBase     system-physical base of the page found (when translated)
 * @param pageSize     size of the TLB entry produced: min(guest page, host page) (when translated)
 * @param writable     whether the translation allows stores
 * @param faultAddress the address whose entry was missing (a gVA for a page fault, a gPA for a nested fault)
 * @param startTime    cycle the walk started
 * @param endTime      cycle it ended
 * @param criticalEnd  cycle the requester could go on: when a speculative translation arrived, or the end
 * @param speculative  whether the requester used a speculative translation before the walk verified it
 * @param isptProbe    what the probe of the inverted shadow page table found ({@link IsptProbe#NONE}: no probe)
 */
public record Walk(String mode, long va, boolean write, WalkOutcome outcome, List<WalkStep> steps, long pageBase,
                   PageSize pageSize, boolean writable, long faultAddress, long startTime, long endTime,
                   long criticalEnd, boolean speculative, IsptProbe isptProbe) {

    public Walk {
        steps = List.copyOf(steps);
    }

    /** Memory references made (steps served by a cache level or DRAM). */
    public int references() {
        return (int) steps.stream().filter(s -> s.servedBy().isMemoryReference()).count();
    }

    /** Memory references the requester waited for (for a speculative walk, the probe's). */
    public int criticalReferences() {
        return (int) steps.stream().filter(s -> s.critical() && s.servedBy().isMemoryReference()).count();
    }

    /** Steps the requester waited for. */
    public int criticalSteps() {
        return (int) steps.stream().filter(WalkStep::critical).count();
    }

    /** Memory references made to one table. */
    public int references(TableKind table) {
        return (int) steps.stream().filter(s -> s.table() == table && s.servedBy().isMemoryReference()).count();
    }

    /** Steps answered by {@code by}. */
    public int servedBy(ServedBy by) {
        return (int) steps.stream().filter(s -> s.servedBy() == by).count();
    }

    public long latency() {
        return endTime - startTime;
    }

    /** Cycles the requester waited for the translation. */
    public long criticalLatency() {
        return criticalEnd - startTime;
    }

    /** The system-physical address {@code va} translates to. */
    public long physicalAddress() {
        return pageBase | (va & pageSize.offsetMask());
    }
}
