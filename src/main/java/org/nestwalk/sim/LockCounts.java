package org.nestwalk.sim;

/**
 * One vCPU's use of a lock (the VM's shadow lock).
 *
 * @param acquisitions times it took the lock
 * @param contended    of which it found the lock held and waited
 * @param waitCycles   cycles it waited
 * @param holdCycles   cycles it held the lock
 */
public record LockCounts(long acquisitions, long contended, long waitCycles, long holdCycles) {
    /** No lock: nothing. */
    public static final LockCounts NONE = new LockCounts(0, 0, 0, 0);

    public LockCounts minus(LockCounts e) {
        return new LockCounts(acquisitions - e.acquisitions, contended - e.contended, waitCycles - e.waitCycles,
                holdCycles - e.holdCycles);
    }

    public LockCounts plus(LockCounts e) {
        return new LockCounts(acquisitions + e.acquisitions, contended + e.contended, waitCycles + e.waitCycles,
                holdCycles + e.holdCycles);
    }

    /** Mean cycles waited per acquisition (0 without any). */
    public double waitPerAcquisition() {
        return acquisitions == 0 ? 0 : (double) waitCycles / acquisitions;
    }
}
