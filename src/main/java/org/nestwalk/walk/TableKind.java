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
    ISPT,
    /**
     * The nested dimension as a cuckoo hash table (gPA to sPA): each nested translation reads one line in each of its
     * d ways, all at once.
     */
    HASHED,
    /** The part-of-memory TLB: a large set-associative table of gVA to sPA translations in memory, one line a set. */
    POM_TLB;

    /** Lower-case name used in output ("pom-tlb"). */
    public String label() {
        return name().toLowerCase().replace('_', '-');
    }

    /** Whether the table translates guest-physical addresses (the nested dimension of a 2D walk). */
    public boolean nestedDimension() {
        return this == NESTED || this == FLAT || this == HASHED;
    }

    /** Whether the table is indexed by the virtual address's levels (a guest, native or shadow radix table). */
    public boolean virtualDimension() {
        return this == NATIVE || this == GUEST || this == SHADOW;
    }
}
