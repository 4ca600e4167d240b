package org.nestwalk.guest;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;
import org.nestwalk.workload.Region;

/**
 * The operating system inside the VM (or on bare metal): it owns the guest-physical frames, builds each process's
 * page table in them, and pages on demand. The first touch of a page is a page fault: the handler allocates a frame
 * (and any missing table nodes), zeroes them, which touches them for the first time below the guest, and writes the
 * page-table entries, each a memory reference of the handler.
 */
public final class GuestOs {
    private final GuestConfig config;
    private final PhysicalMemory memory;
    private final FrameAllocator frames;
    private final PhysicalBacking backing;
    private int nextPcid = 1;
    private long pageFaults;
    private long tableWrites;

    // Per-fault context for the table callbacks below, so that a fault allocates nothing beyond what it maps.
    private HandlerWork work;
    private final RadixPageTable.NodeSource nodes = level -> newTableNode();
    private final TableWriteObserver writes = new TableWriteObserver() {
        @Override
        public void entryWritten(long entryAddress, int level, long oldValue, long newValue) {
            tableWrites++;
            work.reference(backing.systemAddress(entryAddress), true, HandlerWork.GUEST_OS);
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    /**
     * @param memory  the guest-physical memory its tables live in
     * @param frames  the allocator of guest-physical frames
     * @param backing what is underneath (hypervisor or bare metal)
     */
    public GuestOs(GuestConfig config, PhysicalMemory memory, FrameAllocator frames, PhysicalBacking backing) {
        this.config = config;
        this.memory = memory;
        this.frames = frames;
        this.backing = backing;
    }

    public GuestConfig config() {
        return config;
    }

    /** Creates a process whose address space holds {@code regions}; its root table node is set up at boot. */
    public GuestProcess createProcess(Iterable<Region> regions) {
        HandlerWork boot = new HandlerWork();
        this.work = boot;
        long root = newTableNode();
        GuestProcess p = new GuestProcess(nextPcid++, new RadixPageTable(memory, root));
        for (Region r : regions) {
            p.addRegion(r);
        }
        return p;
    }

    /**
     * Maps every page of {@code p}'s regions, as if the program had touched them before the simulated interval
     * began: the tables exist, nothing is timed or counted.
     */
    public void prefault(GuestProcess p) {
        for (Region r : p.regions()) {
            prefault(p, r);
        }
    }

    /** Maps every page of {@code r} (one of {@code p}'s regions) outside simulated time, like {@link #prefault}. */
    public void prefault(GuestProcess p, Region r) {
        HandlerWork scratch = new HandlerWork();
        long savedFaults = pageFaults;
        long savedWrites = tableWrites;
        for (long va = r.base(); va < r.end(); ) {
            scratch.reset();
            if (p.table().lookup(va) == null) {
                map(p, va, scratch);
            }
            var m = p.table().lookup(va);
            va = (va & ~m.size().offsetMask()) + m.size().bytes();
        }
        pageFaults = savedFaults;
        tableWrites = savedWrites;
    }

    /**
     * The page-fault handler: {@code va} has no valid entry in {@code p}'s table. Describes the handler's work,
     * nested faults included, into {@code handlerWork}.
     */
    public void pageFault(GuestProcess p, long va, boolean write, HandlerWork handlerWork) {
        handlerWork.compute(config.pageFaultLatency(), HandlerWork.GUEST_OS);
        map(p, va, handlerWork);
        pageFaults++;
    }

    private void map(GuestProcess p, long va, HandlerWork handlerWork) {
        Region region = p.regionOf(va);
        if (region == null) {
            throw new IllegalStateException(String.format(
                    "segmentation fault: process %d touched 0x%x outside its mapped regions", p.pcid(), va));
        }
        PageSize size = config.pageSize();
        long pageVa = va & ~size.offsetMask();
        if (size != PageSize.SIZE_4K && (pageVa < region.base() || pageVa + size.bytes() > region.end())) {
            // A huge page must fit inside the mapping, as for Linux's transparent huge pages.
            size = PageSize.SIZE_4K;
            pageVa = va & ~size.offsetMask();
        }
        this.work = handlerWork;
        long frame = frames.allocate(size);
        backing.touch(frame, size, handlerWork);
        p.table().map(pageVa, frame, size, true, nodes, writes);
    }

    private long newTableNode() {
        long frame = frames.allocate(PageSize.SIZE_4K);
        backing.touch(frame, PageSize.SIZE_4K, work);
        return frame;
    }

    /** Page faults handled so far. */
    public long pageFaults() {
        return pageFaults;
    }

    /** Page-table entries written so far (each one a reference; under shadow paging, each one a trap). */
    public long tableWrites() {
        return tableWrites;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public FrameAllocator frames() {
        return frames;
    }
}
