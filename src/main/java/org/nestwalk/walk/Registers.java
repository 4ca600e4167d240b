package org.nestwalk.walk;

/**
 * The architectural state of one vCPU that decides how it translates: the page-table root of the running process
 * (CR3, a guest-physical address under virtualization), the tag its TLB entries carry, and the VM's nested-table
 * root (nCR3 / EPTP, system-physical). Changed by the guest OS (context switches) and the hypervisor.
 */
public final class Registers {
    private long cr3;
    private int space;
    private int vm;
    private long nestedRoot;

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
