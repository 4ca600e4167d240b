package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.workload.OsEvent;

/**
 * The privileged work a vCPU does for the program it runs: the guest OS's handlers (a page fault, a system call, the
 * timer interrupt) and, beneath them, the hypervisor's VM exits. The {@link Kernel} describes each entry's work; this
 * times it on the vCPU, as real handlers run on the CPU they interrupted: a chain of compute steps and page-table
 * references through the vCPU's caches and the memory controller. Every step's cycles are charged to the guest OS or
 * to the VM exit cause it belongs to, and the vCPU is told when the work has ended.
 */
final class Privileged {
    /** Told when the work of a kernel entry has ended. */
    @FunctionalInterface
    interface Listener {
        /** The work has ended at {@code end} (possibly inline, from within the call that entered the kernel). */
        void handled(long end);
    }

    private final Kernel kernel;
    private final CacheHierarchy caches;
    private final AccessChain chain;
    private final HandlerWork work = new HandlerWork();
    private final CoreCounters n;
    private final Listener listener;
    private final AccessChain.Listener done = this::done;
    private final Scheduler scheduler;
    /** The VM's shadow lock, or null (one vCPU, or no lock modelled). */
    private ShadowLock lock;
    private int cpu;
    private final Action granted = this::granted;
    /** Whether this entry's work holds the shadow lock. */
    private boolean holding;
    /** The account a wait for the lock is charged to: the first shadow exit of the work's. */
    private int lockAccount;
    private Timeline timeline = Timeline.NONE;
    private long start;
    /** Whether the work is done functionally (sampled simulation's warming): its state effects, not its time. */
    private boolean untimed;

    Privileged(Kernel kernel, CacheHierarchy caches, Scheduler scheduler, MemoryController memory, CoreCounters n,
               Listener listener) {
        this.kernel = kernel;
        this.scheduler = scheduler;
        this.caches = caches;
        this.chain = new AccessChain(scheduler, memory);
        this.n = n;
        this.listener = listener;
    }

    /** The hypervisor's shadow work of this vCPU ({@code c}) is serialized by {@code l}. */
    void useLock(ShadowLock l, int c) {
        this.lock = l;
        this.cpu = c;
    }

    void recordTo(Timeline t) {
        this.timeline = t;
    }

    /**
     * With {@code functional}, an entry does its work at once and returns: the kernel changes what it changes, the
     * handler's page-table references go through the caches, and no time passes and no listener is told.
     */
    void functional(boolean functional) {
        this.untimed = functional;
    }

    /** The timer interrupt, taken at {@code at}. */
    void timerInterrupt(long at) {
        n.interrupts++;
        work.reset();
        kernel.timerInterrupt(work);
        run(at);
    }

    /** An inter-processor interrupt (a TLB shootdown's), taken at {@code at}. */
    void interProcessorInterrupt(long at) {
        work.reset();
        kernel.interProcessorInterrupt(work);
        run(at);
    }

    /**
     * An inter-processor interrupt handled at {@code at} beside a wait (see {@link VCpu#handleInterruptAside}): its
     * state effects and exits now, its end computed from its steps, the cache levels its references reach taken as
     * hits of the first level (they are a few entries of the TLB-maintenance path).
     */
    long interProcessorInterruptAside(long at) {
        work.reset();
        kernel.interProcessorInterrupt(work);
        work.resolve(caches);
        for (ExitCause c : ExitCause.values()) {
            n.exits[c.ordinal()] += work.exits(c);
        }
        return at + work.computeCycles();
    }

    /** The program's system call for {@code event}, at {@code at}. */
    void systemCall(OsEvent event, long at) {
        n.systemCalls++;
        work.reset();
        kernel.systemCall(event, work);
        run(at);
    }

    /** A guest page fault on {@code va} (a store if {@code write}), taken at {@code at}. */
    void pageFault(long va, boolean write, long at) {
        n.pageFaults++;
        work.reset();
        kernel.pageFault(va, write, work);
        run(at);
    }

    /** A nested page fault on guest-physical {@code gpa}, taken at {@code at}. */
    void nestedFault(long gpa, long at) {
        work.reset();
        kernel.nestedFault(gpa, work);
        run(at);
    }

    private void run(long at) {
        work.resolve(caches);
        if (untimed) {
            for (ExitCause c : ExitCause.values()) {
                n.exits[c.ordinal()] += work.exits(c);
            }
            return;
        }
        if (lock != null) {
            int account = shadowAccount();
            if (account >= 0) {
                lockAccount = account;
                if (!lock.acquire(cpu, at, granted)) {
                    // The handler spins in the hypervisor until the holder releases it (granted).
                    return;
                }
                holding = true;
            }
        }
        start = at;
        chain.run(at, work, done);
    }

    /** The shadow lock is this vCPU's now, after a wait charged to the exit that asked for it. */
    private void granted() {
        long at = scheduler.now();
        n.exitCycles[lockAccount - 1] += at - lock.waitingSince(cpu);
        holding = true;
        start = at;
        chain.run(at, work, done);
    }

    /** The account of the first step of the work that is shadow-paging work of the hypervisor's, or -1. */
    private int shadowAccount() {
        for (int i = 0; i < work.count(); i++) {
            ExitCause c = work.causeOf(i);
            if (c != null && c != ExitCause.IPI && c != ExitCause.NESTED_FAULT) {
                return work.accountOf(i);
            }
        }
        return -1;
    }

    private void done(long end) {
        timeline.handler(work, start, end);
        long previous = start;
        for (int i = 0; i < work.count(); i++) {
            long d = work.endOf(i) - previous;
            previous = work.endOf(i);
            int account = work.accountOf(i);
            if (account == HandlerWork.GUEST_OS) {
                n.guestOsCycles += d;
            } else {
                n.exitCycles[account - 1] += d;
            }
        }
        for (ExitCause c : ExitCause.values()) {
            n.exits[c.ordinal()] += work.exits(c);
        }
        if (holding) {
            holding = false;
            lock.release(cpu, end);
        }
        listener.handled(end);
    }
}
