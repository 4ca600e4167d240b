package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;

/** The guest-physical map as a radix nested table in host memory (AMD NPT / Intel EPT), of 4 or 5 levels. */
final class RadixMap implements GuestPhysicalMap {
    private final RadixPageTable table;
    private final FrameAllocator frames;

    RadixMap(PhysicalMemory hostMemory, FrameAllocator frames, int levels) {
        this.frames = frames;
        this.table = new RadixPageTable(hostMemory, frames.allocate(PageSize.SIZE_4K), levels);
    }

    @Override
    public Mapping lookup(long gpa) {
        return table.lookup(gpa);
    }

    @Override
    public void map(long gpa, long spa, PageSize size, TableWriteObserver observer) {
        table.map(gpa & ~size.offsetMask(), spa, size, true, level -> frames.allocate(PageSize.SIZE_4K), observer);
    }

    @Override
    public Mapping unmap(long gpa, TableWriteObserver observer) {
        return table.unmap(gpa, observer);
    }

    @Override
    public long root() {
        return table.root();
    }
}
