package org.nestwalk.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The named synthetic workloads. Each is a set of {@code workload.*} settings that the user may still override. The
 * "-like" presets are stand-ins for the program classes the paper studies, built from this simulator's generators;
 * their parameters are assumptions, not measurements of those programs. Each description names the measured program
 * of the workload suite (results/workload-suite/: L2 TLB misses per thousand instructions, native, default machine,
 * and the footprint) it stands in for, beside the preset's own figure measured the same way (native, 1.5 M
 * references after 0.5 M of warm-up, seed 1).
 */
public final class Presets {
    private static final List<Preset> ALL = List.of(
            preset("random", "TLB-hungry: uniform random 8-byte words over 1 GiB (GUPS-like); 333 L2 TLB misses per 1k"
                            + " instructions, above every measured program (the suite's gups over 1 GiB: 52.5)",
                    "workload.pattern", "uniform", "workload.footprint", "1GiB", "workload.writeFraction", "0.3"),
            preset("stream", "TLB-friendly: a sequential 8-byte sweep over 256 MiB; 0.65 L2 TLB misses per 1k"
                            + " instructions (the suite's least TLB-bound program, SQLite lookups over 1.06 GiB: 0.2)",
                    "workload.pattern", "stream", "workload.footprint", "256MiB", "workload.stride", "8",
                    "workload.writeFraction", "0.3"),
            preset("zipf", "hot set: Zipf(0.99) page popularity over 1 GiB; 211 L2 TLB misses per 1k instructions, like"
                            + " no measured program (the suite's Redis, uniform over 1.14 GiB of keys: 1.3)",
                    "workload.pattern", "zipf", "workload.footprint", "1GiB", "workload.zipfExponent", "0.99",
                    "workload.writeFraction", "0.3"),
            preset("chase", "pointer chase: dependent loads through one random cycle of the lines of 256 MiB; 331 L2 TLB"
                            + " misses per 1k instructions (the suite's chase over 1 GiB: 250)",
                    "workload.pattern", "chase", "workload.footprint", "256MiB", "workload.writeFraction", "0"),
            preset("gups", "TLB-hungry, few page-table updates: random read-modify-write of 8-byte words over 2 GiB"
                            + " (HPC Challenge RandomAccess); stands in for the suite's gups (1 GiB, 52.5 L2 TLB"
                            + " misses per 1k instructions; this preset: 250)",
                    "workload.pattern", "uniform", "workload.footprint", "2GiB", "workload.writeFraction", "0.5",
                    "workload.instructionsPerRef", "4"),
            preset("mcf-like", "TLB-hungry, few page-table updates: pointer chasing through 1 GiB with some stores"
                            + " (a stand-in for SPEC's mcf); stands in for the suite's chase (1 GiB, 250 L2 TLB"
                            + " misses per 1k instructions; this preset: 200)",
                    "workload.pattern", "chase", "workload.footprint", "1GiB", "workload.writeFraction", "0.1",
                    "workload.instructionsPerRef", "5"),
            preset("canneal-like", "TLB-hungry, few page-table updates: skewed random swaps over 1 GiB (a stand-in"
                            + " for PARSEC's canneal); stands in for the suite's canneal (1.16 GiB, 50 L2 TLB misses"
                            + " per 1k instructions; this preset: 166)",
                    "workload.pattern", "zipf", "workload.footprint", "1GiB", "workload.zipfExponent", "0.5",
                    "workload.writeFraction", "0.25", "workload.instructionsPerRef", "6"),
            preset("gcc-like", "page-table-update-heavy: a driver keeps two short compiler-like programs running,"
                            + " each demand-paging 32 MiB and churning 1 MiB mappings; 181 L2 TLB misses per 1k"
                            + " instructions; no measured program is like it (the suite's windows update no page"
                            + " table; GCC's cc1 in results/real-workloads: 0.05)",
                    "workload.pattern", "zipf", "workload.footprint", "32MiB", "workload.zipfExponent", "0.9",
                    "workload.writeFraction", "0.35", "workload.prefault", "false", "workload.lifetime", "400000",
                    "workload.concurrency", "2", "workload.mmapEvery", "50000", "workload.mmapSize", "1MiB"),
            preset("fork-heavy", "page-table-update-heavy: a program over 64 MiB forks a short-lived child every"
                            + " 200,000 references; both break copy-on-write sharing as they store; 204 L2 TLB misses"
                            + " per 1k instructions; no measured program is like it (the suite's windows update no"
                            + " page table)",
                    "workload.pattern", "zipf", "workload.footprint", "64MiB", "workload.zipfExponent", "0.9",
                    "workload.writeFraction", "0.3", "workload.forkEvery", "200000",
                    "workload.childReferences", "20000"));

    private Presets() {
    }

    public static List<Preset> all() {
        return ALL;
    }

    /** The preset called {@code name}; an {@link IllegalArgumentException} listing the known ones otherwise. */
    public static Preset get(String name) {
        for (Preset p : ALL) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return ALL.stream().map(Preset::name).collect(Collectors.joining(", "));
    }

    private static Preset preset(String name, String description, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return new Preset(name, description, m);
    }
}
