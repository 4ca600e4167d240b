package org.nestwalk.hypervisor;

/** How a shadow-paging hypervisor keeps its shadow tables in step with the guest's page tables. */
public enum ShadowSync {
    /** Every guest page-table page is write-protected: each guest page-table write is a VM exit, emulated. */
    TRAP,
    /**
     * Xen 3.3+ "out of sync": a guest level-1 table the guest writes to is unprotected after the first write and
     * resynchronised at the guest's next TLB flush (CR3 load, INVLPG); upper levels still trap.
     */
    OOS
}
