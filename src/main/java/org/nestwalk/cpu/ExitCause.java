package org.nestwalk.cpu;

/**
 * Why a vCPU left the guest for the hypervisor (the exit reasons of VMX / SVM that matter for memory
 * virtualization).
 */
public enum ExitCause {
    /** A guest-physical page with no nested mapping was touched (#VMEXIT NPF / EPT violation). */
    NESTED_FAULT("nested-fault"),
    /** The guest stored to one of its write-protected page-table pages (shadow paging). */
    PT_WRITE("pt-write"),
    /** The guest loaded CR3 (a context switch; shadow paging). */
    CR3_WRITE("cr3-write"),
    /** The guest executed INVLPG (shadow paging). */
    INVLPG("invlpg"),
    /** A shadow entry was missing although the guest's entry was valid (shadow paging). */
    HIDDEN_FAULT("hidden-fault"),
    /** A guest page fault the hypervisor intercepted and reflected into the guest (shadow paging). */
    GUEST_FAULT_INJECTION("guest-fault-injection"),
    /**
     * An inter-processor interrupt arrived for a vCPU in guest mode without posted interrupts: the hypervisor takes
     * it and injects it into the guest.
     */
    IPI("ipi");

    private final String label;

    ExitCause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
