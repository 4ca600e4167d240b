package org.nestwalk.config;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named machines: sets of parameter values that describe a processor's translation hardware as a whole, applied
 * before the workload's preset and the user's own settings (which may still change any of them). The default
 * machine, with no preset, is the 2012-era one of DESIGN.md; each value of a preset says where it comes from.
 */
public final class MachinePresets {
    /** One value of a preset and its source. */
    public record Value(String key, String value, String source) {
    }

    /** A named machine: what it models and its values. */
    public record Preset(String name, String description, List<Value> values) {
        public Preset {
            values = List.copyOf(values);
        }
    }

    private static final List<Preset> ALL = List.of(
            new Preset("modern", "today's translation hardware: Intel-style split paging-structure caches, a"
                    + " 2048-entry L2 TLB and four page walkers; caches, DRAM and the rest stay at their defaults",
                    List.of(
                            new Value("pwc.kind", "intel", "paging-structure caches per level tagged by address"
                                    + " prefix, as Intel processors may implement them (Intel SDM vol. 3, 4.10.3;"
                                    + " under EPT also for the nested dimension, 29.4)"),
                            new Value("pwc.levelEntries", "32", "Intel publishes no size; 32 per level as in"
                                    + " Virtuoso's configurations (assumed)"),
                            new Value("pwc.levelWays", "4", "as in Virtuoso's configurations (assumed)"),
                            new Value("tlb.l1.entries", "64", "L1 dTLB of Intel's Skylake core: 64"
                                    + " entries, 4-way, for 4 KiB pages (Intel optimization reference manual)"),
                            new Value("tlb.l1.ways", "4", "the same"),
                            new Value("tlb.l1.entries2m", "32", "and 32 entries, 4-way, for 2 MiB pages (the same)"),
                            new Value("tlb.l1.ways2m", "4", "the same"),
                            new Value("tlb.l2.entries", "2048", "second-level TLB of 2048 entries, as in Intel's"
                                    + " Sunny Cove and Golden Cove and AMD's Zen 2 (AMD's optimization guide:"
                                    + " 2048 entries, 12-way, 4 KiB and 2 MiB pages)"),
                            new Value("tlb.l2.ways", "8", "8 ways: this model indexes sets by a power of two, so"
                                    + " Zen 2's 12 ways cannot be had (assumed)"),
                            new Value("tlb.l2.entries2m", "1024", "modern L2 TLBs hold 2 MiB pages in the same"
                                    + " array; this model keeps them apart, so 1024 entries are set aside for them"
                                    + " (assumed)"),
                            new Value("tlb.l2.ways2m", "8", "(assumed)"),
                            new Value("tlb.l2.latency", "12", "cycles of an L2 TLB hit as in Virtuoso's"
                                    + " configurations, CMU-SAFARI/Virtuoso common_translation.cfg (a simulator's"
                                    + " setting, not a measurement) (assumed)"),
                            new Value("mmu.walkers", "4", "Intel's Golden Cove core has four page walkers, up"
                                    + " from two since Broadwell (Intel Architecture Day 2021); Virtuoso's"
                                    + " virtualized machine also has 4"))));

    private MachinePresets() {
    }

    public static List<Preset> all() {
        return ALL;
    }

    /** The preset called {@code name}; a {@link ConfigException} naming the known ones otherwise. */
    public static Preset get(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Preset p : ALL) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new ConfigException("unknown machine '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return ALL.stream().map(Preset::name).collect(Collectors.joining(", "));
    }

    /** {@code base} with the preset's values applied, each marked as coming from it. */
    public static Settings apply(Settings base, String name) {
        Preset p = get(name);
        Settings s = base;
        for (Value v : p.values()) {
            s = s.with(v.key(), v.value(), "machine preset '" + p.name() + "'");
        }
        return s;
    }
}
