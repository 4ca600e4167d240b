package org.nestwalk.hypervisor;

import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.guest.PhysicalBacking;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;

/**
 * The Xen-like hypervisor, as far as nested paging needs it: it owns host memory and the VM's nested page table,
 * and backs a guest-physical frame with a host frame the first time the guest touches it. Each backing is a nested
 * page fault: a VM exit, the handler's work, and the nested-table entries it writes (memory references of the
 * handler, charged to the exit).
 */
public final class Hypervisor implements PhysicalBacking {
    private final HypervisorConfig config;
    private final PhysicalMemory hostMemory;
    private final FrameAllocator hostFrames;
    private final long guestMemoryBytes;
    private final RadixPageTable nested;
    private long nestedFaults;
    private Runnable invalidateTranslations = () -> { };

    private HandlerWork work;
    private final RadixPageTable.NodeSource nodes = level -> newNode();
    private final TableWriteObserver writes = new TableWriteObserver() {
        @Override
        public void entryWritten(long entryAddress, int level, long oldValue, long newValue) {
            work.reference(entryAddress, true, HandlerWork.account(ExitCause.NESTED_FAULT));
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    public Hypervisor(HypervisorConfig config, PhysicalMemory hostMemory, FrameAllocator hostFrames,
                      long guestMemoryBytes) {
        this.config = config;
        this.hostMemory = hostMemory;
        this.hostFrames = hostFrames;
        this.guestMemoryBytes = guestMemoryBytes;
        this.nested = new RadixPageTable(hostMemory, hostFrames.allocate(PageSize.SIZE_4K));
    }

    public HypervisorConfig config() {
        return config;
    }

    /** Root of the VM's nested page table (what nCR3 / EPTP holds). */
    public long nestedRoot() {
        return nested.root();
    }

    public RadixPageTable nestedTable() {
        return nested;
    }

    @Override
    public void touch(long frame, PageSize size, HandlerWork handlerWork) {
        long piece = config.pageSize().bytes();
        long start = frame & ~(piece - 1);
        for (long gpa = start; gpa < frame + size.bytes(); gpa += piece) {
            if (nested.lookup(gpa) == null) {
                back(gpa, handlerWork);
            }
        }
    }

    /** A walk met a nested entry that is not present for {@code gpa}: back it. */
    public void nestedFault(long gpa, HandlerWork handlerWork) {
        if (nested.lookup(gpa) != null) {
            throw new IllegalStateException(String.format("nested fault on 0x%x, which is backed", gpa));
        }
        back(gpa, handlerWork);
    }

    /**
     * What the hypervisor runs after changing a nested mapping, as it would execute INVEPT: the vCPUs' cached
     * translations derived from the nested table (NTLB, TLB) are dropped.
     */
    public void onNestedTableChange(Runnable invalidate) {
        this.invalidateTranslations = invalidate;
    }

    /**
     * Takes the host frame away from guest-physical {@code gpa} (reclaim) and invalidates the translations cached
     * from it; the next touch faults again.
     */
    public void reclaim(long gpa) {
        Mapping m = nested.unmap(gpa, TableWriteObserver.NONE);
        if (m != null) {
            hostFrames.free(m.pageBase(), m.size());
            invalidateTranslations.run();
        }
    }

    @Override
    public long systemAddress(long gpa) {
        Mapping m = nested.lookup(gpa);
        if (m == null) {
            throw new IllegalStateException(String.format("guest-physical 0x%x is not backed", gpa));
        }
        return m.translate(gpa);
    }

    /** Whether {@code gpa} has a host frame. */
    public boolean isBacked(long gpa) {
        return nested.lookup(gpa) != null;
    }

    /** Nested faults handled so far. */
    public long nestedFaults() {
        return nestedFaults;
    }

    private void back(long gpa, HandlerWork handlerWork) {
        if (gpa < 0 || gpa >= guestMemoryBytes) {
            throw new IllegalStateException(String.format(
                    "guest-physical 0x%x is outside the VM's %d MiB", gpa, guestMemoryBytes >>> 20));
        }
        this.work = handlerWork;
        handlerWork.exit(ExitCause.NESTED_FAULT, config.vmExitLatency(), config.nestedFaultLatency());
        PageSize size = config.pageSize();
        long frame = hostFrames.allocate(size);
        nested.map(gpa & ~size.offsetMask(), frame, size, true, nodes, writes);
        nestedFaults++;
    }

    private long newNode() {
        return hostFrames.allocate(PageSize.SIZE_4K);
    }

    public PhysicalMemory hostMemory() {
        return hostMemory;
    }
}
