package org.nestwalk.hypervisor;

import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.Mapping;

/**
 * The shadow leaf a hypervisor derives from one guest leaf: the guest's translation of {@code va} composed with its
 * own of the guest-physical page, at the largest size both (and the hypervisor's page size) allow. Shadow paging and
 * agile paging's shadowed levels fill their shadow tables with it.
 *
 * @param va       the virtual address of the leaf, aligned to its size
 * @param spa      the system-physical frame it maps, aligned to its size
 * @param size     its page size
 * @param writable writable only once the guest's entry is writable and dirty, so that the first write reaches the
 *                 hypervisor, which sets the guest's dirty bit
 */
record ShadowLeaf(long va, long spa, PageSize size, boolean writable) {

    /** The shadow leaf for {@code va}, whose guest leaf is {@code guestEntry} of size {@code guestSize}. */
    static ShadowLeaf of(Hypervisor hypervisor, long va, long guestEntry, PageSize guestSize) {
        PageSize size = PageSize.min(guestSize, hypervisor.config().pageSize());
        long guestPage = Pte.address(guestEntry) & ~guestSize.offsetMask();
        long gpa = (guestPage | (va & guestSize.offsetMask())) & ~size.offsetMask();
        Mapping host = hypervisor.hostMapping(gpa);
        if (host == null || PageSize.min(size, host.size()) != size) {
            size = PageSize.SIZE_4K;
            gpa = (guestPage | (va & guestSize.offsetMask())) & ~size.offsetMask();
        }
        long spa = hypervisor.systemAddress(gpa) & ~size.offsetMask();
        boolean writable = Pte.writable(guestEntry) && (guestEntry & Pte.DIRTY) != 0;
        return new ShadowLeaf(va & ~size.offsetMask(), spa, size, writable);
    }
}
