package org.nestwalk.pagetable;

/**
 * The x86-64 page-table entry format (Intel SDM vol. 3, 4.5; the same layout serves nested tables here): bit 0
 * present, bit 1 writable, bit 2 user, bit 5 accessed, bit 6 dirty, bit 7 page size (a leaf above level 1), bits
 * 12..51 the physical address of the next table or of the page.
 */
public final class Pte {
    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long ACCESSED = 1L << 5;
    public static final long DIRTY = 1L << 6;
    public static final long PAGE_SIZE = 1L << 7;
    /**
     * Agile paging's switching bit (Gandhi et al., ISCA 2016), in a shadow entry: the entry holds the
     * system-physical address of the guest's next-level table, and the walk goes on there in nested mode. Taken
     * from the bits x86 leaves to software (bit 11; the position is assumed).
     */
    public static final long SWITCH = 1L << 11;
    public static final long ADDRESS_MASK = 0x000F_FFFF_FFFF_F000L;

    private Pte() {
    }

    public static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }

    public static boolean writable(long entry) {
        return (entry & WRITABLE) != 0;
    }

    /** Whether a present entry above level 1 maps a large page rather than pointing to a table. */
    public static boolean large(long entry) {
        return (entry & PAGE_SIZE) != 0;
    }

    /** The physical address the entry points to (next table, or page base). */
    public static long address(long entry) {
        return entry & ADDRESS_MASK;
    }

    /** Whether a shadow entry switches the walk to nested mode (agile paging). */
    public static boolean switches(long entry) {
        return (entry & SWITCH) != 0;
    }

    /** An entry pointing to the next-level table at {@code nodeAddress}. */
    public static long table(long nodeAddress) {
        return (nodeAddress & ADDRESS_MASK) | PRESENT | WRITABLE | USER;
    }

    /** A leaf entry mapping a page of {@code size} at {@code frameAddress}. */
    public static long leaf(long frameAddress, PageSize size, boolean writable) {
        long e = (frameAddress & ADDRESS_MASK) | PRESENT | USER | (writable ? WRITABLE : 0);
        return size == PageSize.SIZE_4K ? e : e | PAGE_SIZE;
    }
}
