package org.nestwalk.memory;

/** Where in the memory hierarchy an access was served. */
public enum MemoryLevel {
    L1, L2, LLC, DRAM
}
