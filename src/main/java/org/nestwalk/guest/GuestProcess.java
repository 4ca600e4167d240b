package org.nestwalk.guest;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.cpu.ExecutionContext;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.workload.ReferenceStream;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.Workload;

/**
 * A process of the guest OS: its address-space id (PCID), its page table, the regions of its virtual address space
 * that are mapped (its VMAs; a fault outside them is a program error), its place in the process tree and its
 * execution context (where it is in its stream of references). It runs on one vCPU, its {@link #cpu()}, and its
 * children are made by its {@link Workload}.
 *
 * <p>A thread is a process that shares its leader's address space: the PCID, the page table and the regions are
 * the leader's, the execution context and the vCPU its own. Changing the address space on one thread's vCPU leaves
 * the others' TLBs stale, which is what a TLB shootdown is for.
 *
 * <p>A thread group may keep the regions it started with for its whole life ({@link #keepStartRegions}): an munmap
 * then clears their pages (and shoots their translations down) but leaves the ranges mapped, so that a later touch
 * faults a fresh page in. That is for threads replayed each in its own order (a trace's, one per vCPU), where the
 * simulator's interleaving is not the program's: in the capture another thread touched the range before the munmap
 * (or after a new mmap), as the program's own synchronization ordered them.
 */
public final class GuestProcess {
    private final int pcid;
    private RadixPageTable table;
    private final GuestProcess parent;
    private final ExecutionContext context;
    private final List<Region> regions;
    /** The regions an munmap does not take away (none, unless {@link #keepStartRegions}). */
    private List<Region> kept = List.of();
    /** The process whose address space this one shares (itself, unless a thread). */
    private final GuestProcess leader;
    private final int cpu;
    final Workload workload;
    int liveChildren;
    int exitedChildren;
    boolean waiting;
    boolean exited;

    GuestProcess(int pcid, RadixPageTable table, GuestProcess parent, ReferenceStream stream, int cpu,
                 Workload workload) {
        this.pcid = pcid;
        this.cpu = cpu;
        this.workload = workload;
        this.table = table;
        this.parent = parent;
        this.context = new ExecutionContext(stream);
        this.leader = this;
        this.regions = new ArrayList<>();
    }

    /** A thread of {@code leader}'s program, on vCPU {@code cpu}. */
    GuestProcess(GuestProcess leader, ReferenceStream stream, int cpu) {
        this.pcid = leader.pcid;
        this.cpu = cpu;
        this.workload = leader.workload;
        this.table = null;
        this.parent = leader.parent;
        this.context = new ExecutionContext(stream);
        this.leader = leader;
        // The very list: a region mapped by one thread is the others' too.
        this.regions = leader.regions;
    }

    /** The process that owns the address space: this one, or the leader of its thread group. */
    public GuestProcess addressSpace() {
        return leader;
    }

    /** Whether it is a thread sharing another process's address space. */
    public boolean isThread() {
        return leader != this;
    }

    public int pcid() {
        return pcid;
    }

    public RadixPageTable table() {
        return leader == this ? table : leader.table;
    }

    /** Root of the page table: what the OS loads into CR3 (a guest-physical address in a VM). */
    public long cr3() {
        return table().root();
    }

    /** The vCPU the process runs on (its run queue's). */
    public int cpu() {
        return cpu;
    }

    public GuestProcess parent() {
        return parent;
    }

    public ExecutionContext context() {
        return context;
    }

    public List<Region> regions() {
        return List.copyOf(regions);
    }

    /** After an execve: the new program's page table, and no regions yet. */
    void replaceAddressSpace(RadixPageTable newTable) {
        if (isThread()) {
            throw new IllegalStateException("a thread cannot exec");
        }
        table = newTable;
        regions.clear();
    }

    void addRegion(Region r) {
        regions.add(r);
    }

    void removeRegion(long base, long length) {
        List<Region> keep = leader.kept;
        regions.removeIf(r -> r.base() >= base && r.end() <= base + length && !keep.contains(r));
    }

    /** From now on an munmap leaves the regions the address space has now (see the class comment). */
    void keepStartRegions() {
        leader.kept = List.copyOf(regions);
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

    @Override
    public String toString() {
        return "process " + pcid + " (" + context.stream().name() + ")";
    }
}
