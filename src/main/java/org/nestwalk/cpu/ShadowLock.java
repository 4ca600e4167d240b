package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * The lock that serializes a VM's shadow-paging work in the hypervisor (Xen's per-domain paging lock, taken by the
 * shadow fault handler, page-table write emulation, INVLPG and CR3 handling, and resynchronization): one vCPU at a
 * time; the others queue, first come first served, and wait. A resource in the simulation's sense: who holds it,
 * who waits, and how long each waited are statistics per vCPU.
 *
 * <p>A waiter is granted the lock by an event at the holder's release, the moment the waiter's handler may go on:
 * that is the interaction between the two vCPUs.
 */
public final class ShadowLock {
    private final Scheduler scheduler;
    private final Action[] waiters;
    private final long[] waitingSince;
    /** The queue of waiting vCPUs, a ring of their indexes. */
    private final int[] queue;
    private int head;
    private int queued;
    private int holder = -1;
    private long acquiredAt;
    private final long[] acquisitions;
    private final long[] contended;
    private final long[] waitCycles;
    private final long[] holdCycles;

    public ShadowLock(Scheduler scheduler, int vcpus) {
        this.scheduler = scheduler;
        waiters = new Action[vcpus];
        waitingSince = new long[vcpus];
        queue = new int[vcpus];
        acquisitions = new long[vcpus];
        contended = new long[vcpus];
        waitCycles = new long[vcpus];
        holdCycles = new long[vcpus];
    }

    /**
     * vCPU {@code c} asks for the lock at {@code at}. Returns true if it has it now; otherwise it is queued, and
     * {@code granted} runs at the time it gets it.
     */
    public boolean acquire(int c, long at, Action granted) {
        if (holder == c) {
            throw new IllegalStateException("vCPU " + c + " already holds the shadow lock");
        }
        if (holder < 0) {
            holder = c;
            acquiredAt = at;
            acquisitions[c]++;
            return true;
        }
        contended[c]++;
        waiters[c] = granted;
        waitingSince[c] = at;
        queue[(head + queued) % queue.length] = c;
        queued++;
        return false;
    }

    /** The holder {@code c} releases the lock at {@code at}: the first waiter, if any, has it from then. */
    public void release(int c, long at) {
        if (holder != c) {
            throw new IllegalStateException("vCPU " + c + " releases a shadow lock it does not hold");
        }
        holdCycles[c] += at - acquiredAt;
        if (queued == 0) {
            holder = -1;
            return;
        }
        int next = queue[head];
        head = (head + 1) % queue.length;
        queued--;
        holder = next;
        // A waiter that asked after this release (its clock ahead of the holder's) gets it at its own time.
        long grant = Math.max(at, waitingSince[next]);
        acquiredAt = grant;
        acquisitions[next]++;
        waitCycles[next] += grant - waitingSince[next];
        long when = Math.max(grant, scheduler.now());
        scheduler.scheduleFrom(Math.max(scheduler.now(), at), when, waiters[next]);
    }

    /** The time the current waiter of vCPU {@code c} began to wait (valid in its grant). */
    public long waitingSince(int c) {
        return waitingSince[c];
    }

    public long acquisitions(int c) {
        return acquisitions[c];
    }

    /** Acquisitions of vCPU {@code c} that found the lock held and waited. */
    public long contended(int c) {
        return contended[c];
    }

    /** Cycles vCPU {@code c} waited for the lock. */
    public long waitCycles(int c) {
        return waitCycles[c];
    }

    /** Cycles vCPU {@code c} held it. */
    public long holdCycles(int c) {
        return holdCycles[c];
    }
}
