package org.nestwalk.tlb;

/**
 * One level of the data TLB: separate set-associative arrays for 4 KiB and 2 MiB translations, LRU.
 *
 * @param entries4k entries of the 4 KiB array (0: none)
 * @param ways4k    its associativity
 * @param entries2m entries of the 2 MiB array (0: none)
 * @param ways2m    its associativity
 * @param latency   cycles of a lookup at this level
 */
public record TlbLevelConfig(int entries4k, int ways4k, int entries2m, int ways2m, int latency) {
}
