package org.nestwalk.tlb;

/**
 * The Intel-style paging-structure caches of one dimension: one set-associative cache per upper level.
 *
 * @param entries entries of each level's cache (0: walks use the AMD-style page walk cache instead)
 * @param ways    associativity of each level's cache
 * @param latency cycles of a probe of all levels at once
 */
public record PagingStructureCacheConfig(int entries, int ways, int latency) {
}
