package org.nestwalk.cpu;

import org.nestwalk.workload.OsEvent;

/**
 * The privileged software a vCPU enters: the guest OS, with the hypervisor beneath it intercepting what it must. Each
 * entry describes its work into a {@link HandlerWork}, which the vCPU then times on itself, as real handlers run on
 * the CPU they interrupted.
 */
public interface Kernel {
    /** A walk for {@code va} in the running process found no valid translation (#PF). */
    void pageFault(long va, boolean write, HandlerWork work);

    /** A walk found no nested entry for guest-physical {@code gpa} (#VMEXIT NPF / EPT violation). */
    void nestedFault(long gpa, HandlerWork work);

    /** The running program asks the OS for {@code event}. */
    void systemCall(OsEvent event, HandlerWork work);

    /** The timer interrupt: the scheduler's time slice is over. */
    void timerInterrupt(HandlerWork work);

    /**
     * An inter-processor interrupt: another vCPU's TLB shootdown asks this one to invalidate translations (a VM
     * does nothing with it unless its guest shares address spaces across vCPUs).
     */
    default void interProcessorInterrupt(HandlerWork work) {
    }

    /** What the vCPU runs now: the running process's context, or null when no process is left. */
    ExecutionContext current();
}
