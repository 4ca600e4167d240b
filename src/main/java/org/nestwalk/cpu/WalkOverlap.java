package org.nestwalk.cpu;

/**
 * What the out-of-order core does while one of its references waits for a page walk: one rule for every
 * translation mode ({@code core.walkOverlap}).
 */
public enum WalkOverlap {
    /**
     * The reference that missed the TLB waits for its translation, and the core runs on past it: younger
     * references that hit the TLB proceed within the reorder buffer ({@code core.robWindow} instructions past the
     * oldest unfinished one) and the miss registers ({@code core.mlp}); a younger TLB miss starts its own walk on a
     * free walker or queues for one; a load that depends on an unfinished one waits. A walk that ends in a fault
     * squashes the work done past the faulting reference, as the exception is taken in program order.
     */
    ROB,
    /**
     * The core stops at every TLB miss until the translation is there, speculative or not: the machine of
     * nestwalk before this rule existed, reproduced bit for bit with one walker.
     */
    NONE
}
