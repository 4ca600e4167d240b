package org.nestwalk.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.cpu.ExecutionContext;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Kernel;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.Platform;
import org.nestwalk.hypervisor.AgilePaging;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.tlb.CuckooWalkCache;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.tlb.PomTlb;
import org.nestwalk.tlb.PagingStructureCaches;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.ModeParts;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.TranslationMode;
import org.nestwalk.walk.WalkHardware;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.SyntheticWorkload;
import org.nestwalk.workload.TraceWorkload;
import org.nestwalk.workload.Workload;

/**
 * The simulated machine of one run, wired: one vCPU with its TLBs, walk caches, data caches and page walker, the
 * shared last-level cache and memory controller, the guest OS with its processes, and (when the mode runs a VM) the
 * hypervisor and the platform through which the guest's privileged operations reach it. Building it boots the guest
 * (and maps the initial footprint if the workload says so, outside simulated time); nothing runs until
 * {@link #start}.
 */
public final class Machine {
    private final RunSpec spec;
    private final Scheduler scheduler;
    private final Cache l1d;
    private final Cache l2;
    private final Cache llc;
    private final CacheHierarchy caches;
    private final PageWalkCache pwc;
    private final PagingStructureCaches virtualPsc;
    private final PagingStructureCaches nestedPsc;
    private final NestedTlb ntlb;
    private final CuckooWalkCache cwc;
    private final PomTlb pomTlb;
    private final DataTlb tlb;
    private final MemoryController memory;
    private final Registers registers = new Registers();
    private final Mmu mmu;
    private final PageWalker walker;
    private final GuestOs guest;
    private final Hypervisor hypervisor;
    private final Platform platform;
    private final VCpu vcpu;

    private Machine(RunSpec spec, Scheduler scheduler, Workload workload, List<Region> extraRegions,
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
        virtualPsc = new PagingStructureCaches(m.psc().entries(), m.psc().ways(), m.psc().latency());
        nestedPsc = new PagingStructureCaches(m.psc().entries(), m.psc().ways(), m.psc().latency());
        ntlb = new NestedTlb(m.ntlb());
        cwc = new CuckooWalkCache(m.cwc());
        tlb = new DataTlb(m.l1Tlb(), m.l2Tlb(), m.l1Itlb());
        memory = new MemoryController(m.dram(), scheduler);
        mmu = new Mmu(tlb, pwc, ntlb, registers, m.guest().pcid());
        registers.pagingLevels(m.guest().pagingLevels(), m.hypervisor().nestedLevels());

        long hostBytes = m.hypervisor().hostMemoryBytes();
        PhysicalMemory hostMemory = new PhysicalMemory("system-physical", hostBytes);
        FrameAllocator hostFrames = new FrameAllocator("system-physical", hostBytes, m.placement(),
                streams.stream("frames.host"));
        Virtualization v = Virtualization.of(spec.mode());
        // The part-of-memory TLB is reserved at boot, before anything else takes host memory.
        pomTlb = spec.mode() == ModeKind.POM_TLB ? new PomTlb(hostFrames.reserveContiguous(
                PomTlb.sizeBytes(m.pomEntries(), m.pomEntries2m())), m.pomEntries(), m.pomEntries2m()) : null;
        long guestBytes = m.guest().memoryBytes();
        hypervisor = v.hypervisor(m.hypervisor(), hostMemory, hostFrames, guestBytes);
        PhysicalMemory guestMemory;
        FrameAllocator guestFrames;
        if (hypervisor != null) {
            guestMemory = new PhysicalMemory("guest-physical", guestBytes);
            guestFrames = new FrameAllocator("guest-physical", guestBytes, m.placement(),
                    streams.stream("frames.guest"));
            if (virtualPsc.present() || pomTlb != null) {
                // INVEPT also drops the paging-structure caches' entries and the POM-TLB's translations derived
                // from the nested table.
                hypervisor.onNestedTableChange(() -> {
                    mmu.invalidateNested();
                    virtualPsc.flush();
                    nestedPsc.flush();
                    if (pomTlb != null) {
                        pomTlb.flush();
                    }
                });
            } else {
                hypervisor.onNestedTableChange(mmu::invalidateNested);
            }
        } else {
            guestMemory = hostMemory;
            guestFrames = hostFrames;
        }
        platform = v.platform(hypervisor, mmu, m.guest(), guestMemory);
        Platform maintained = platform;
        List<TranslationCacheMaintenance.Cache> maintainedCaches = new ArrayList<>();
        if (virtualPsc.present()) {
            maintainedCaches.add(pagingStructureMaintenance());
        }
        if (pomTlb != null) {
            maintainedCaches.add(pomTlbMaintenance(m.pomWarm()));
        }
        if (!maintainedCaches.isEmpty()) {
            maintained = new TranslationCacheMaintenance(platform, registers, m.guest().pcid(),
                    maintainedCaches.toArray(TranslationCacheMaintenance.Cache[]::new));
        }
        VCpu[] self = new VCpu[1];
        guest = new GuestOs(m.guest(), guestMemory, guestFrames, maintained, workload, scheduler,
                () -> self[0].raiseInterrupt());

        WalkHardware hardware = new WalkHardware(pwc, ntlb, caches, m.walkers().flatEntriesInPwc(), virtualPsc,
                nestedPsc, cwc);
        InvertedShadowTable ispt = hypervisor == null ? null : hypervisor.ispt();
        CuckooNestedTable cuckoo = hypervisor == null ? null : hypervisor.cuckoo();
        LongUnaryOperator guestTableOf = platform instanceof AgilePaging agile ? agile::guestTableOf : null;
        TranslationMode mode = spec.mode().create(new ModeParts(hardware, registers, guestMemory, hostMemory, ispt,
                cuckoo, pomTlb, guestTableOf));
        walker = new PageWalker(mode, hardware, scheduler, memory, m.walkers());
        vcpu = new VCpu(scheduler, m.core(), mmu, tlb, caches, memory, walker, new Routing(), spec.references(),
                spec.warmupReferences(), observer);
        self[0] = vcpu;

        guest.boot(extraRegions);
        for (GuestProcess p : guest.processes()) {
            if (spec.workload().prefault()) {
                guest.prefault(p);
            } else {
                for (Region r : p.context().stream().present()) {
                    guest.prefault(p, r);
                }
            }
        }
    }

    /**
     * Builds the machine for {@code spec} running its workload: the synthetic generator, or the trace that
     * {@code workload.trace} names.
     *
     * @param extraRegions regions the first processes map beyond their workload's (e.g. the page {@code explain}
     *                     walks)
     * @param observer     told when the vCPU passes warm-up and when it is done
     */
    public static Machine build(RunSpec spec, Scheduler scheduler, List<Region> extraRegions,
                                VCpu.Observer observer) {
        String trace = spec.settings().choice("workload.trace");
        Workload workload = trace.equals("none")
                ? new SyntheticWorkload(spec.workload(), new RandomStreams(spec.seed(), spec.replication()))
                : TraceWorkload.open(Path.of(trace), spec.settings().size("memory.guest"),
                        spec.machine().l1Itlb() != null);
        return build(spec, scheduler, workload, extraRegions, observer);
    }

    /** Builds the machine for {@code spec} running {@code workload}. */
    public static Machine build(RunSpec spec, Scheduler scheduler, Workload workload, List<Region> extraRegions,
                                VCpu.Observer observer) {
        return new Machine(spec, scheduler, workload, extraRegions, observer);
    }

    /**
     * What the guest's TLB maintenance does to the paging-structure caches (Intel SDM vol. 3, 4.10.4.1): INVLPG drops
     * every entry of the current PCID, a full flush and a CR3 load without PCIDs drop them all; the nested
     * dimension's caches follow INVEPT only.
     */
    private TranslationCacheMaintenance.Cache pagingStructureMaintenance() {
        return new TranslationCacheMaintenance.Cache() {
            @Override
            public void pageInvalidated(long va, int space) {
                virtualPsc.invalidateContext(space);
            }

            @Override
            public void flushed(int space) {
                virtualPsc.flush();
            }

            @Override
            public void addressSpaceLoaded(int space, boolean tagged) {
                if (!tagged) {
                    virtualPsc.flush();
                }
            }
        };
    }

    /**
     * What the guest's TLB maintenance does to the part-of-memory TLB, as to the TLB (see {@link Mmu}): INVLPG drops
     * the translation, a full flush and a CR3 load without PCIDs drop every one. Like the ISPT, it holds the
     * translations of the pages already present when the run starts ({@code warm}): in the steady state they have
     * been walked, and it is large enough to keep them.
     */
    private TranslationCacheMaintenance.Cache pomTlbMaintenance(boolean warm) {
        return new TranslationCacheMaintenance.Cache() {
            @Override
            public void pagePresent(long va, int space, Mapping guestMapping) {
                if (!warm) {
                    return;
                }
                long gpa = guestMapping.translate(va);
                Mapping host = hypervisor.hostMapping(gpa);
                PageSize size = PageSize.min(guestMapping.size(), host.size());
                long base = host.translate(gpa) & ~size.offsetMask();
                pomTlb.fill(va, space, base, size, guestMapping.writable() && host.writable());
            }

            @Override
            public void pageInvalidated(long va, int space) {
                pomTlb.invalidate(va, space);
            }

            @Override
            public void flushed(int space) {
                pomTlb.flush();
            }

            @Override
            public void addressSpaceLoaded(int space, boolean tagged) {
                if (!tagged) {
                    pomTlb.flush();
                }
            }
        };
    }

    /** Starts the guest's timer and schedules the vCPU's first event, at time 0. */
    public void start() {
        guest.startTimer();
        vcpu.startAt(0);
    }

    /**
     * Reports what the vCPU, the page walker and the memory controller do to {@code t} from now on (the default,
     * {@link Timeline#NONE}, records nothing).
     */
    public void recordTimeline(Timeline t) {
        vcpu.recordTo(t);
        walker.recordTo(t);
        memory.recordTo(t);
    }

    /** Every counter right now, stamped with the vCPU's time {@code time}. */
    public Snapshot snapshot(long time) {
        InvertedShadowTable ispt = hypervisor == null ? null : hypervisor.ispt();
        long walkCacheProbes = pwc.probes() + virtualPsc.probes() + nestedPsc.probes();
        long walkCacheHits = pwc.hits() + virtualPsc.hits() + nestedPsc.hits();
        return new Snapshot(time, vcpu.stats(), walker.stats(), guest.stats(), walkCacheProbes, walkCacheHits,
                ntlb.probes(), ntlb.hits(), ispt == null ? 0 : ispt.probes(), ispt == null ? 0 : ispt.hits(),
                memory.stats(time), new long[] {l1d.hits(), l2.hits(), llc.hits()},
                new long[] {l1d.misses(), l2.misses(), llc.misses()}, schemeCounters());
    }

    private SchemeCounters schemeCounters() {
        AgilePaging agile = platform instanceof AgilePaging a ? a : null;
        return new SchemeCounters(cwc.probes(), cwc.hits(), pomTlb == null ? 0 : pomTlb.probes(),
                pomTlb == null ? 0 : pomTlb.hits(), agile == null ? 0 : agile.toNested(),
                agile == null ? 0 : agile.toShadow(), agile != null);
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

    /** The process running now (the first one, right after building). */
    public GuestProcess process() {
        return guest.running();
    }

    /** The hypervisor, or null when the mode runs no VM. */
    public Hypervisor hypervisor() {
        return hypervisor;
    }

    public Platform platform() {
        return platform;
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

    /** The system-physical address software finds for {@code va} of the running process, or -1 if unmapped. */
    public long softwareTranslation(long va) {
        var m = guest.running().table().lookup(va);
        if (m == null) {
            return -1;
        }
        long gpa = m.translate(va);
        return hypervisor == null ? gpa : hypervisor.systemAddress(gpa);
    }

    /** Routes the vCPU's entries into privileged software: faults to the platform, the rest to the guest OS. */
    private final class Routing implements Kernel {
        @Override
        public void pageFault(long va, boolean write, HandlerWork work) {
            platform.pageFault(guest, va, write, work);
        }

        @Override
        public void nestedFault(long gpa, HandlerWork work) {
            platform.nestedFault(gpa, work);
        }

        @Override
        public void systemCall(OsEvent event, HandlerWork work) {
            guest.systemCall(event, work);
        }

        @Override
        public void timerInterrupt(HandlerWork work) {
            guest.timerInterrupt(work);
        }

        @Override
        public ExecutionContext current() {
            return guest.current();
        }
    }
}
