package org.nestwalk.cpu;

/**
 * Decides, phase after phase, how the vCPU runs its references: in detail (timed, as always), or functionally
 * (sampled simulation's warming: every translation, walk-cache, cache, page-table, guest-OS and hypervisor state
 * kept exact, but no timing model, no walker, no memory controller). A phase ends at a reference count; the vCPU
 * then lets everything in flight settle and asks for the next one.
 */
public interface PhaseControl {
    /**
     * A phase.
     *
     * @param functional whether the references are run functionally
     * @param until      the reference count at which the phase ends (Long.MAX_VALUE: the run's end)
     * @param cpi        in a functional phase, cycles the clock advances per instruction, so that time-driven
     *                   events (the guest's timer) come about when they would; ignored in a detailed phase
     */
    record Phase(boolean functional, long until, double cpi) {
        public Phase {
            if (functional && !(cpi > 0)) {
                throw new IllegalArgumentException("a functional phase needs a positive cycles-per-instruction");
            }
        }
    }

    /**
     * The phase that begins now, after {@code references} references, at cycle {@code time}, nothing in flight;
     * null to stop the vCPU here (the run has what it needs).
     */
    Phase begin(long references, long time);
}
