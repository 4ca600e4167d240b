package org.nestwalk.walk;

/** Which page table a walk step read. */
public enum TableKind {
    /** The page table of a process on bare metal (no VM). */
    NATIVE,
    /** The guest's page table (gVA to gPA), read at the system-physical address of its entry. */
    GUEST,
    /** The hypervisor's nested page table (gPA to sPA). */
    NESTED,
    /** The flat nested table: one entry per guest frame, directly indexed by gPA (gPA to sPA in one reference). */
    FLAT,
    /** A shadow page table the hypervisor maintains (gVA to sPA), walked like a native table. */
    SHADOW,
    /** The inverted shadow page table: a hashed table of gVA to sPA, one cache line per probe. */
    ISPT;

    /** Lower-case name used in output. */
    public String label() {
        return name().toLowerCase();
    }
}
