package org.nestwalk.workload;

/** How a synthetic workload chooses the address of its next data reference. */
public enum AccessPattern {
    /** Every 8-byte word of the footprint equally likely, independently: the worst case for every cache. */
    UNIFORM,
    /** Ascending addresses with a fixed stride, wrapping at the end of the footprint. */
    STREAM,
    /** Pages chosen by a Zipf law over page popularity ranks (hot pages scattered through the footprint). */
    ZIPF,
    /** Each reference loads the address of the next from a random cyclic permutation of the footprint's lines. */
    CHASE
}
