package org.nestwalk.guest;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.workload.Region;

/**
 * A process of the guest OS: its address-space id (PCID), its page table, and the regions of its virtual address
 * space that are mapped (its VMAs); a page fault outside them is a program error.
 */
public final class GuestProcess {
    private final int pcid;
    private final RadixPageTable table;
    private final List<Region> regions = new ArrayList<>();

    GuestProcess(int pcid, RadixPageTable table) {
        this.pcid = pcid;
        this.table = table;
    }

    public int pcid() {
        return pcid;
    }

    public RadixPageTable table() {
        return table;
    }

    /** Root of the page table: what the OS loads into CR3. */
    public long cr3() {
        return table.root();
    }

    public List<Region> regions() {
        return List.copyOf(regions);
    }

    void addRegion(Region r) {
        regions.add(r);
    }

    /** The region containing {@code va}, or null. */
    Region regionOf(long va) {
        for (Region r : regions) {
            if (r.contains(va)) {
                return r;
            }
        }
        return null;
    }
}
