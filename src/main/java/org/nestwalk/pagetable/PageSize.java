package org.nestwalk.pagetable;

/**
 * The x86-64 page sizes: a 4 KiB page is mapped by a level-1 entry, a 2 MiB page by a level-2 entry with the PS bit,
 * a 1 GiB page by a level-3 entry with the PS bit.
 */
public enum PageSize {
    SIZE_4K(12, 1, "4KiB"),
    SIZE_2M(21, 2, "2MiB"),
    SIZE_1G(30, 3, "1GiB");

    private final int shift;
    private final int leafLevel;
    private final String label;

    PageSize(int shift, int leafLevel, String label) {
        this.shift = shift;
        this.leafLevel = leafLevel;
        this.label = label;
    }

    /** log2 of the page's size in bytes. */
    public int shift() {
        return shift;
    }

    public long bytes() {
        return 1L << shift;
    }

    /** Mask of the offset bits inside the page. */
    public long offsetMask() {
        return (1L << shift) - 1;
    }

    /** The radix level whose entry maps a page of this size (1 for 4 KiB). */
    public int leafLevel() {
        return leafLevel;
    }

    /** The smaller of two page sizes: a TLB entry covers min(guest page, host page). */
    public static PageSize min(PageSize a, PageSize b) {
        return a.shift <= b.shift ? a : b;
    }

    /** Every page size, smallest first; values() would copy the array on each walk. */
    private static final PageSize[] ALL = values();

    /** The page size whose leaf is at the given radix level. */
    public static PageSize ofLeafLevel(int level) {
        for (PageSize s : ALL) {
            if (s.leafLevel == level) {
                return s;
            }
        }
        throw new IllegalArgumentException("no page size has its leaf at level " + level);
    }

    /** The page size of the given number of bytes. */
    public static PageSize ofBytes(long bytes) {
        for (PageSize s : values()) {
            if (s.bytes() == bytes) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a page size: " + bytes + " bytes");
    }

    @Override
    public String toString() {
        return label;
    }
}
