package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * The hypervisor's authoritative map of guest-physical to system-physical memory, in the form the hardware walks in
 * the nested dimension: a radix nested table, or a flat nested table.
 */
interface GuestPhysicalMap {
    /** What {@code gpa} maps to, or null. */
    Mapping lookup(long gpa);

    /** Backs the guest page of {@code size} at {@code gpa} with the host frame at {@code spa}. */
    void map(long gpa, long spa, PageSize size, TableWriteObserver observer);

    /** Takes the mapping of {@code gpa} away; returns it, or null. */
    Mapping unmap(long gpa, TableWriteObserver observer);

    /** What the nested-dimension register (nCR3 / EPTP) holds: the radix root, or the flat table's base. */
    long root();
}
