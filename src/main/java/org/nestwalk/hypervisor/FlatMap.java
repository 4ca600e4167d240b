package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.FlatNestedTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.TableWriteObserver;

/** The guest-physical map as a flat nested table: one entry per guest frame, contiguous in host memory. */
final class FlatMap implements GuestPhysicalMap {
    private final FlatNestedTable table;

    FlatMap(FlatNestedTable table) {
        this.table = table;
    }

    @Override
    public Mapping lookup(long gpa) {
        return table.lookup(gpa);
    }

    @Override
    public void map(long gpa, long spa, PageSize size, TableWriteObserver observer) {
        table.map(gpa, spa, size, true, observer);
    }

    @Override
    public Mapping unmap(long gpa, TableWriteObserver observer) {
        Mapping m = table.lookup(gpa);
        if (m != null) {
            table.unmap(gpa, m.size(), observer);
        }
        return m;
    }

    @Override
    public long root() {
        return table.base();
    }
}
