package org.nestwalk.walk;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of translation modes: each name maps to the constructor of its {@link TranslationMode}, and says
 * whether it runs a VM (and so needs a hypervisor and nested tables).
 */
public enum ModeKind {
    /** A process on bare metal: one 4-level walk, no VM. */
    NATIVE("native", false, true, NativeMode::new,
            "a process on bare metal: one radix walk, 4 references (5 with LA57)"),
    /** Hardware-assisted 2D walk (AMD NPT / Intel EPT) with PWC and NTLB. */
    NESTED("nested", true, true, NestedMode::new,
            "the 2D walk (AMD NPT / Intel EPT) with the walk caches and the NTLB: up to 24 references (35 with 5"
                    + " levels in both dimensions)"),
    /** The 2D walk with a flat nested table: one reference per nested translation, at most 9 per walk. */
    FLAT_NESTED("flat-nested", true, true, FlatNestedMode::new,
            "the 2D walk over a flat nested table (Ahn et al. 2012): one reference per nested translation, up to 9"),
    /** Shadow paging: a native walk of a hypervisor-maintained gVA to sPA table, kept in sync by VM exits. */
    SHADOW("shadow", true, true, ShadowMode::new,
            "shadow paging: a native walk of a gVA to sPA table the hypervisor keeps in sync through VM exits, up to 4"
                    + " references"),
    /** Speculative inverted shadow paging: one ISPT reference, verified by a flat-nested walk off the critical path. */
    SPEC_SHADOW("spec-shadow", true, true, SpecShadowMode::new,
            "speculative inverted shadow paging (Ahn et al. 2012): one ISPT reference, verified by a flat-nested walk"
                    + " off the critical path"),
    /** The 2D walk whose nested dimension is a d-way cuckoo hash table, its d lines read together. */
    HASHED_NESTED("hashed-nested", true, false, HashedNestedMode::new,
            "the 2D walk over a hashed nested dimension (nested elastic cuckoo page tables, Stojkovic et al. 2022):"
                    + " each nested translation reads the d ways of a cuckoo table at once, 4 + 5d references in 9"
                    + " dependent steps"),
    /** A part-of-memory TLB probed before the 2D walk. */
    POM_TLB("pom-tlb", true, false, PomTlbMode::new,
            "a part-of-memory TLB (Ryoo et al. 2017) probed before the 2D walk: a hit is one reference through the"
                    + " caches and no walk, a miss the probe and the 2D walk"),
    /** Agile paging: the shadow walk, switching to the nested walk below the pages the guest writes often. */
    AGILE("agile", true, false, AgileMode::new,
            "agile paging (Gandhi et al. 2016): the walk starts in the shadow table and"
            + " switches to the 2D walk at the guest page-table pages the hypervisor moved to nested mode because"
            + " the guest writes them often: 4 references with every level shadowed, 8 with the leaf table nested,"
            + " 24 with every level nested");

    private final String label;
    private final boolean virtualized;
    private final boolean quick;
    private final Function<ModeParts, TranslationMode> factory;
    private final String description;

    ModeKind(String label, boolean virtualized, boolean quick, Function<ModeParts, TranslationMode> factory,
             String description) {
        this.label = label;
        this.virtualized = virtualized;
        this.quick = quick;
        this.factory = factory;
        this.description = description;
    }

    public String label() {
        return label;
    }

    /** What the mode does on a TLB miss, in a line. */
    public String description() {
        return description;
    }

    /** Whether the guest runs in a VM under the hypervisor. */
    public boolean virtualized() {
        return virtualized;
    }

    /**
     * Whether {@code nestwalk run} compares the mode when no {@code --mode} is given: the paper's five. The schemes
     * that came after are left out so that {@code run --quick} stays within seconds (experiments/schemes.yaml compares
     * them all).
     */
    public boolean inDefaultComparison() {
        return quick;
    }

    /** The modes {@code nestwalk run} compares by default. */
    public static List<ModeKind> defaultComparison() {
        return Arrays.stream(values()).filter(ModeKind::inDefaultComparison).toList();
    }

    public TranslationMode create(ModeParts parts) {
        return factory.apply(parts);
    }

    /** The mode called {@code name}; an {@link IllegalArgumentException} listing the known ones otherwise. */
    public static ModeKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ModeKind k : values()) {
            if (k.label.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "' (expected one of " + labels() + ")");
    }

    /** All mode names, comma-separated. */
    public static String labels() {
        return Arrays.stream(values()).map(ModeKind::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
