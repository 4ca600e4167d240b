package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.cpu.ExecutionContext;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.Kernel;
import org.nestwalk.cpu.Mmu;
import org.nestwalk.cpu.ShadowLock;
import org.nestwalk.cpu.Shootdowns;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.IpiCosts;
import org.nestwalk.guest.Platform;
import org.nestwalk.hypervisor.AgilePaging;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.pagetable.CuckooNestedTable;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.InvertedShadowTable;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.tlb.PomTlb;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.ModeParts;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.TranslationMode;
import org.nestwalk.walk.WalkHardware;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.Workload;

/**
 * One virtual machine, wired: its vCPUs with their private hardware ({@link Processor}), the guest OS with its
 * processes, and (when the mode runs a VM) its hypervisor state and the platform through which the guest's
 * privileged operations reach it. The vCPUs share the last-level cache and the memory controller it is given.
 * {@link #boot} boots the guest (and maps the initial footprint if the workload says so, outside simulated time).
 */
final class Vm {
    private final int index;
    private final Processor[] cpus;
    private final Mmu mmu;
    private final PomTlb pomTlb;
    private final Hypervisor hypervisor;
    private final Platform platform;
    private final GuestOs guest;
    /** The vCPUs' IPIs for TLB shootdowns, or null with one vCPU. */
    private final Shootdowns shootdowns;
    /** What serializes the hypervisor's shadow work of the vCPUs, or null (one vCPU, or none modelled). */
    private final ShadowLock shadowLock;

    /**
     * @param index     its place on the machine
     * @param number    the number that names its random streams (its index, unless run alone as another VM)
     * @param workloads what starts on each vCPU (one per vCPU)
     * @param observers told of each vCPU's milestones (one per vCPU)
     * @param peers     whether other vCPUs (of this VM or another) share the machine
     * @param firstCpu  the machine-wide index of its first vCPU (the vCPUs' ranks follow from it)
     */
    Vm(int index, int number, RunSpec spec, Scheduler scheduler, Cache llc, MemoryController memory, PhysicalMemory hostMemory,
       FrameAllocator hostFrames, RandomStreams streams, List<Workload> workloads, List<VCpu.Observer> observers,
       boolean peers, int firstCpu) {
        this.index = index;
        MachineConfig m = spec.machine();
        int n = workloads.size();
        cpus = new Processor[n];
        for (int c = 0; c < n; c++) {
            cpus[c] = new Processor(c, m, llc);
        }
        DataTlb[] tlbs = new DataTlb[n];
        PageWalkCache[] pwcs = new PageWalkCache[n];
        NestedTlb[] ntlbs = new NestedTlb[n];
        Registers[] registers = new Registers[n];
        for (int c = 0; c < n; c++) {
            tlbs[c] = cpus[c].tlb;
            pwcs[c] = cpus[c].pwc;
            ntlbs[c] = cpus[c].ntlb;
            registers[c] = cpus[c].registers;
        }
        mmu = new Mmu(tlbs, pwcs, ntlbs, registers, m.guest().pcid());
        boolean psc = cpus[0].virtualPsc.present();

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
                    streams.stream(number == 0 ? "frames.guest" : "vm" + number + ".frames.guest"));
            if (psc || pomTlb != null) {
                // INVEPT also drops the paging-structure caches' entries and the POM-TLB's translations derived
                // from the nested table.
                hypervisor.onNestedTableChange(() -> {
                    mmu.invalidateNested();
                    for (Processor p : cpus) {
                        p.virtualPsc.flush();
                        p.nestedPsc.flush();
                    }
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
        if (psc) {
            maintainedCaches.add(pagingStructureMaintenance());
        }
        if (pomTlb != null) {
            maintainedCaches.add(pomTlbMaintenance(m.pomWarm()));
        }
        if (!maintainedCaches.isEmpty()) {
            maintained = new TranslationCacheMaintenance(platform, mmu, m.guest().pcid(),
                    maintainedCaches.toArray(TranslationCacheMaintenance.Cache[]::new));
        }
        guest = new GuestOs(m.guest(), guestMemory, guestFrames, maintained, workloads, scheduler,
                this::timerInterrupt, mmu::runOn);

        InvertedShadowTable ispt = hypervisor == null ? null : hypervisor.ispt();
        CuckooNestedTable cuckoo = hypervisor == null ? null : hypervisor.cuckoo();
        LongUnaryOperator guestTableOf = platform instanceof AgilePaging agile ? agile::guestTableOf : null;
        shadowLock = n > 1 && hypervisor != null && spec.settings().flag("hypervisor.shadowLock")
                ? new ShadowLock(scheduler, n) : null;
        shootdowns = n > 1 ? new Shootdowns(scheduler, n, spec.settings().intValue("machine.ipiLatency")) : null;
        if (shootdowns != null && spec.settings().flag("guest.tlbShootdowns")) {
            guest.useShootdowns(shootdowns, new IpiCosts(
                    hypervisor != null && !spec.settings().flag("hypervisor.postedInterrupts"),
                    m.hypervisor().vmExitLatency(), spec.settings().intValue("hypervisor.ipiLatency"),
                    spec.settings().intValue("guest.shootdownLatency")));
        }
        for (Processor p : cpus) {
            WalkHardware hardware = new WalkHardware(p.pwc, p.ntlb, p.caches, m.walkers().flatEntriesInPwc(),
                    p.virtualPsc, p.nestedPsc, p.cwc);
            TranslationMode mode = spec.mode().create(new ModeParts(hardware, p.registers, guestMemory, hostMemory,
                    ispt, cuckoo, pomTlb, guestTableOf));
            PageWalker walker = new PageWalker(mode, hardware, scheduler, memory, m.walkers());
            VCpu vcpu = new VCpu(scheduler, m.core(), p.registers, p.tlb, p.caches, memory, walker,
                    new Routing(p.index), spec.references(), spec.warmupReferences(), observers.get(p.index),
                    peers ? firstCpu + p.index : -1);
            p.attach(walker, vcpu);
            if (peers && spec.settings().flag("machine.runOn")) {
                vcpu.runOn();
            }
            if (shootdowns != null) {
                vcpu.joinShootdowns(shootdowns, p.index);
            }
            if (shadowLock != null) {
                vcpu.useShadowLock(shadowLock, p.index);
            }
        }
    }

    /**
     * Boots the guest: its processes are created, and their footprints mapped if {@code prefault} (the VM's workload
     * says so; outside simulated time), or else the ranges a trace says were present. Every VM of the machine is
     * built before any boots, so that each hypervisor's contiguous tables (flat nested table, ISPT, POM-TLB) are
     * reserved before anything takes host frames.
     */
    void boot(List<Region> extraRegions, boolean prefault) {
        guest.boot(extraRegions);
        for (GuestProcess p : guest.processes()) {
            if (p.isThread()) {
                // Its leader's address space, mapped with the leader.
                continue;
            }
            if (prefault) {
                guest.prefault(p);
            } else {
                for (Region r : p.context().stream().present()) {
                    guest.prefault(p, r);
                }
            }
        }
    }

    private void timerInterrupt() {
        for (Processor p : cpus) {
            p.vcpu.raiseInterrupt();
        }
    }

    /**
     * What the guest's TLB maintenance does to the paging-structure caches of the vCPU it runs on (Intel SDM vol. 3,
     * 4.10.4.1): INVLPG drops every entry of the current PCID, a full flush and a CR3 load without PCIDs drop them
     * all; the nested dimension's caches follow INVEPT only.
     */
    private TranslationCacheMaintenance.Cache pagingStructureMaintenance() {
        return new TranslationCacheMaintenance.Cache() {
            @Override
            public void pageInvalidated(long va, int space) {
                cpus[mmu.cpu()].virtualPsc.invalidateContext(space);
            }

            @Override
            public void flushed(int space) {
                cpus[mmu.cpu()].virtualPsc.flush();
            }

            @Override
            public void addressSpaceLoaded(int space, boolean tagged) {
                if (!tagged) {
                    cpus[mmu.cpu()].virtualPsc.flush();
                }
            }
        };
    }

    /**
     * What the guest's TLB maintenance does to the part-of-memory TLB, as to the TLB (see {@link Mmu}): INVLPG drops
     * the translation, a full flush and a CR3 load without PCIDs drop every one. Like the ISPT, it holds the
     * translations of the pages already present when the run starts ({@code warm}): in the steady state they have
     * been walked, and it is large enough to keep them. It is in memory, one for the VM's vCPUs.
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

    /** Starts every vCPU at time 0 (the guest's timer is the machine's to start). */
    void start() {
        for (Processor p : cpus) {
            p.vcpu.startAt(0);
        }
    }

    void startTimer() {
        guest.startTimer();
    }

    int index() {
        return index;
    }

    int cpuCount() {
        return cpus.length;
    }

    Processor cpu(int c) {
        return cpus[c];
    }

    GuestOs guest() {
        return guest;
    }

    Hypervisor hypervisor() {
        return hypervisor;
    }

    Platform platform() {
        return platform;
    }

    /** The IPIs of the VM's shootdowns, or null with one vCPU. */
    Shootdowns shootdowns() {
        return shootdowns;
    }

    PomTlb pomTlb() {
        return pomTlb;
    }

    /** The counters of every vCPU of the VM now. */
    /** The counters of its vCPU {@code c} now. */
    CpuSnapshot cpuSnapshot(int c) {
        return cpus[c].snapshot(index, shootdowns, shadowLock);
    }

    List<CpuSnapshot> cpuSnapshots() {
        List<CpuSnapshot> l = new ArrayList<>(cpus.length);
        for (Processor p : cpus) {
            l.add(p.snapshot(index, shootdowns, shadowLock));
        }
        return l;
    }

    long isptProbes() {
        InvertedShadowTable ispt = hypervisor == null ? null : hypervisor.ispt();
        return ispt == null ? 0 : ispt.probes();
    }

    long isptHits() {
        InvertedShadowTable ispt = hypervisor == null ? null : hypervisor.ispt();
        return ispt == null ? 0 : ispt.hits();
    }

    /** Routes vCPU {@code cpu}'s entries into privileged software, which then runs on that vCPU. */
    private final class Routing implements Kernel {
        private final int cpu;

        Routing(int cpu) {
            this.cpu = cpu;
        }

        @Override
        public void pageFault(long va, boolean write, HandlerWork work) {
            guest.onCpu(cpu);
            platform.pageFault(guest, va, write, work);
        }

        @Override
        public void nestedFault(long gpa, HandlerWork work) {
            guest.onCpu(cpu);
            platform.nestedFault(gpa, work);
        }

        @Override
        public void systemCall(OsEvent event, HandlerWork work) {
            guest.onCpu(cpu);
            guest.systemCall(event, work);
        }

        @Override
        public void timerInterrupt(HandlerWork work) {
            guest.onCpu(cpu);
            guest.timerInterrupt(work);
        }

        @Override
        public void interProcessorInterrupt(HandlerWork work) {
            guest.onCpu(cpu);
            guest.interProcessorInterrupt(work);
        }

        @Override
        public ExecutionContext current() {
            guest.onCpu(cpu);
            return guest.current();
        }
    }
}
