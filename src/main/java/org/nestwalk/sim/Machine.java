package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.MachineConfig;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.des.Scheduler;
import org.nestwalk.guest.GuestOs;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.guest.GuestStats;
import org.nestwalk.guest.Platform;
import org.nestwalk.hypervisor.AgilePaging;
import org.nestwalk.hypervisor.Hypervisor;
import org.nestwalk.memory.Cache;
import org.nestwalk.memory.CacheConfig;
import org.nestwalk.memory.DramStats;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.pagetable.FrameAllocator;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.PhysicalMemory;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.tlb.NestedTlb;
import org.nestwalk.tlb.PageWalkCache;
import org.nestwalk.tlb.PomTlb;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.WalkStats;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.Workload;

/**
 * The simulated machine of one run, wired: the VM's vCPUs ({@code machine.vcpus}), each with its TLBs, walk caches,
 * private caches and page walkers ({@link Processor}), the shared last-level cache and memory controller, the guest
 * OS with its processes, and (when the mode runs a VM) the hypervisor and the platform through which the guest's
 * privileged operations reach it ({@link Vm}). Building it boots the guest (and maps the initial footprint if the
 * workload says so, outside simulated time); nothing runs until {@link #start}.
 *
 * <p>Every vCPU runs the run's references ({@link RunSpec#references()}, the warm-up included). The measured
 * interval begins when every vCPU has passed its warm-up and ends when every vCPU has finished; the observer is told
 * so once, as with one vCPU (where nothing changes).
 */
public final class Machine {
    private final RunSpec spec;
    private final Scheduler scheduler;
    /** The first VM's LLC (with llc.partition=shared, everyone's). */
    private final Cache llc;
    /** The first VM's memory controller (with dram.partition=shared, everyone's). */
    private final MemoryController memory;
    /** Every LLC and memory controller of the machine, once each. */
    private final List<Cache> llcs = new ArrayList<>();
    private final List<MemoryController> controllers = new ArrayList<>();
    /** The first VM (with one VM, the machine's). */
    private final Vm vm;
    private final List<Vm> vms;
    /** With several vCPUs, each one's counters at the end of its own warm-up and at its own finish (by index). */
    private CpuSnapshot[] ownBegin;
    private CpuSnapshot[] ownEnd;

    private Machine(RunSpec spec, Scheduler scheduler, List<List<Workload>> perVm, boolean[] prefault,
                    List<Region> extraRegions, VCpu.Observer observer) {
        this.spec = spec;
        this.scheduler = scheduler;
        MachineConfig m = spec.machine();
        RandomStreams streams = new RandomStreams(spec.seed(), spec.replication());

        int vmCount = perVm.size();
        boolean llcSliced = spec.settings().choice("llc.partition").equals("vm") && vmCount > 1;
        boolean dramSplit = spec.settings().choice("dram.partition").equals("vm") && vmCount > 1;
        long hostBytes = m.hypervisor().hostMemoryBytes() / (dramSplit ? vmCount : 1);
        if (dramSplit && hostBytes % PageSize.SIZE_2M.bytes() != 0) {
            throw spec.settings().problem("dram.partition", "memory.host / machine.vms is not a multiple of 2MiB");
        }
        Cache[] llcOf = new Cache[vmCount];
        MemoryController[] memoryOf = new MemoryController[vmCount];
        PhysicalMemory[] hostOf = new PhysicalMemory[vmCount];
        FrameAllocator[] framesOf = new FrameAllocator[vmCount];
        int offset = spec.settings().intValue("machine.vmOffset");
        for (int v = 0; v < vmCount; v++) {
            if (v == 0 || llcSliced) {
                CacheConfig c = m.llc();
                llcs.add(new Cache(llcSliced ? new CacheConfig(c.name(), c.sizeBytes() / vmCount, c.ways(),
                        c.latency()) : c));
            }
            llcOf[v] = llcs.get(llcs.size() - 1);
            if (v == 0 || dramSplit) {
                controllers.add(new MemoryController(m.dram(), scheduler));
                hostOf[v] = new PhysicalMemory("system-physical", hostBytes);
                // A VM with memory of its own draws its placement from a stream of its own, as it would alone.
                int n = dramSplit ? v + offset : 0;
                framesOf[v] = new FrameAllocator("system-physical", hostBytes, m.placement(),
                        streams.stream(n == 0 ? "frames.host" : "vm" + n + ".frames.host"));
            } else {
                hostOf[v] = hostOf[0];
                framesOf[v] = framesOf[0];
            }
            memoryOf[v] = controllers.get(controllers.size() - 1);
        }
        llc = llcs.get(0);
        memory = controllers.get(0);
        int cpus = 0;
        for (List<Workload> w : perVm) {
            cpus += w.size();
        }
        if (perVm.size() > 1 && spec.mode() == ModeKind.NATIVE) {
            throw spec.settings().problem("machine.vms", "native runs no VM: expected 1");
        }
        if (cpus > 1) {
            ownBegin = new CpuSnapshot[cpus];
            ownEnd = new CpuSnapshot[cpus];
        }
        List<VCpu.Observer> observers = new Milestones(cpus, spec.warmupReferences() > 0, observer,
                this::ownMilestone).perCpu();
        List<Vm> built = new ArrayList<>();
        int first = 0;
        for (int v = 0; v < perVm.size(); v++) {
            List<Workload> w = perVm.get(v);
            built.add(new Vm(v, v + offset, spec, scheduler, llcOf[v], memoryOf[v], hostOf[v], framesOf[v], streams,
                    w, observers.subList(first, first + w.size()), cpus > 1, first));
            first += w.size();
        }
        vms = List.copyOf(built);
        vm = vms.get(0);
        for (int v = 0; v < vms.size(); v++) {
            vms.get(v).boot(extraRegions, prefault[v]);
        }
    }

    /**
     * Builds the machine for {@code spec} running its workload: the synthetic generator, or the trace that
     * {@code workload.trace} names; one copy on each vCPU; each VM the run's workload or, with
     * {@code machine.vmWorkloads}, a preset or a trace of its own.
     *
     * @param extraRegions regions the first processes map beyond their workload's (e.g. the page {@code explain}
     *                     walks)
     * @param observer     told when the vCPUs pass warm-up and when they are done
     */
    public static Machine build(RunSpec spec, Scheduler scheduler, List<Region> extraRegions,
                                VCpu.Observer observer) {
        VmWorkloads.Chosen w = VmWorkloads.choose(spec);
        return new Machine(spec, scheduler, w.perVm(), w.prefault(), extraRegions, observer);
    }

    /** Builds the machine for {@code spec} running {@code workload} (on each vCPU of each VM). */
    public static Machine build(RunSpec spec, Scheduler scheduler, Workload workload, List<Region> extraRegions,
                                VCpu.Observer observer) {
        List<List<Workload>> perVm = new ArrayList<>();
        for (int v = 0; v < spec.settings().intValue("machine.vms"); v++) {
            List<Workload> workloads = new ArrayList<>();
            for (int c = 0; c < spec.machine().vcpus(); c++) {
                workloads.add(workload);
            }
            perVm.add(workloads);
        }
        boolean[] prefault = new boolean[perVm.size()];
        java.util.Arrays.fill(prefault, spec.workload().prefault());
        return new Machine(spec, scheduler, perVm, prefault, extraRegions, observer);
    }

    /** Starts the guest's timer and schedules each vCPU's first event, at time 0. */
    public void start() {
        for (Vm v : vms) {
            v.startTimer();
        }
        for (Vm v : vms) {
            v.start();
        }
    }

    /**
     * Reports what the first vCPU, its page walker and the memory controller do to {@code t} from now on (the
     * default, {@link Timeline#NONE}, records nothing). A timeline has one lane per entity: the other vCPUs are not
     * drawn.
     */
    public void recordTimeline(Timeline t) {
        vm.cpu(0).vcpu.recordTo(t);
        vm.cpu(0).walker.recordTo(t);
        memory.recordTo(t);
    }

    /** Every counter right now, stamped with the time {@code time} (the clock of the vCPU that asks). */
    public Snapshot snapshot(long time) {
        List<CpuSnapshot> cpus = new ArrayList<>();
        for (Vm v : vms) {
            cpus.addAll(v.cpuSnapshots());
        }
        long llcHits = 0;
        long llcMisses = 0;
        for (Cache c : llcs) {
            llcHits += c.hits();
            llcMisses += c.misses();
        }
        long pomProbes = 0;
        long pomHits = 0;
        long toNested = 0;
        long toShadow = 0;
        long isptProbes = 0;
        long isptHits = 0;
        GuestStats guest = vm.guest().stats();
        for (Vm v : vms) {
            PomTlb pomTlb = v.pomTlb();
            if (pomTlb != null) {
                pomProbes += pomTlb.probes();
                pomHits += pomTlb.hits();
            }
            if (v.platform() instanceof AgilePaging a) {
                toNested += a.toNested();
                toShadow += a.toShadow();
            }
            isptProbes += v.isptProbes();
            isptHits += v.isptHits();
            if (v != vm) {
                guest = guest.plus(v.guest().stats());
            }
        }
        SchemeCounters schemes = new SchemeCounters(0, 0, pomProbes, pomHits, toNested, toShadow,
                vm.platform() instanceof AgilePaging);
        // The vCPUs' sums (and the cuckoo walk caches') are filled in from the vCPUs' own counters.
        return new Snapshot(time, cpus.get(0).cpu(), cpus.get(0).walks(), guest, 0, 0, 0, 0, isptProbes, isptHits,
                dram(time), new long[] {0, 0, llcHits}, new long[] {0, 0, llcMisses}, schemes, cpus).withVcpus(cpus);
    }

    /**
     * What happened between {@code begin} and {@code end}, the snapshots of the machine's milestones. With several
     * vCPUs, each vCPU is measured over its own interval, from the end of its own warm-up to its own last reference,
     * as it would be alone (a vCPU that finished early and still answers IPIs, or walks that complete after its
     * last reference, are not its work); the vCPUs' sums add up these, and what they share (LLC, DRAM, guest OS)
     * is measured over the machine's interval, from the last vCPU's warm-up to the last one's finish.
     */
    public Snapshot interval(Snapshot begin, Snapshot end) {
        Snapshot d = end.minus(begin);
        if (ownBegin == null) {
            return d;
        }
        List<CpuSnapshot> own = new ArrayList<>(ownBegin.length);
        for (int c = 0; c < ownBegin.length; c++) {
            CpuSnapshot from = ownBegin[c] != null ? ownBegin[c] : begin.vcpus().get(c);
            CpuSnapshot to = ownEnd[c] != null ? ownEnd[c] : end.vcpus().get(c);
            own.add(to.minus(from));
        }
        return d.withVcpus(own);
    }

    /** Records vCPU {@code c}'s counters when it passes its own warm-up ({@code warm}) or finishes. */
    private void ownMilestone(int c, boolean warm) {
        int first = 0;
        for (Vm v : vms) {
            if (c < first + v.cpuCount()) {
                CpuSnapshot s = v.cpuSnapshot(c - first);
                (warm ? ownBegin : ownEnd)[c] = s;
                return;
            }
            first += v.cpuCount();
        }
    }

    /** The memory controllers' counters, added up (one controller unless dram.partition=vm). */
    private DramStats dram(long time) {
        DramStats d = memory.stats(time);
        for (int i = 1; i < controllers.size(); i++) {
            d = d.plus(controllers.get(i).stats(time));
        }
        return d;
    }

    /** Test mode: every vCPU reports each translation it takes from its TLB to the check returned. */
    public StaleTranslationCheck checkTranslations() {
        StaleTranslationCheck c = new StaleTranslationCheck(vm.guest(), vm.hypervisor(), vm.shootdowns());
        for (int i = 0; i < vm.cpuCount(); i++) {
            vm.cpu(i).vcpu.checkTranslations(c.forCpu(i));
        }
        return c;
    }

    public RunSpec spec() {
        return spec;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** The first vCPU. */
    public VCpu vcpu() {
        return vm.cpu(0).vcpu;
    }

    /** vCPU {@code c}. */
    public VCpu vcpu(int c) {
        return vm.cpu(c).vcpu;
    }

    /** vCPUs of the machine. */
    public int vcpus() {
        return vm.cpuCount();
    }

    /** The first vCPU's page walkers. */
    public PageWalker walker() {
        return vm.cpu(0).walker;
    }

    public GuestOs guest() {
        return vm.guest();
    }

    /** The process running on the first vCPU now (the first one, right after building). */
    public GuestProcess process() {
        return vm.guest().running(0);
    }

    /** The hypervisor, or null when the mode runs no VM. */
    public Hypervisor hypervisor() {
        return vm.hypervisor();
    }

    public Platform platform() {
        return vm.platform();
    }

    /** The first vCPU's caches. */
    public CacheHierarchy caches() {
        return vm.cpu(0).caches;
    }

    /** The first vCPU's TLBs. */
    public DataTlb tlb() {
        return vm.cpu(0).tlb;
    }

    /** The first vCPU's page walk cache. */
    public PageWalkCache pwc() {
        return vm.cpu(0).pwc;
    }

    /** The first vCPU's nested TLB. */
    public NestedTlb ntlb() {
        return vm.cpu(0).ntlb;
    }

    public MemoryController memory() {
        return memory;
    }

    /** The first vCPU's translation registers. */
    public Registers registers() {
        return vm.cpu(0).registers;
    }

    /** vCPU {@code c}'s translation registers. */
    public Registers registers(int c) {
        return vm.cpu(c).registers;
    }

    /** The system-physical address software finds for {@code va} of the process on the first vCPU, or -1. */
    public long softwareTranslation(long va) {
        var m = process().table().lookup(va);
        if (m == null) {
            return -1;
        }
        long gpa = m.translate(va);
        Hypervisor hypervisor = vm.hypervisor();
        return hypervisor == null ? gpa : hypervisor.systemAddress(gpa);
    }
}
