package org.nestwalk.pagetable;

/**
 * What a page table maps one address to, as software reads it.
 *
 * @param pageBase    physical address of the start of the page
 * @param size        page size
 * @param leafEntry   the leaf entry itself
 * @param leafAddress address of the leaf entry in the table's physical space
 */
public record Mapping(long pageBase, PageSize size, long leafEntry, long leafAddress) {
    /** The physical address {@code va} maps to. */
    public long translate(long va) {
        return pageBase | (va & size.offsetMask());
    }

    public boolean writable() {
        return Pte.writable(leafEntry);
    }
}
