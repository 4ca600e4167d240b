package org.nestwalk.walk;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of translation modes: each name maps to the constructor of its {@link TranslationMode}, and says
 * whether it runs a VM (and so needs a hypervisor and nested tables).
 */
public enum ModeKind {
    /** A process on bare metal: one 4-level walk, no VM. */
    NATIVE("native", false, NativeMode::new, "a process on bare metal: one radix walk, 4 references (5 with LA57)"),
    /** Hardware-assisted 2D walk (AMD NPT / Intel EPT) with PWC and NTLB. */
    NESTED("nested", true, NestedMode::new, "the 2D walk (AMD NPT / Intel EPT) with the walk caches and the NTLB:"
            + " up to 24 references (35 with 5 levels in both dimensions)"),
    /** The 2D walk with a flat nested table: one reference per nested translation, at most 9 per walk. */
    FLAT_NESTED("flat-nested", true, FlatNestedMode::new, "the 2D walk over a flat nested table (Ahn et al. 2012):"
            + " one reference per nested translation, up to 9"),
    /** Shadow paging: a native walk of a hypervisor-maintained gVA to sPA table, kept in sync by VM exits. */
    SHADOW("shadow", true, ShadowMode::new, "shadow paging: a native walk of a gVA to sPA table the hypervisor keeps"
            + " in sync through VM exits, up to 4 references"),
    /** Speculative inverted shadow paging: one ISPT reference, verified by a flat-nested walk off the critical path. */
    SPEC_SHADOW("spec-shadow", true, SpecShadowMode::new, "speculative inverted shadow paging (Ahn et al. 2012): one"
            + " ISPT reference, verified by a flat-nested walk off the critical path");

    private final String label;
    private final boolean virtualized;
    private final Function<ModeParts, TranslationMode> factory;
    private final String description;

    ModeKind(String label, boolean virtualized, Function<ModeParts, TranslationMode> factory, String description) {
        this.label = label;
        this.virtualized = virtualized;
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
