package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.pagetable.PageSize;

/** No VM: the OS's physical addresses are the machine's, and touching a frame costs nothing below the OS. */
public final class BareMetal implements PhysicalBacking {
    @Override
    public void touch(long frame, PageSize size, HandlerWork work) {
    }

    @Override
    public long systemAddress(long gpa) {
        return gpa;
    }
}
