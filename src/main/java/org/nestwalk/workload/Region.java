package org.nestwalk.workload;

/** A range of a process's virtual address space that its references fall in (a mapping the OS knows about). */
public record Region(long base, long length) {
    /** The top of user space: 2^47 bytes, with x86-64's 4-level paging. */
    public static final long USER_TOP = 1L << 47;

    public Region {
        if (base < 0 || length <= 0 || (base & 0xFFF) != 0 || (length & 0xFFF) != 0) {
            throw new IllegalArgumentException("a region must be page-aligned and non-empty");
        }
    }

    public boolean contains(long va) {
        return va >= base && va - base < length;
    }

    public long end() {
        return base + length;
    }
}
