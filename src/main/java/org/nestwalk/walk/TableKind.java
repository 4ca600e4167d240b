package org.nestwalk.walk;

/** Which page table a walk step read. */
public enum TableKind {
    /** The page table of a process on bare metal (no VM). */
    NATIVE,
    /** The guest's page table (gVA to gPA), read at the system-physical address of its entry. */
    GUEST,
    /** The hypervisor's nested page table (gPA to sPA). */
    NESTED;

    /** Lower-case name used in output. */
    public String label() {
        return name().toLowerCase();
    }
}
