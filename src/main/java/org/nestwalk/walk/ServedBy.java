package org.nestwalk.walk;

import org.nestwalk.memory.MemoryLevel;

/** What answered one step of a walk. Only the cache levels and DRAM count as memory references. */
public enum ServedBy {
    /** The page walk cache held the entry: no memory reference. */
    PWC,
    /** The nested TLB held the whole nested translation: no memory reference. */
    NTLB,
    L1,
    L2,
    LLC,
    DRAM;

    private static final ServedBy[] OF_LEVEL = {L1, L2, LLC, DRAM};
    /** {@code MemoryLevel.values()} makes a new array on every call; the walker asks once per entry it reads. */
    private static final MemoryLevel[] LEVELS = MemoryLevel.values();

    /** Whether this step read memory (through the cache hierarchy). */
    public boolean isMemoryReference() {
        return this != PWC && this != NTLB;
    }

    public static ServedBy of(MemoryLevel level) {
        return OF_LEVEL[level.ordinal()];
    }

    /** The cache level this step was served by; only for memory references. */
    public MemoryLevel memoryLevel() {
        return LEVELS[ordinal() - L1.ordinal()];
    }
}
