package org.nestwalk.walk;

/**
 * The architectural state of one vCPU that decides how it translates: the page-table root of the running process
 * (the guest's CR3, a guest-physical address under virtualization), the tag its TLB entries carry, the VM's
 * nested-dimension root (nCR3 / EPTP: the nested table's root, or the flat table's base, system-physical), and under
 * shadow paging the root of the shadow table the hardware really walks. Changed by the guest OS (context switches)
 * and the hypervisor. The depth of the tables (CR4.LA57 for the tables indexed by virtual address, the page-walk
 * length of the EPTP for the nested table) is fixed when the machine is built.
 */
public final class Registers {
    private long cr3;
    private int space;
    private int vm;
    private long nestedRoot;
    private long shadowRoot;
    private int pagingLevels = 4;
    private int nestedLevels = 4;

    /** Sets the depth of the tables indexed by virtual address and of the radix nested table (4 or 5 each). */
    public void pagingLevels(int virtualLevels, int nestedTableLevels) {
        if (virtualLevels < 4 || virtualLevels > 5 || nestedTableLevels < 4 || nestedTableLevels > 5) {
            throw new IllegalArgumentException("paging has 4 or 5 levels: " + virtualLevels + ", "
                    + nestedTableLevels);
        }
        this.pagingLevels = virtualLevels;
        this.nestedLevels = nestedTableLevels;
    }

    /** Levels of the guest's (or native, or shadow) tables: 4, or 5 with LA57. */
    public int pagingLevels() {
        return pagingLevels;
    }

    /** Levels of the radix nested table: 4, or 5. */
    public int nestedLevels() {
        return nestedLevels;
    }

    /** Root of the running process's page table, in the VM's physical space. */
    public long cr3() {
        return cr3;
    }

    /** TLB tag of the running address space: VM id in the high bits, process id in the low 12. */
    public int space() {
        return space;
    }

    public int vm() {
        return vm;
    }

    /** Root of the VM's nested page table, system-physical. */
    public long nestedRoot() {
        return nestedRoot;
    }

    /** Root of the shadow table the hardware walks under shadow paging (system-physical). */
    public long shadowRoot() {
        return shadowRoot;
    }

    public void shadowRoot(long root) {
        this.shadowRoot = root;
    }

    /** Process id part of the TLB tag. */
    public int pcid() {
        return space & 0xFFF;
    }

    /** Loads the registers for running process {@code pcid} of VM {@code vm}. */
    public void load(int vm, int pcid, long cr3, long nestedRoot) {
        if (vm < 0 || vm > 15 || pcid < 0 || pcid > 4095) {
            throw new IllegalArgumentException("vm must be 0..15 and pcid 0..4095: " + vm + ", " + pcid);
        }
        this.vm = vm;
        this.space = (vm << 12) | pcid;
        this.cr3 = cr3;
        this.nestedRoot = nestedRoot;
    }
}
