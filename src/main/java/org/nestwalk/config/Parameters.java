package org.nestwalk.config;

import static org.nestwalk.config.Parameter.choice;
import static org.nestwalk.config.Parameter.flag;
import static org.nestwalk.config.Parameter.integer;
import static org.nestwalk.config.Parameter.powerOfTwo;
import static org.nestwalk.config.Parameter.real;
import static org.nestwalk.config.Parameter.size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of a run with its default: the one documented table of DESIGN.md section 5 and
 * {@code reference/mechanisms.md}. Values marked "(assumed)" are not given by the sources; they are the most plausible
 * choice and exist as parameters precisely so that they can be swept. {@code nestwalk params} prints this table.
 */
public final class Parameters {
    private static final long GiB = 1L << 30;

    private static final List<Parameter> ALL = List.of(
            real("core.baseCpi", 1.0, 0.05, 100, "cycles per instruction when no access misses the L1 cache or TLB"),
            integer("core.mlp", 2, 1, 64, "DRAM data misses the core can have in flight (memory-level parallelism)"),
            integer("core.robWindow", 192, 1, 100_000,
                    "instructions the core may run past an unfinished DRAM miss before its reorder buffer fills"),
            integer("core.quantum", 100_000, 1, 1L << 40,
                    "cycles the vCPU runs inline before yielding to the event list (simulation artefact; results do"
                            + " not depend on it)"),

            powerOfTwo("tlb.l1.entries", 64, 0, 1 << 20, "L1 dTLB entries for 4 KiB pages"),
            powerOfTwo("tlb.l1.ways", 4, 1, 1 << 20, "associativity of the L1 dTLB 4 KiB array"),
            powerOfTwo("tlb.l1.entries2m", 32, 0, 1 << 20, "L1 dTLB entries for 2 MiB pages"),
            powerOfTwo("tlb.l1.ways2m", 4, 1, 1 << 20, "associativity of the L1 dTLB 2 MiB array"),
            integer("tlb.l1.latency", 1, 0, 1000,
                    "cycles of an L1 dTLB lookup; overlapped with the L1D access on a hit, paid before the L2 probe"
                            + " on a miss"),
            powerOfTwo("tlb.l2.entries", 512, 0, 1 << 20, "L2 TLB entries for 4 KiB pages"),
            powerOfTwo("tlb.l2.ways", 4, 1, 1 << 20, "associativity of the L2 TLB 4 KiB array"),
            powerOfTwo("tlb.l2.entries2m", 0, 0, 1 << 20,
                    "L2 TLB entries for 2 MiB pages (Sandy Bridge's L2 holds none) (assumed)"),
            powerOfTwo("tlb.l2.ways2m", 4, 1, 1 << 20, "associativity of the L2 TLB 2 MiB array"),
            integer("tlb.l2.latency", 7, 0, 1000, "cycles of an L2 TLB lookup"),

            integer("pwc.entries", 24, 0, 4096,
                    "page walk cache entries: upper-level page-table entries of both dimensions, tagged by the"
                            + " entry's system-physical address, fully associative (assumed)"),
            integer("pwc.latency", 2, 0, 1000, "cycles of a PWC probe (assumed)"),
            integer("ntlb.entries", 16, 0, 4096,
                    "nested TLB entries: guest-physical to system-physical translations, fully associative (assumed)"),
            integer("ntlb.latency", 1, 0, 1000, "cycles of an NTLB probe (assumed)"),

            size("l1d.size", "32KiB", 64, GiB, true, "L1 data cache capacity (per vCPU)"),
            powerOfTwo("l1d.ways", 8, 1, 1024, "L1 data cache associativity"),
            integer("l1d.latency", 4, 0, 1000, "load-to-use cycles of an L1D hit"),
            size("l2.size", "256KiB", 64, GiB, true, "L2 cache capacity (per vCPU)"),
            powerOfTwo("l2.ways", 8, 1, 1024, "L2 cache associativity"),
            integer("l2.latency", 12, 0, 1000, "load-to-use cycles of an L2 hit"),
            size("llc.size", "8MiB", 64, 64 * GiB, true, "last-level cache capacity (shared)"),
            powerOfTwo("llc.ways", 16, 1, 1024, "last-level cache associativity"),
            integer("llc.latency", 40, 0, 10_000, "load-to-use cycles of an LLC hit"),

            powerOfTwo("dram.banks", 8, 1, 1024, "DRAM banks behind the memory controller"),
            integer("dram.rowHitLatency", 120, 1, 100_000, "cycles of a DRAM access to the open row"),
            integer("dram.rowMissLatency", 200, 1, 100_000, "cycles of a DRAM access to a closed row"),
            size("dram.rowSize", "8KiB", 64, GiB, true, "bytes per DRAM row per bank (assumed)"),
            choice("dram.scheduling", "frfcfs", List.of("frfcfs", "fcfs"),
                    "order a bank serves its queue: first-ready FCFS (row hits first) or FCFS"),

            size("memory.guest", "4GiB", 1L << 21, 1L << 46, false,
                    "the VM's memory: size of the guest-physical address space"),
            size("memory.host", "16GiB", 1L << 21, 1L << 46, false,
                    "the host's memory: size of the system-physical address space"),
            choice("memory.placement", "scattered", List.of("scattered", "sequential"),
                    "where frame allocators place frames: 2 MiB regions in seeded random order, or ascending"),

            choice("guest.pageSize", "4KiB", List.of("4kib", "2mib"),
                    "page size the guest maps data with (2MiB: transparent huge pages everywhere)"),
            integer("guest.pageFaultLatency", 1500, 0, 10_000_000,
                    "cycles of the guest page-fault handler beyond its page-table writes"),
            choice("hypervisor.pageSize", "4KiB", List.of("4kib", "2mib"),
                    "size of the nested mappings the hypervisor creates when it backs guest memory"),
            integer("hypervisor.vmExitLatency", 1000, 0, 10_000_000, "cycles of a VM exit plus the VM entry"),
            integer("hypervisor.nestedFaultLatency", 2000, 0, 10_000_000,
                    "cycles of the nested-page-fault handler beyond the exit and its nested-table writes (assumed:"
                            + " the shadow hidden-fault cost)"),

            choice("workload.pattern", "uniform", List.of("uniform", "stream", "zipf", "chase"),
                    "how the next data address is chosen"),
            size("workload.footprint", "1GiB", 4096, 1L << 45, false, "bytes of virtual memory the references touch"),
            real("workload.writeFraction", 0.3, 0, 1, "fraction of references that are stores"),
            integer("workload.instructionsPerRef", 3, 1, 1_000_000,
                    "instructions per data reference, the referencing one included"),
            size("workload.stride", "8", 8, GiB, false, "bytes between consecutive references of a stream"),
            real("workload.zipfExponent", 0.99, 0, 10, "skew of the Zipf popularity law over pages"),
            flag("workload.prefault", true,
                    "map the whole footprint before the run (pages already present); false: demand paging"));

    private static final Map<String, Parameter> BY_KEY;

    static {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : ALL) {
            if (m.put(p.key(), p) != null) {
                throw new IllegalStateException("duplicate parameter " + p.key());
            }
            // The default must itself be valid, or every run would fail.
            p.parse(p.defaultValue(), "default");
        }
        BY_KEY = Collections.unmodifiableMap(m);
    }

    private Parameters() {
    }

    /** All parameters in documentation order. */
    public static List<Parameter> all() {
        return ALL;
    }

    /** The parameter with this key, or an error naming the closest known key. */
    public static Parameter get(String key, String source) {
        Parameter p = BY_KEY.get(key);
        if (p == null) {
            String hint = closest(key);
            throw new ConfigException(source + ": unknown key '" + key + "'"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                    + "; 'nestwalk params' lists every key");
        }
        return p;
    }

    static boolean isKnown(String key) {
        return BY_KEY.containsKey(key);
    }

    private static String closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : BY_KEY.keySet()) {
            int d = distance(key.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Names of all keys, for listings. */
    public static List<String> keys() {
        return new ArrayList<>(BY_KEY.keySet());
    }

}
