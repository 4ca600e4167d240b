package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.pagetable.PageSize;

/**
 * What lies under the guest's physical memory: the hypervisor (guest-physical frames backed by host frames on first
 * touch) or, for a native OS, the bare machine (guest-physical is system-physical).
 */
public interface PhysicalBacking {
    /**
     * The guest touches the frame of {@code size} at {@code frame} (it zeroes a new page, or writes a new table
     * node). Whatever that costs below the guest (nested faults) is described into {@code work}.
     */
    void touch(long frame, PageSize size, HandlerWork work);

    /** The system-physical address of guest-physical {@code gpa}, which must be backed. */
    long systemAddress(long gpa);
}
