package org.nestwalk.pagetable;

/**
 * The flat nested page table (Ahn et al., ISCA 2012): one directly indexed array per VM, contiguous in host memory,
 * one 8-byte entry per guest frame, covering [0, VM memory). Its size is VM memory / 512 (8 MiB for a 4 GiB guest).
 * A nested translation is one reference: entry address = base + (gPA >> 12) x 8. A 2 MiB host mapping is 512
 * replicated entries carrying the page-size bit, so that the TLB can still hold 2 MiB entries. Entries use the
 * {@link Pte} format; holes in the guest-physical map are not-present entries.
 */
public final class FlatNestedTable {
    private final PhysicalMemory memory;
    private final long base;
    private final long guestBytes;

    /**
     * @param memory     host memory
     * @param base       system-physical address of the first entry (the start of a contiguous block of
     *                   {@link #sizeBytes(long)} bytes)
     * @param guestBytes the VM's memory
     */
    public FlatNestedTable(PhysicalMemory memory, long base, long guestBytes) {
        this.memory = memory;
        this.base = base;
        this.guestBytes = guestBytes;
    }

    /** Bytes of host memory the table of a VM with {@code guestBytes} of memory takes. */
    public static long sizeBytes(long guestBytes) {
        return (guestBytes >>> 12) << 3;
    }

    /** Address of the entry for {@code gpa} in the table at {@code base}. */
    public static long entryAddress(long base, long gpa) {
        return base + ((gpa >>> 12) << 3);
    }

    public long base() {
        return base;
    }

    /** Maps the guest page of {@code size} at {@code gpa} to the host frame at {@code spa}. */
    public void map(long gpa, long spa, PageSize size, boolean writable, TableWriteObserver observer) {
        check(gpa);
        long first = gpa & ~size.offsetMask();
        long pages = size.bytes() >>> 12;
        long entry = Pte.leaf(spa & ~size.offsetMask(), size == PageSize.SIZE_4K ? PageSize.SIZE_4K
                : PageSize.SIZE_2M, writable);
        for (long i = 0; i < pages; i++) {
            long at = entryAddress(base, first + (i << 12));
            long old = memory.read(at);
            memory.write(at, entry);
            observer.entryWritten(first + (i << 12), at, 1, old, entry);
        }
    }

    /** Makes the guest page of {@code size} at {@code gpa} not present. */
    public void unmap(long gpa, PageSize size, TableWriteObserver observer) {
        long first = gpa & ~size.offsetMask();
        for (long i = 0; i < size.bytes() >>> 12; i++) {
            long at = entryAddress(base, first + (i << 12));
            long old = memory.read(at);
            memory.write(at, 0);
            observer.entryWritten(first + (i << 12), at, 1, old, 0);
        }
    }

    /** What {@code gpa} maps to, or null. */
    public Mapping lookup(long gpa) {
        check(gpa);
        long at = entryAddress(base, gpa);
        long entry = memory.read(at);
        if (!Pte.present(entry)) {
            return null;
        }
        PageSize size = Pte.large(entry) ? PageSize.SIZE_2M : PageSize.SIZE_4K;
        return new Mapping(Pte.address(entry) & ~size.offsetMask(), size, entry, at);
    }

    private void check(long gpa) {
        if (gpa < 0 || gpa >= guestBytes) {
            throw new IllegalArgumentException(String.format("gPA 0x%x is outside the VM's memory", gpa));
        }
    }
}
