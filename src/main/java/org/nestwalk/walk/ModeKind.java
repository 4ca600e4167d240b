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
    NATIVE("native", false, NativeMode::new),
    /** Hardware-assisted 2D walk (AMD NPT / Intel EPT) with PWC and NTLB. */
    NESTED("nested", true, NestedMode::new),
    /** The 2D walk with a flat nested table: one reference per nested translation, at most 9 per walk. */
    FLAT_NESTED("flat-nested", true, FlatNestedMode::new),
    /** Shadow paging: a native walk of a hypervisor-maintained gVA to sPA table, kept in sync by VM exits. */
    SHADOW("shadow", true, ShadowMode::new),
    /** Speculative inverted shadow paging: one ISPT reference, verified by a flat-nested walk off the critical path. */
    SPEC_SHADOW("spec-shadow", true, SpecShadowMode::new);

    private final String label;
    private final boolean virtualized;
    private final Function<ModeParts, TranslationMode> factory;

    ModeKind(String label, boolean virtualized, Function<ModeParts, TranslationMode> factory) {
        this.label = label;
        this.virtualized = virtualized;
        this.factory = factory;
    }

    public String label() {
        return label;
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
