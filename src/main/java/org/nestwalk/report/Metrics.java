package org.nestwalk.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.sim.RunResult;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.TableKind;

/**
 * Every metric a run reports, in a fixed order: the columns of runs.csv and what experiments may name. A metric a
 * mode lacks the mechanism for is not applicable to it ({@link Metric#notApplicable}): listed by exclusion, so that
 * a mode added later has every metric until it is known to lack one.
 */
public final class Metrics {
    private static final List<Metric> ALL;
    private static final Map<String, Metric> BY_NAME;
    /** Modes without a nested dimension (no nested or flat table, no NTLB). */
    private static final Set<ModeKind> ONE_DIMENSION = Set.of(ModeKind.NATIVE, ModeKind.SHADOW);
    /** Modes without an inverted shadow page table. */
    private static final Set<ModeKind> NO_ISPT = Set.of(ModeKind.NATIVE, ModeKind.NESTED, ModeKind.FLAT_NESTED,
            ModeKind.SHADOW, ModeKind.HASHED_NESTED, ModeKind.POM_TLB, ModeKind.AGILE);
    /** Native runs no VM: it has no VM exits. */
    private static final Set<ModeKind> NO_VM = Set.of(ModeKind.NATIVE);
    /** Modes whose hypervisor keeps no shadow tables: none of shadow paging's exits. */
    private static final Set<ModeKind> NO_SHADOW_EXITS = Set.of(ModeKind.NATIVE, ModeKind.NESTED,
            ModeKind.FLAT_NESTED, ModeKind.SPEC_SHADOW);
    /** Modes whose guest memory is never backed lazily: no nested faults (shadow paging backs it up front). */
    private static final Set<ModeKind> NO_NESTED_FAULTS = Set.of(ModeKind.NATIVE, ModeKind.SHADOW);

    static {
        List<Metric> m = new ArrayList<>(List.of(
                new Metric("measuredReferences", "references of the measured interval (after warm-up)",
                        r -> r.references()),
                new Metric("cycles", "simulated cycles of the measured interval", r -> r.cycles()),
                new Metric("instructions", "instructions executed", r -> r.instructions()),
                new Metric("ipc", "instructions per cycle", RunResult::ipc),
                new Metric("translationCycles", "cycles lost to translation (L2 TLB, walks, squashes)",
                        r -> r.translationCycles()),
                new Metric("translationShare", "translation cycles / cycles", RunResult::translationShare),
                new Metric("l1TlbMissRate", "L1 dTLB misses per lookup", RunResult::l1TlbMissRate),
                new Metric("l2TlbMissRate", "L2 TLB misses per L2 lookup", RunResult::l2TlbMissRate),
                new Metric("tlbMpki", "TLB misses per thousand instructions", RunResult::tlbMpki),
                new Metric("itlbMpki", "instruction-fetch TLB misses (L1 iTLB and L2 TLB) per thousand"
                        + " instructions", RunResult::itlbMpki),
                new Metric("l1ItlbMpki", "L1 iTLB misses per thousand instructions", RunResult::l1ItlbMpki),
                new Metric("walks", "page walks", r -> r.walks()),
                new Metric("walkLatency", "mean cycles per walk", RunResult::walkLatency),
                new Metric("walkerOccupancy", "cycles walkers were busy / (walkers x cycles)",
                        RunResult::walkerOccupancy),
                new Metric("walkQueueDelay", "mean cycles a walk waited for a free walker",
                        RunResult::walkQueueDelay),
                new Metric("overlappedShare", "references run past an older one waiting for its translation,"
                        + " per reference", RunResult::overlappedShare),
                new Metric("squashedPerReference", "references executed and thrown away by squashes, per reference",
                        RunResult::squashedPerReference),
                new Metric("refsPerWalk", "memory references per walk", RunResult::referencesPerWalk),
                new Metric("criticalRefsPerWalk", "memory references per walk the vCPU waited for",
                        RunResult::criticalReferencesPerWalk),
                new Metric("virtualRefsPerWalk", "references per walk to the guest, native or shadow table",
                        RunResult::virtualDimensionReferencesPerWalk),
                new Metric("nestedRefsPerWalk", "references per walk to the nested, flat or hashed table",
                        RunResult::nestedDimensionReferencesPerWalk, ONE_DIMENSION),
                new Metric("isptRefsPerWalk", "references per walk to the ISPT",
                        r -> r.referencesPerWalk(TableKind.ISPT), NO_ISPT),
                new Metric("pwcHitRate", "PWC hits per probe", RunResult::pwcHitRate),
                new Metric("ntlbHitRate", "NTLB hits per probe", RunResult::ntlbHitRate, ONE_DIMENSION),
                new Metric("isptHitRate", "ISPT hits per probe", RunResult::isptHitRate, NO_ISPT),
                new Metric("misspeculationRate", "mis-speculated translations per speculation",
                        RunResult::misspeculationRate, NO_ISPT),
                new Metric("cwcHitRate", "cuckoo walk cache hits per probe (hashed-nested; empty without one)",
                        RunResult::cwcHitRate),
                new Metric("pomTlbHitRate", "POM-TLB hits per lookup (pom-tlb; empty otherwise)",
                        RunResult::pomTlbHitRate),
                new Metric("pomTlbRefsPerWalk", "references per walk to the POM-TLB (pom-tlb; empty otherwise)",
                        RunResult::pomTlbReferencesPerWalk),
                new Metric("agileToNested", "guest page-table pages agile paging moved to nested mode (agile; empty"
                        + " otherwise)", RunResult::agileToNested),
                new Metric("agileToShadow", "pages agile paging moved back to shadow mode (agile; empty otherwise)",
                        RunResult::agileToShadow),
                new Metric("dramPerWalk", "walk references served by DRAM per walk", RunResult::dramPerWalk),
                new Metric("dataDramRate", "data references served by DRAM per reference",
                        RunResult::dataDramRate),
                new Metric("dramQueueDelay", "mean cycles a DRAM request waited for its bank",
                        RunResult::dramQueueDelay),
                new Metric("pageFaults", "page faults taken", r -> r.pageFaults()),
                new Metric("guestTableWrites", "page-table entries the guest wrote",
                        r -> r.interval().guest().tableWrites()),
                new Metric("contextSwitches", "guest process switches", r -> r.interval().guest().contextSwitches()),
                new Metric("vmExits", "VM exits", r -> r.vmExits(), NO_VM),
                new Metric("hypervisorShare", "cycles in VM exits / cycles", RunResult::hypervisorShare, NO_VM),
                new Metric("systemShare", "cycles in VM exits and the guest kernel / cycles",
                        RunResult::systemShare)));
        for (ExitCause c : ExitCause.values()) {
            // Every VM takes IPIs (without posted interrupts, as exits); bare metal takes them without one.
            Set<ModeKind> without = c == ExitCause.NESTED_FAULT ? NO_NESTED_FAULTS
                    : c == ExitCause.IPI ? NO_VM : NO_SHADOW_EXITS;
            m.add(new Metric("exits." + c.label(), "VM exits for " + c.label(), r -> r.exits(c), without));
            m.add(new Metric("exitCycles." + c.label(), "cycles of VM exits for " + c.label() + " and their handlers",
                    r -> r.interval().cpu().exitCycles(c), without));
        }
        m.add(new Metric("vcpus", "vCPUs the run simulated (cycle shares and the IPC are per vCPU-cycle)",
                r -> r.vcpus()));
        m.add(new Metric("shootdowns", "TLB shootdowns the guest initiated (one per kernel entry that changed an"
                + " address space other vCPUs run)", r -> r.interval().shootdowns().initiated()));
        m.add(new Metric("cyclesPerShootdown", "mean cycles an initiator waited for its shootdown's"
                + " acknowledgements", r -> r.interval().shootdowns().cyclesPerShootdown()));
        m.add(new Metric("ipis", "inter-processor interrupts sent for shootdowns",
                r -> r.interval().shootdowns().ipisSent()));
        m.add(new Metric("vms", "VMs on the machine", r -> r.spec().settings().intValue("machine.vms")));
        m.add(new Metric("firstVmCycles", "cycles the first VM ran (the longest clock of its vCPUs); it runs the same"
                + " references as alone, so over its cycles alone this is its slowdown from co-running",
                r -> r.interval().vmCycles(0)));
        m.add(new Metric("shadowLockWait", "mean cycles a vCPU waited for the VM's shadow lock per acquisition"
                + " (shadow and agile paging with several vCPUs)", r -> r.interval().shadowLock().waitPerAcquisition()));
        ALL = List.copyOf(m);
        Map<String, Metric> byName = new LinkedHashMap<>();
        for (Metric x : ALL) {
            byName.put(x.name(), x);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private Metrics() {
    }

    public static List<Metric> all() {
        return ALL;
    }

    /** The metric called {@code name}, or null. */
    public static Metric get(String name) {
        return BY_NAME.get(name);
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * Whether runs of the mode called {@code modeLabel} have metric {@code name}: false only for a known metric a
     * known mode lacks (rows stored by older versions recorded 0 there).
     */
    public static boolean applies(String name, String modeLabel) {
        Metric m = BY_NAME.get(name);
        if (m == null || m.notApplicable().isEmpty()) {
            return true;
        }
        try {
            return m.appliesTo(ModeKind.parse(modeLabel));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** Every metric of {@code r}, by name, in order; NaN for those its mode lacks. */
    public static Map<String, Double> of(RunResult r) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric x : ALL) {
            values.put(x.name(), x.of(r));
        }
        values.putAll(perVm(r));
        return values;
    }

    /** The figures kept for each VM of a machine of several ({@code vm<k>.<name>}), with what each means. */
    public static final Map<String, String> PER_VM = perVmDescriptions();

    private static Map<String, String> perVmDescriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cycles", "cycles the VM ran (the longest own interval of its vCPUs)");
        m.put("slowdown", "its cycles over its cycles alone on the same machine (machine.aloneRuns; NA without)");
        m.put("ipc", "its instructions per vCPU-cycle");
        m.put("tlbMpki", "its TLB misses (walks started by a miss) per thousand instructions");
        m.put("llcMpki", "its vCPUs' LLC lookups that missed, per thousand instructions");
        return Collections.unmodifiableMap(m);
    }

    /**
     * With several VMs, each VM's own figures ({@link #PER_VM}) as {@code vm<k>.<name>}, k counting from 0 in the
     * machine; empty with one VM (its figures are the run's).
     */
    public static Map<String, Double> perVm(RunResult r) {
        Map<String, Double> values = new LinkedHashMap<>();
        int vms = r.vms();
        if (vms == 1) {
            return values;
        }
        for (int v = 0; v < vms; v++) {
            var cpu = r.vmCpu(v);
            long vcpuCycles = 0;
            for (var c : r.interval().vcpus()) {
                if (c.vm() == v) {
                    vcpuCycles += c.time();
                }
            }
            String p = "vm" + v + ".";
            values.put(p + "cycles", (double) r.vmCycles(v));
            values.put(p + "slowdown", r.vmSlowdown(v));
            values.put(p + "ipc", vcpuCycles == 0 ? Double.NaN : (double) cpu.instructions() / vcpuCycles);
            values.put(p + "tlbMpki", cpu.instructions() == 0 ? Double.NaN
                    : 1000.0 * cpu.tlbMisses() / cpu.instructions());
            values.put(p + "llcMpki", cpu.instructions() == 0 ? Double.NaN
                    : 1000.0 * r.vmLlcMisses(v) / cpu.instructions());
        }
        return values;
    }
}
