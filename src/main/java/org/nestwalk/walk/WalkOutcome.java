package org.nestwalk.walk;

/** How a walk ended. */
public enum WalkOutcome {
    /** A translation was found and goes into the TLB. */
    TRANSLATED,
    /**
     * An entry of the process's own page table was not present: a page fault handled by the (guest) OS without a
     * VM exit.
     */
    PAGE_FAULT,
    /** An entry of the nested page table was not present: a nested page fault, a VM exit to the hypervisor. */
    NESTED_FAULT
}
