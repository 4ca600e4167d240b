package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * The guest-physical map as a cuckoo hash table in host memory: the hashed nested dimension. Every line the table
 * writes (the entry's, and those of clusters a displacement moved) is a write of the hypervisor's handler.
 */
final class CuckooMap implements GuestPhysicalMap {
    private final CuckooNestedTable table;

    CuckooMap(CuckooNestedTable table) {
        this.table = table;
    }

    @Override
    public Mapping lookup(long gpa) {
        return table.lookup(gpa);
    }

    @Override
    public void map(long gpa, long spa, PageSize size, TableWriteObserver observer) {
        if (size != table.pageSize()) {
            throw new IllegalArgumentException("the cuckoo table maps " + table.pageSize() + " pages, not " + size);
        }
        table.map(gpa, spa, true, line -> observer.entryWritten(gpa, line, 1, 0, 0));
    }

    @Override
    public Mapping unmap(long gpa, TableWriteObserver observer) {
        return table.unmap(gpa, line -> observer.entryWritten(gpa, line, 1, 0, 0));
    }

    @Override
    public long root() {
        return table.base();
    }

    CuckooNestedTable table() {
        return table;
    }
}
