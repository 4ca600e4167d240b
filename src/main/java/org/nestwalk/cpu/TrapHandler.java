package org.nestwalk.cpu;

/**
 * The software a vCPU traps into when translation fails: the guest OS for a page fault in the process's own table,
 * the hypervisor for a nested page fault. Each describes its work into a {@link HandlerWork}; the vCPU times it.
 */
public interface TrapHandler {
    /** The running process touched {@code va} and its page table has no valid entry for it (#PF). */
    void pageFault(long va, boolean write, HandlerWork work);

    /** A walk found no nested entry for guest-physical {@code gpa} (#VMEXIT NPF / EPT violation). */
    void nestedFault(long gpa, HandlerWork work);
}
