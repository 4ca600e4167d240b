package org.nestwalk.walk;

/** When a walker starts the walk that verifies a speculative translation ({@code spec.verify}). */
public enum VerifyTiming {
    /**
     * Together with the probe of the inverted shadow page table: the walker issues the probe's line and the
     * walk's first reference at once. A probe hit gives the speculative translation when its line is back; a miss
     * costs the walk alone.
     */
    PARALLEL,
    /** After the probe's line is back: the probe and the walk form one chain (nestwalk before 0.2). */
    AFTER_PROBE
}
