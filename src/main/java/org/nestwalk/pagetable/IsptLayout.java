package org.nestwalk.pagetable;

/**
 * How the inverted shadow page table lays its entries out in host memory (DESIGN.md section 2). Either way a lookup
 * reads one 64-byte line.
 */
public enum IsptLayout {
    /**
     * One 16-byte entry per page (tag and translation), placed by a hash of (VM, address space, page) into a line
     * of entries; neighbouring pages land in unrelated lines.
     */
    HASHED(16),
    /**
     * One line per block of consecutive guest pages, holding one 8-byte entry per page under one tag (VM, address
     * space, block), indexed by block number plus an offset per address space, as clustered page tables do
     * (Talluri, Hill and Khalidi, SOSP 1995): the pages of a region share lines.
     */
    CLUSTERED(8);

    private final int entryBytes;

    IsptLayout(int entryBytes) {
        this.entryBytes = entryBytes;
    }

    /** Bytes of one page's entry. */
    public int entryBytes() {
        return entryBytes;
    }

    /** Entries of this layout in a line of {@code lineBytes}. */
    public int entriesPerLine(int lineBytes) {
        return lineBytes / entryBytes;
    }
}
