package org.nestwalk.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The named synthetic workloads. Each is a set of {@code workload.*} settings that the user may still override. */
public final class Presets {
    private static final List<Preset> ALL = List.of(
            preset("random", "TLB-hungry: uniform random 8-byte words over 1 GiB (GUPS-like)",
                    "workload.pattern", "uniform", "workload.footprint", "1GiB", "workload.writeFraction", "0.3"),
            preset("stream", "TLB-friendly: a sequential 8-byte sweep over 256 MiB",
                    "workload.pattern", "stream", "workload.footprint", "256MiB", "workload.stride", "8",
                    "workload.writeFraction", "0.3"),
            preset("zipf", "hot set: Zipf(0.99) page popularity over 1 GiB",
                    "workload.pattern", "zipf", "workload.footprint", "1GiB", "workload.zipfExponent", "0.99",
                    "workload.writeFraction", "0.3"),
            preset("chase", "pointer chase: dependent loads through one random cycle of the lines of 256 MiB",
                    "workload.pattern", "chase", "workload.footprint", "256MiB", "workload.writeFraction", "0"));

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
