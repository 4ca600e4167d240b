package org.nestwalk.cpu;

/**
 * The out-of-order core a vCPU runs on, reduced to what the timing model needs (DESIGN.md section 5).
 *
 * @param baseCpi   cycles per instruction when no access misses the L1 data cache or TLB
 * @param mlp       memory-level parallelism: DRAM data misses the core can have in flight; cache hits below the
 *                  L1 stall for their latency divided by this
 * @param robWindow instructions the core may execute past its oldest unfinished instruction (a DRAM miss, or a
 *                  reference whose translation is not yet known or not yet verified) before the reorder buffer
 *                  fills
 * @param quantum   cycles the vCPU may run inline before it yields to the event list; a simulation artefact that
 *                  bounds how long other entities wait to observe it, not a hardware property (results do not
 *                  depend on it)
 * @param squashPenalty cycles to squash and restart after a mis-speculated translation
 * @param walkOverlap what the core does while a walk is outstanding
 */
public record CoreConfig(double baseCpi, int mlp, int robWindow, long quantum, int squashPenalty,
                         WalkOverlap walkOverlap) {
    public CoreConfig {
        if (!(baseCpi > 0) || mlp <= 0 || robWindow <= 0 || quantum <= 0 || squashPenalty < 0) {
            throw new IllegalArgumentException("core parameters must be positive");
        }
        if (walkOverlap == null) {
            throw new IllegalArgumentException("the core needs a walk-overlap rule");
        }
    }
}
