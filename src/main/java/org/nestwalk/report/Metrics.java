package org.nestwalk.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.sim.RunResult;
import org.nestwalk.walk.TableKind;

/** Every metric a run reports, in a fixed order: the columns of runs.csv and what experiments may name. */
public final class Metrics {
    private static final List<Metric> ALL;
    private static final Map<String, Metric> BY_NAME;

    static {
        List<Metric> m = new ArrayList<>(List.of(
                new Metric("cycles", "simulated cycles of the measured interval", r -> r.cycles()),
                new Metric("instructions", "instructions executed", r -> r.instructions()),
                new Metric("ipc", "instructions per cycle", RunResult::ipc),
                new Metric("translationCycles", "cycles lost to translation (L2 TLB, walks, squashes)",
                        r -> r.translationCycles()),
                new Metric("translationShare", "translation cycles / cycles", RunResult::translationShare),
                new Metric("l1TlbMissRate", "L1 dTLB misses per lookup", RunResult::l1TlbMissRate),
                new Metric("l2TlbMissRate", "L2 TLB misses per L2 lookup", RunResult::l2TlbMissRate),
                new Metric("tlbMpki", "TLB misses per thousand instructions", RunResult::tlbMpki),
                new Metric("walks", "page walks", r -> r.walks()),
                new Metric("walkLatency", "mean cycles per walk", RunResult::walkLatency),
                new Metric("walkerOccupancy", "cycles walkers were busy / (walkers x cycles)",
                        RunResult::walkerOccupancy),
                new Metric("walkQueueDelay", "mean cycles a walk waited for a free walker",
                        RunResult::walkQueueDelay),
                new Metric("overlappedShare", "references run past an older one waiting for its translation,"
                        + " per reference", RunResult::overlappedShare),
                new Metric("squashedShare", "references executed and thrown away by squashes, per reference",
                        RunResult::squashedShare),
                new Metric("refsPerWalk", "memory references per walk", RunResult::referencesPerWalk),
                new Metric("criticalRefsPerWalk", "memory references per walk the vCPU waited for",
                        RunResult::criticalReferencesPerWalk),
                new Metric("virtualRefsPerWalk", "references per walk to the guest, native or shadow table",
                        RunResult::virtualDimensionReferencesPerWalk),
                new Metric("nestedRefsPerWalk", "references per walk to the nested, flat or hashed table",
                        RunResult::nestedDimensionReferencesPerWalk),
                new Metric("isptRefsPerWalk", "references per walk to the ISPT",
                        r -> r.referencesPerWalk(TableKind.ISPT)),
                new Metric("pwcHitRate", "PWC hits per probe", RunResult::pwcHitRate),
                new Metric("ntlbHitRate", "NTLB hits per probe", RunResult::ntlbHitRate),
                new Metric("isptHitRate", "ISPT hits per probe", RunResult::isptHitRate),
                new Metric("misspeculationRate", "mis-speculated translations per speculation",
                        RunResult::misspeculationRate),
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
                new Metric("vmExits", "VM exits", r -> r.vmExits()),
                new Metric("hypervisorShare", "cycles in VM exits / cycles", RunResult::hypervisorShare),
                new Metric("systemShare", "cycles in VM exits and the guest kernel / cycles",
                        RunResult::systemShare)));
        for (ExitCause c : ExitCause.values()) {
            m.add(new Metric("exits." + c.label(), "VM exits for " + c.label(), r -> r.exits(c)));
            m.add(new Metric("exitCycles." + c.label(), "cycles of VM exits for " + c.label() + " and their handlers",
                    r -> r.interval().cpu().exitCycles(c)));
        }
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

    /** Every metric of {@code r}, by name, in order. */
    public static Map<String, Double> of(RunResult r) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric x : ALL) {
            values.put(x.name(), x.of(r));
        }
        return values;
    }
}
