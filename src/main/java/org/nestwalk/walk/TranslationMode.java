package org.nestwalk.walk;

/**
 * A way of translating a virtual machine's addresses (DESIGN.md section 3): given the vCPU's registers and the page
 * tables, it produces the walk for a TLB miss. This is the functional part only: which entries are referenced, in
 * what order, what they contain and what served them (PWC, NTLB, a cache level or DRAM), updating the walk caches
 * as the hardware would. How long the walk takes is the {@link PageWalker}'s business.
 *
 * <p>One implementation per mode; adding a mode touches only its own class and its line in {@link ModeKind}.
 */
public interface TranslationMode {
    /** The mode's name as users write it ("native", "nested", ...). */
    String name();

    /**
     * Walks for {@code va} and records every step and the outcome into {@code trace} (already reset for {@code va}).
     */
    void walk(long va, boolean write, WalkTrace trace);
}
