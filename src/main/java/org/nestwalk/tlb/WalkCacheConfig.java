package org.nestwalk.tlb;

/**
 * A small fully associative translation cache consulted during walks: the page walk cache or the nested TLB.
 *
 * @param entries number of entries (0: the structure is absent)
 * @param latency cycles of a probe
 */
public record WalkCacheConfig(int entries, int latency) {
}
