package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.TrapHandler;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.guest.BareMetal;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.walk.ModeParts;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.TranslationMode;
import org.nestwalk.walk.WalkHardware;
import org.nestwalk.workload.ReferenceStream;
import org.nestwalk.workload.Region;

/**
 * The simulated machine of one run, wired: one vCPU with its TLBs, walk caches, data caches and page walker, the
 * shared last-level cache and memory controller, the guest OS with the running process, and (when the mode runs a
 * VM) the hypervisor. Building it boots the guest (and maps the footprint if the workload says so, outside
 * simulated time); nothing runs until {@link #start}.
 */
public final class Machine {
    private final RunSpec spec;
    private final Scheduler scheduler;
    private final Cache l1d;
    private final Cache l2;
    private final Cache llc;
    private final CacheHierarchy caches;
    private final PageWalkCache pwc;
    private final NestedTlb ntlb;
    private final DataTlb tlb;
    private final MemoryController memory;
    private final Registers registers = new Registers();
    private final PageWalker walker;
    private final GuestOs guest;
    private final Hypervisor hypervisor;
    private final GuestProcess process;
    private final VCpu vcpu;

    private Machine(RunSpec spec, Scheduler scheduler, ReferenceStream workload, List<Region> extraRegions,
                    VCpu.Observer observer) {
        this.spec = spec;
        this.scheduler = scheduler;
        MachineConfig m = spec.machine();
        RandomStreams streams = new RandomStreams(spec.seed(), spec.replication());

        l1d = new Cache(m.l1d());
        l2 = new Cache(m.l2());
        llc = new Cache(m.llc());
        caches = new CacheHierarchy(l1d, l2, llc);
        pwc = new PageWalkCache(m.pwc());
        ntlb = new NestedTlb(m.ntlb());
        tlb = new DataTlb(m.l1Tlb(), m.l2Tlb());
        memory = new MemoryController(m.dram(), scheduler);

        long hostBytes = m.hypervisor().hostMemoryBytes();
        PhysicalMemory hostMemory = new PhysicalMemory("system-physical", hostBytes);
        FrameAllocator hostFrames = new FrameAllocator("system-physical", hostBytes, m.placement(),
                streams.stream("frames.host"));
        PhysicalMemory guestMemory;
        if (spec.mode().virtualized()) {
            long guestBytes = m.guest().memoryBytes();
            guestMemory = new PhysicalMemory("guest-physical", guestBytes);
            hypervisor = new Hypervisor(m.hypervisor(), hostMemory, hostFrames, guestBytes);
            guest = new GuestOs(m.guest(), guestMemory, new FrameAllocator("guest-physical", guestBytes,
                    m.placement(), streams.stream("frames.guest")), hypervisor);
        } else {
            guestMemory = hostMemory;
            hypervisor = null;
            guest = new GuestOs(m.guest(), hostMemory, hostFrames, new BareMetal());
        }

        List<Region> regions = new ArrayList<>(workload.regions());
        regions.addAll(extraRegions);
        process = guest.createProcess(regions);
        if (spec.workload().prefault()) {
            guest.prefault(process);
        }
        if (hypervisor != null) {
            hypervisor.onNestedTableChange(() -> {
                ntlb.flush();
                tlb.flush();
            });
            registers.load(1, process.pcid(), process.cr3(), hypervisor.nestedRoot());
        } else {
            registers.load(0, process.pcid(), process.cr3(), 0);
        }

        WalkHardware hardware = new WalkHardware(pwc, ntlb, caches);
        TranslationMode mode = spec.mode().create(new ModeParts(hardware, registers, guestMemory, hostMemory));
        walker = new PageWalker(mode, hardware, scheduler, memory);
        vcpu = new VCpu(scheduler, m.core(), tlb, caches, memory, walker, registers, new Traps(), workload,
                spec.references(), spec.warmupReferences(), observer);
    }

    /**
     * Builds the machine for {@code spec} running {@code workload}.
     *
     * @param extraRegions regions the process maps beyond the workload's (e.g. the page {@code explain} walks)
     * @param observer     told when the vCPU passes warm-up and when it is done
     */
    public static Machine build(RunSpec spec, Scheduler scheduler, ReferenceStream workload, List<Region> extraRegions,
                                VCpu.Observer observer) {
        return new Machine(spec, scheduler, workload, extraRegions, observer);
    }

    /** Schedules the vCPU's first event, at time 0. */
    public void start() {
        vcpu.startAt(0);
    }

    /** Every counter right now, stamped with the vCPU's time {@code time}. */
    public Snapshot snapshot(long time) {
        return new Snapshot(time, vcpu.stats(), walker.stats(), pwc.probes(), pwc.hits(), ntlb.probes(), ntlb.hits(),
                memory.stats(time), new long[] {l1d.hits(), l2.hits(), llc.hits()},
                new long[] {l1d.misses(), l2.misses(), llc.misses()});
    }

    public RunSpec spec() {
        return spec;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public VCpu vcpu() {
        return vcpu;
    }

    public PageWalker walker() {
        return walker;
    }

    public GuestOs guest() {
        return guest;
    }

    public GuestProcess process() {
        return process;
    }

    /** The hypervisor, or null when the mode runs no VM. */
    public Hypervisor hypervisor() {
        return hypervisor;
    }

    public CacheHierarchy caches() {
        return caches;
    }

    public DataTlb tlb() {
        return tlb;
    }

    public PageWalkCache pwc() {
        return pwc;
    }

    public NestedTlb ntlb() {
        return ntlb;
    }

    public MemoryController memory() {
        return memory;
    }

    public Registers registers() {
        return registers;
    }

    /** Routes the vCPU's traps: page faults to the guest OS, nested faults to the hypervisor. */
    private final class Traps implements TrapHandler {
        @Override
        public void pageFault(long va, boolean write, HandlerWork work) {
            guest.pageFault(process, va, write, work);
        }

        @Override
        public void nestedFault(long gpa, HandlerWork work) {
            if (hypervisor == null) {
                throw new IllegalStateException("a nested fault without a VM");
            }
            hypervisor.nestedFault(gpa, work);
        }
    }
}
