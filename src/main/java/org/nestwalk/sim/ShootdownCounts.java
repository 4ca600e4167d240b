package org.nestwalk.sim;

/**
 * One vCPU's part in TLB shootdowns.
 *
 * @param initiated  shootdowns it initiated (one per kernel entry that changed an address space other vCPUs run)
 * @param waitCycles cycles it waited for their acknowledgements
 * @param ipisSent   IPIs it sent (one per target vCPU of each shootdown)
 * @param ipisTaken  IPI handlers it ran for other vCPUs' shootdowns
 */
public record ShootdownCounts(long initiated, long waitCycles, long ipisSent, long ipisTaken) {
    /** A vCPU alone: none. */
    public static final ShootdownCounts NONE = new ShootdownCounts(0, 0, 0, 0);

    public ShootdownCounts minus(ShootdownCounts e) {
        return new ShootdownCounts(initiated - e.initiated, waitCycles - e.waitCycles, ipisSent - e.ipisSent,
                ipisTaken - e.ipisTaken);
    }

    public ShootdownCounts plus(ShootdownCounts e) {
        return new ShootdownCounts(initiated + e.initiated, waitCycles + e.waitCycles, ipisSent + e.ipisSent,
                ipisTaken + e.ipisTaken);
    }

    /** Mean cycles an initiator waited per shootdown (0 without any). */
    public double cyclesPerShootdown() {
        return initiated == 0 ? 0 : (double) waitCycles / initiated;
    }
}
