package org.nestwalk.guest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.nestwalk.cpu.ExecutionContext;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Shootdowns;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.pagetable.TableWriteObserver;
import org.nestwalk.util.LongIntHashMap;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.ReferenceStream;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.Workload;

/**
 * The operating system inside the VM (or on bare metal). It owns the guest-physical frames and builds each process's
 * page table in them; it pages on demand (the first touch of a page is a page fault: a frame, and any missing table
 * nodes, are allocated and zeroed, which touches them below the guest, and the entries are written); it breaks
 * copy-on-write sharing after fork; it runs the programs' system calls (mmap, munmap, fork, spawn, wait, exit, a
 * thread's exit, and the remap of a live page); and it switches processes round-robin at every timer interrupt.
 * Every page-table write, CR3 load and TLB invalidation goes through the {@link Platform}, which is where a
 * hypervisor may have to see it.
 *
 * <p>With several vCPUs each has its own run queue: a process runs on the vCPU it was created on (its children
 * too), and processes never migrate, so that a vCPU's TLB never holds another vCPU's stale translations of a
 * process. The kernel runs on one vCPU at a time, the one that entered it ({@link #onCpu}).
 *
 * <p>Everything it does is described as {@link HandlerWork} and timed by the vCPU it runs on.
 */
public final class GuestOs {
    /** End of the user half of a 48-bit address space. */
    private static final int MAX_PCID = 4095;

    private final GuestConfig config;
    private final PhysicalMemory memory;
    private final FrameAllocator frames;
    private final Platform platform;
    /** What runs on each vCPU (one workload may serve several). */
    private final List<Workload> workloads;
    private final Scheduler scheduler;
    private final Runnable raiseInterrupt;
    private final IntConsumer selectCpu;
    /** Frames mapped by more than one page (copy-on-write after fork), by frame address: how many map them. */
    private final LongIntHashMap sharers = new LongIntHashMap(1024);
    private final List<ArrayDeque<GuestProcess>> runQueues = new ArrayList<>();
    private final List<GuestProcess> live = new ArrayList<>();
    private final Action tick = this::tick;
    private final GuestProcess[] running;
    /** The vCPU the kernel runs on now. */
    private int cpu;
    private int nextPcid = 1;
    /** The VM's inter-processor interrupts, or null with one vCPU. */
    private Shootdowns shootdowns;
    private IpiCosts ipiCosts;
    /** Per vCPU: what other vCPUs' shootdowns asked it to invalidate, done by its next IPI handler. */
    private final List<List<Invalidation>> pendingInvalidations = new ArrayList<>();

    // What the table callbacks below act for: the process whose table is written, and the work it is part of.
    private GuestProcess target;
    private HandlerWork work;
    private final RadixPageTable.NodeSource nodes = level -> newTableNode();
    private final TableWriteObserver writes = new TableWriteObserver() {
        @Override
        public void entryWritten(long va, long entryAddress, int level, long oldValue, long newValue) {
            tableWrites++;
            platform.tableWrite(target, va, entryAddress, level, oldValue, newValue, work);
        }

        @Override
        public void nodeAllocated(long nodeAddress, int level) {
        }
    };

    private long pageFaults;
    private long copyOnWriteFaults;
    private long zeroPageFaults;
    /** The frame of the shared zero page, or -1 before boot or without it. */
    private long zeroFrame = -1;
    private long tableWrites;
    private long contextSwitches;
    private long forks;
    private long spawns;
    private long exits;
    private long execs;
    private long unmappedPages;
    private long remaps;

    /**
     * A guest OS on one vCPU.
     *
     * @param memory         the guest-physical memory its tables live in
     * @param frames         the allocator of guest-physical frames
     * @param platform       what is underneath (hypervisor or bare metal)
     * @param workload       the programs that run
     * @param scheduler      for the timer
     * @param raiseInterrupt how the timer interrupts the vCPU
     */
    public GuestOs(GuestConfig config, PhysicalMemory memory, FrameAllocator frames, Platform platform,
                   Workload workload, Scheduler scheduler, Runnable raiseInterrupt) {
        this(config, memory, frames, platform, List.of(workload), scheduler, raiseInterrupt, c -> { });
    }

    /**
     * A guest OS on {@code workloads.size()} vCPUs.
     *
     * @param workloads      the programs that start on each vCPU
     * @param raiseInterrupt how the timer interrupts every vCPU (one timer interrupt each, at the same times)
     * @param selectCpu      told whenever the kernel goes on running on another vCPU, so that the platform's
     *                       privileged operations act on that vCPU's hardware
     */
    public GuestOs(GuestConfig config, PhysicalMemory memory, FrameAllocator frames, Platform platform,
                   List<Workload> workloads, Scheduler scheduler, Runnable raiseInterrupt, IntConsumer selectCpu) {
        this.config = config;
        this.memory = memory;
        this.frames = frames;
        this.platform = platform;
        this.workloads = List.copyOf(workloads);
        this.scheduler = scheduler;
        this.raiseInterrupt = raiseInterrupt;
        this.selectCpu = selectCpu;
        this.running = new GuestProcess[workloads.size()];
        for (int c = 0; c < workloads.size(); c++) {
            runQueues.add(new ArrayDeque<>());
        }
    }

    /** The kernel runs on vCPU {@code c} from now on (the vCPU that entered it). */
    public void onCpu(int c) {
        if (c != cpu) {
            cpu = c;
            selectCpu.accept(c);
        }
    }

    /** The vCPU the kernel runs on now. */
    public int cpu() {
        return cpu;
    }

    /** vCPUs the guest runs on. */
    public int cpus() {
        return running.length;
    }

    public GuestConfig config() {
        return config;
    }

    /**
     * Creates the workload's first processes and loads the first into CR3, outside simulated time.
     *
     * @param extraRegions regions every initial process maps besides its stream's (e.g. a page {@code explain} walks)
     */
    public void boot(List<Region> extraRegions) {
        HandlerWork boot = new HandlerWork();
        if (workloads.get(0).threaded()) {
            bootThreads(extraRegions, boot);
            return;
        }
        for (int c = 0; c < running.length; c++) {
            onCpu(c);
            for (ReferenceStream s : workloads.get(c).initial()) {
                List<Region> regions = new ArrayList<>(s.regions());
                regions.addAll(extraRegions);
                runQueues.get(c).add(create(s, null, regions, boot, workloads.get(c)));
            }
        }
        startFirstProcesses(boot);
    }

    /**
     * Boots a multi-threaded program: the first thread is the process, created on vCPU 0; thread i is queued on
     * vCPU i modulo the vCPUs, in the same address space.
     */
    private void bootThreads(List<Region> extraRegions, HandlerWork boot) {
        Workload w = workloads.get(0);
        List<ReferenceStream> threads = w.initial();
        onCpu(0);
        List<Region> regions = new ArrayList<>(threads.get(0).regions());
        regions.addAll(extraRegions);
        GuestProcess leader = create(threads.get(0), null, regions, boot, w);
        // The threads' records are ordered within each thread, not across them: the ranges the program starts
        // with stay its own, so that one thread's munmap does not make another's later touch a segmentation fault.
        leader.keepStartRegions();
        runQueues.get(0).add(leader);
        for (int t = 1; t < threads.size(); t++) {
            GuestProcess thread = new GuestProcess(leader, threads.get(t), t % running.length);
            live.add(thread);
            runQueues.get(thread.cpu()).add(thread);
        }
        startFirstProcesses(boot);
    }

    /** Each vCPU starts the first process of its run queue (none if the queue is empty), loading its CR3. */
    private void startFirstProcesses(HandlerWork boot) {
        for (int c = 0; c < running.length; c++) {
            onCpu(c);
            running[c] = runQueues.get(c).poll();
            if (running[c] != null) {
                platform.loadCr3(running[c], boot);
            }
        }
        onCpu(0);
    }

    /** Starts the timer that interrupts the vCPUs every quantum. */
    public void startTimer() {
        scheduler.schedule(scheduler.now() + config.quantum(), tick);
    }

    private void tick() {
        raiseInterrupt.run();
        scheduler.schedule(scheduler.now() + config.quantum(), tick);
    }

    /** The process running on the vCPU the kernel runs on, or null when none is left there. */
    public GuestProcess running() {
        return running[cpu];
    }

    /** The process running on vCPU {@code c}, or null. */
    public GuestProcess running(int c) {
        return running[c];
    }

    /** The execution context of the process running on the kernel's vCPU, or null. */
    public ExecutionContext current() {
        GuestProcess p = running[cpu];
        return p == null ? null : p.context();
    }

    /** Processes alive (running, runnable or waiting). */
    public List<GuestProcess> processes() {
        return List.copyOf(live);
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
        long[] saved = {pageFaults, tableWrites};
        platform.outsideSimulatedTime(true);
        for (long va = r.base(); va < r.end(); ) {
            scratch.reset();
            if (p.table().lookup(va) == null) {
                map(p, va, true, scratch);
            }
            Mapping m = p.table().lookup(va);
            long page = va & ~m.size().offsetMask();
            for (long piece = page; piece < page + m.size().bytes(); piece += PageSize.SIZE_4K.bytes()) {
                platform.pagePresent(p, piece, m);
            }
            va = page + m.size().bytes();
        }
        platform.outsideSimulatedTime(false);
        pageFaults = saved[0];
        tableWrites = saved[1];
    }

    /**
     * The page-fault handler: the running process touched {@code va} without a valid translation. A page never
     * touched gets a frame; a store to a page shared copy-on-write gets a private copy (or, when it is the last
     * sharer, write permission back).
     */
    public void pageFault(long va, boolean write, HandlerWork handlerWork) {
        GuestProcess p = running[cpu];
        handlerWork.compute(config.pageFaultLatency(), HandlerWork.GUEST_OS);
        pageFaults++;
        Mapping m = p.table().lookup(va);
        if (m == null) {
            map(p, va, write, handlerWork);
        } else if (write && !m.writable()) {
            breakCopyOnWrite(p, va, m, handlerWork);
        }
        // Otherwise the fault was spurious (a stale translation); the retried access succeeds.
    }

    /** The frame of the shared zero page (allocated at the first read fault that needs it), or -1. */
    public long zeroFrame() {
        return zeroFrame;
    }

    /** The running program asks for {@code event}. */
    public void systemCall(OsEvent event, HandlerWork handlerWork) {
        GuestProcess p = running[cpu];
        handlerWork.compute(config.syscallLatency(), HandlerWork.GUEST_OS);
        switch (event.kind()) {
            case MMAP -> p.addRegion(new Region(event.address(), event.length()));
            case MUNMAP -> unmap(p, event.address(), event.length(), handlerWork);
            case FORK -> fork(p, handlerWork);
            case SPAWN -> spawn(p, handlerWork);
            case WAIT -> waitForChild(p, handlerWork);
            case EXIT -> exit(p, handlerWork);
            case THREAD_EXIT -> threadExit(p, handlerWork);
            case EXEC -> exec(p, handlerWork);
            case REMAP -> remap(p, event.address(), handlerWork);
            case WRITE_PROTECT -> protect(p, event.address(), event.length(), false, handlerWork);
            case WRITE_ENABLE -> protect(p, event.address(), event.length(), true, handlerWork);
        }
    }

    /**
     * mprotect on the pages present in a range. Taking write permission away rewrites every writable entry and
     * invalidates its translations (a stale writable one would let a store through). Giving it back makes writable
     * only the pages the process owns alone: a copy-on-write or zero page stays read-only so that the first store
     * still gets its own copy; a stale read-only translation merely costs a spurious fault.
     */
    private void protect(GuestProcess p, long base, long length, boolean writable, HandlerWork handlerWork) {
        this.work = handlerWork;
        this.target = p;
        List<Long> changed = new ArrayList<>();
        p.table().forEachLeaf(base, base + length, (va, at, entry, size) -> {
            long frame = Pte.address(entry) & ~size.offsetMask();
            boolean own = frame != zeroFrame && sharers.get(frame, 1) <= 1;
            long next = writable ? (own ? entry | Pte.WRITABLE : entry) : entry & ~Pte.WRITABLE;
            if (next != entry) {
                writeLeaf(va, at, size, entry, next);
                changed.add(va);
            }
        });
        if (!writable) {
            invalidate(p, changed, handlerWork);
        }
    }

    /** Stores a new value in the leaf entry at {@code at} (mapping {@code va}) and tells the platform of the write. */
    private void writeLeaf(long va, long at, PageSize size, long old, long value) {
        memory.write(at, value);
        writes.entryWritten(va, at, size.leafLevel(), old, value);
    }

    /** Drops {@code p}'s translations of {@code pages}: one INVLPG each, or one full flush when they are many. */
    private void invalidate(GuestProcess p, List<Long> pages, HandlerWork handlerWork) {
        if (pages.size() > config.tlbFlushCeiling()) {
            flushTlb(p, handlerWork);
        } else {
            for (long va : pages) {
                invalidatePage(p, va, handlerWork);
            }
        }
    }

    /**
     * INVLPG of {@code va} on this vCPU, and, if other vCPUs run {@code p}'s address space, a shootdown of it there
     * (Linux's {@code flush_tlb_mm_range}): they are sent an IPI when this kernel entry's work is done.
     */
    private void invalidatePage(GuestProcess p, long va, HandlerWork handlerWork) {
        platform.invalidatePage(p, va, handlerWork);
        shootDown(p, va, false);
    }

    /** A full TLB flush for {@code p} on this vCPU, and on the other vCPUs that run its address space. */
    private void flushTlb(GuestProcess p, HandlerWork handlerWork) {
        platform.flushTlb(p, handlerWork);
        shootDown(p, 0, true);
    }

    private void shootDown(GuestProcess p, long va, boolean flush) {
        if (shootdowns == null) {
            return;
        }
        long targets = 0;
        GuestProcess space = p.addressSpace();
        for (GuestProcess q : live) {
            if (q.addressSpace() == space && q.cpu() != cpu) {
                targets |= 1L << q.cpu();
            }
        }
        if (targets == 0) {
            return;
        }
        for (long t = targets; t != 0; t &= t - 1) {
            pendingInvalidations.get(Long.numberOfTrailingZeros(t)).add(new Invalidation(p, va, flush));
        }
        shootdowns.request(cpu, targets);
    }

    /**
     * The IPI of another vCPU's shootdown, on this one: the VM exit if interrupts are not posted, the guest's
     * handler, and the invalidations asked of this vCPU (through the platform: under shadow paging each INVLPG
     * exits too, and resynchronizes what is out of sync).
     */
    public void interProcessorInterrupt(HandlerWork handlerWork) {
        if (ipiCosts.exits()) {
            handlerWork.exit(ExitCause.IPI, ipiCosts.vmExitLatency(), ipiCosts.hypervisorLatency());
        }
        handlerWork.compute(ipiCosts.handlerLatency(), HandlerWork.GUEST_OS);
        List<Invalidation> mine = pendingInvalidations.get(cpu);
        boolean flushed = false;
        for (Invalidation i : mine) {
            if (i.flush() || mine.size() > config.tlbFlushCeiling()) {
                if (!flushed) {
                    platform.flushTlb(i.process(), handlerWork);
                    flushed = true;
                }
            } else {
                platform.invalidatePage(i.process(), i.va(), handlerWork);
            }
        }
        mine.clear();
    }

    /**
     * Lets the kernel shoot down other vCPUs' TLB entries through {@code s}, at the cost {@code costs}. Without
     * it (one vCPU), nothing is sent.
     */
    public void useShootdowns(Shootdowns s, IpiCosts costs) {
        this.shootdowns = s;
        this.ipiCosts = costs;
        for (int c = 0; c < running.length; c++) {
            pendingInvalidations.add(new ArrayList<>());
        }
    }

    /** What one vCPU must invalidate for another's shootdown: a page of {@code process}, or all (a flush). */
    private record Invalidation(GuestProcess process, long va, boolean flush) {
    }

    /** The timer interrupt: the running process goes to the back of the queue if another is runnable. */
    public void timerInterrupt(HandlerWork handlerWork) {
        ArrayDeque<GuestProcess> queue = runQueues.get(cpu);
        if (running[cpu] != null && !queue.isEmpty()) {
            queue.add(running[cpu]);
            switchTo(queue.poll(), handlerWork);
        }
    }

    private GuestProcess create(ReferenceStream stream, GuestProcess parent, List<Region> regions,
                                HandlerWork handlerWork, Workload workload) {
        this.work = handlerWork;
        int pcid = nextPcid;
        nextPcid = nextPcid == MAX_PCID ? 1 : nextPcid + 1;
        GuestProcess p = new GuestProcess(pcid, new RadixPageTable(memory, newTableNode(), config.pagingLevels()),
                parent, stream, cpu, workload);
        regions.forEach(p::addRegion);
        live.add(p);
        return p;
    }

    private void switchTo(GuestProcess next, HandlerWork handlerWork) {
        handlerWork.compute(config.contextSwitchLatency(), HandlerWork.GUEST_OS);
        running[cpu] = next;
        contextSwitches++;
        platform.loadCr3(next, handlerWork);
    }

    /** After the running process blocked or exited: the next runnable one, if any. */
    private void switchToNext(HandlerWork handlerWork) {
        GuestProcess next = runQueues.get(cpu).poll();
        if (next == null) {
            running[cpu] = null;
        } else {
            switchTo(next, handlerWork);
        }
    }

    /** Maps a fresh page at {@code va}; marked dirty at once when a store faulted it in, as Linux does. */
    private void map(GuestProcess p, long va, boolean write, HandlerWork handlerWork) {
        Region region = p.regionOf(va);
        if (region == null) {
            throw new IllegalStateException(String.format("segmentation fault: %s touched 0x%x outside its mapped"
                    + " regions", p, va));
        }
        PageSize size = config.pageSize();
        long pageVa = va & ~size.offsetMask();
        if (size != PageSize.SIZE_4K && (pageVa < region.base() || pageVa + size.bytes() > region.end())) {
            // A huge page must fit inside the mapping, as for Linux's transparent huge pages.
            size = PageSize.SIZE_4K;
            pageVa = va & ~size.offsetMask();
        }
        this.work = handlerWork;
        this.target = p;
        if (!write && size == PageSize.SIZE_4K && config.zeroPage()) {
            // A read of a page never written needs no page of its own yet: Linux maps its shared zero page. It is
            // allocated at its first use, so that runs which never need it place every other frame as before.
            if (zeroFrame < 0) {
                zeroFrame = frames.allocate(PageSize.SIZE_4K);
                platform.touchFrame(zeroFrame, PageSize.SIZE_4K, handlerWork);
            }
            p.table().map(pageVa, zeroFrame, size, false, false, nodes, writes);
            return;
        }
        long frame = frames.allocate(size);
        platform.touchFrame(frame, size, handlerWork);
        p.table().map(pageVa, frame, size, true, write, nodes, writes);
    }

    private void breakCopyOnWrite(GuestProcess p, long va, Mapping m, HandlerWork handlerWork) {
        copyOnWriteFaults += m.pageBase() == zeroFrame ? 0 : 1;
        this.work = handlerWork;
        this.target = p;
        long old = m.pageBase();
        long frame = old;
        if (old == zeroFrame) {
            // The first store to a page that was only read: a zeroed page of its own, nothing to copy.
            zeroPageFaults++;
            frame = frames.allocate(m.size());
            platform.touchFrame(frame, m.size(), handlerWork);
        } else if (sharers.get(old, 1) > 1) {
            frame = frames.allocate(m.size());
            platform.touchFrame(frame, m.size(), handlerWork);
            handlerWork.compute(config.copyPageLatency() * (m.size().bytes() >>> 12), HandlerWork.GUEST_OS);
            release(old, m.size());
        }
        p.table().rewrite(va, Pte.leaf(frame, m.size(), true) | Pte.ACCESSED | Pte.DIRTY, writes);
        if (frame != old) {
            invalidatePage(p, va, handlerWork);
        } else {
            // Write permission back on the same frame: another vCPU's read-only translation is merely stale in
            // permission and costs it a spurious fault, so only this vCPU's entry goes (no shootdown, as in Linux).
            platform.invalidatePage(p, va, handlerWork);
        }
    }

    private void unmap(GuestProcess p, long base, long length, HandlerWork handlerWork) {
        this.work = handlerWork;
        this.target = p;
        List<Long> pages = new ArrayList<>();
        p.table().forEachLeaf(base, base + length, (va, at, entry, size) -> {
            writeLeaf(va, at, size, entry, 0);
            release(Pte.address(entry) & ~size.offsetMask(), size);
            pages.add(va);
        });
        unmappedPages += pages.size();
        invalidate(p, pages, handlerWork);
        p.removeRegion(base, length);
    }

    private void fork(GuestProcess parent, HandlerWork handlerWork) {
        forks++;
        ReferenceStream stream = parent.workload.forked(parent.context().stream());
        // The child inherits its parent's regions; a stream may name more (a trace's pages only the child touches).
        List<Region> regions = new ArrayList<>(parent.regions());
        stream.regions().stream().filter(r -> !regions.contains(r)).forEach(regions::add);
        GuestProcess child = create(stream, parent, regions, handlerWork, parent.workload);
        parent.liveChildren++;
        this.work = handlerWork;
        // Both sides map every page read-only; the frame is shared until one of them stores to it.
        parent.table().forEachLeaf(0, RadixPageTable.userTop(parent.table().levels()), (va, at, entry, size) -> {
            long frame = Pte.address(entry) & ~size.offsetMask();
            if (Pte.writable(entry)) {
                long readOnly = entry & ~Pte.WRITABLE;
                target = parent;
                writeLeaf(va, at, size, entry, readOnly);
            }
            target = child;
            child.table().map(va, frame, size, false, (entry & Pte.DIRTY) != 0, nodes, writes);
            if (frame != zeroFrame) {
                sharers.put(frame, sharers.get(frame, 1) + 1);
            }
        });
        flushTlb(parent, handlerWork);
        runQueues.get(child.cpu()).add(child);
    }

    private void spawn(GuestProcess parent, HandlerWork handlerWork) {
        spawns++;
        ReferenceStream stream = parent.workload.spawned(parent.context().stream());
        GuestProcess child = create(stream, parent, new ArrayList<>(stream.regions()), handlerWork,
                parent.workload);
        parent.liveChildren++;
        runQueues.get(child.cpu()).add(child);
    }

    private void waitForChild(GuestProcess p, HandlerWork handlerWork) {
        if (p.exitedChildren > 0) {
            p.exitedChildren--;
        } else if (p.liveChildren > 0) {
            p.waiting = true;
            switchToNext(handlerWork);
        }
    }

    /** Clears and frees {@code p}'s page table and the frames only it maps; the platform forgets it. */
    private void tearDown(GuestProcess p, HandlerWork handlerWork) {
        this.work = handlerWork;
        this.target = p;
        p.table().forEachLeaf(0, RadixPageTable.userTop(p.table().levels()), (va, at, entry, size) -> {
            writeLeaf(va, at, size, entry, 0);
            release(Pte.address(entry) & ~size.offsetMask(), size);
        });
        p.table().forEachNode(node -> frames.free(node, PageSize.SIZE_4K));
        frames.free(p.cr3(), PageSize.SIZE_4K);
        platform.processExited(p, handlerWork);
    }

    /**
     * execve: the old program's address space goes as at exit, and the process goes on (same PCID, its TLB entries
     * flushed) in a new table holding the new program's regions, loaded into CR3.
     */
    private void exec(GuestProcess p, HandlerWork handlerWork) {
        execs++;
        tearDown(p, handlerWork);
        p.replaceAddressSpace(new RadixPageTable(memory, newTableNode(), config.pagingLevels()));
        p.context().stream().regions().forEach(p::addRegion);
        platform.flushTlb(p, handlerWork);
        platform.loadCr3(p, handlerWork);
    }

    private void exit(GuestProcess p, HandlerWork handlerWork) {
        exits++;
        tearDown(p, handlerWork);
        p.exited = true;
        live.remove(p);
        runQueues.get(p.cpu()).remove(p);
        GuestProcess parent = p.parent();
        if (parent != null && !parent.exited) {
            parent.liveChildren--;
            if (parent.waiting) {
                parent.waiting = false;
                runQueues.get(parent.cpu()).add(parent);
            } else {
                parent.exitedChildren++;
            }
        }
        if (running[cpu] == p) {
            switchToNext(handlerWork);
        }
    }

    /**
     * A thread of a multi-threaded program ends: it leaves its vCPU (the next runnable process there runs), and the
     * address space, shared with the other threads, is not torn down (see {@link OsEvent.Kind#THREAD_EXIT}).
     */
    private void threadExit(GuestProcess p, HandlerWork handlerWork) {
        p.exited = true;
        live.remove(p);
        runQueues.get(p.cpu()).remove(p);
        if (running[cpu] == p) {
            switchToNext(handlerWork);
        }
    }

    private void remap(GuestProcess p, long va, HandlerWork handlerWork) {
        Mapping m = p.table().lookup(va);
        if (m == null) {
            return;
        }
        remaps++;
        this.work = handlerWork;
        this.target = p;
        long frame = frames.allocate(m.size());
        platform.touchFrame(frame, m.size(), handlerWork);
        handlerWork.compute(config.copyPageLatency() * (m.size().bytes() >>> 12), HandlerWork.GUEST_OS);
        p.table().rewrite(va, Pte.leaf(frame, m.size(), m.writable()) | (m.leafEntry() & Pte.DIRTY), writes);
        release(m.pageBase(), m.size());
        invalidatePage(p, va, handlerWork);
    }

    /** One mapping of {@code frame} is gone: free it when it was the last. */
    private void release(long frame, PageSize size) {
        if (frame == zeroFrame) {
            return;
        }
        int n = sharers.get(frame, 1) - 1;
        if (n <= 0) {
            sharers.remove(frame);
            frames.free(frame, size);
        } else if (n == 1) {
            sharers.remove(frame);
        } else {
            sharers.put(frame, n);
        }
    }

    private long newTableNode() {
        long frame = frames.allocate(PageSize.SIZE_4K);
        platform.touchFrame(frame, PageSize.SIZE_4K, work);
        return frame;
    }

    /** Page faults the guest handled (demand paging and copy-on-write). */
    public long pageFaults() {
        return pageFaults;
    }

    /** Page-table entries the guest wrote (each one a reference; under shadow paging, a trap or a resync). */
    public long tableWrites() {
        return tableWrites;
    }

    /** The guest OS's own counters. */
    public GuestStats stats() {
        return new GuestStats(pageFaults, copyOnWriteFaults, zeroPageFaults, tableWrites, contextSwitches, forks,
                spawns, exits, execs, unmappedPages, remaps);
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public FrameAllocator frames() {
        return frames;
    }
}
