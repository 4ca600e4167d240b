package org.nestwalk.cpu;

import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryClient;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.sim.Action;
import org.nestwalk.sim.Scheduler;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.ReferenceBuffer;
import org.nestwalk.workload.ReferenceStream;

/**
 * A virtual CPU running a guest program, an entity. It consumes the program's references on a local clock:
 * instructions at the base CPI, TLB hits and cache hits inline, with no event and no allocation. It stops only where
 * something outside it must happen or may have happened:
 * <ul>
 * <li>a TLB miss: it asks the {@link PageWalker} for a walk and waits for it;</li>
 * <li>a fault ending that walk: the guest OS or the hypervisor does its work on this vCPU, then the walk repeats;</li>
 * <li>a DRAM data miss it cannot overlap: the core keeps up to {@code core.mlp} misses in flight and runs at most
 * {@code core.robWindow} instructions past the oldest; a dependent load waits for the load it depends on;</li>
 * <li>its horizon: the next pending event, or a quantum, whichever comes first. No other event can run before the
 * horizon, so running inline up to it is exact (see {@link Scheduler}).</li>
 * </ul>
 * Every cycle its clock advances is charged to one account of {@link VCpuStats}.
 *
 * <p>The horizon is checked before each reference; the few cycles of TLB and cache latency inside one reference may
 * carry its private state (TLB, L1, L2) slightly past it, but anything shared with another entity (a request to the
 * memory controller) is only ever made before the next event, or deferred to an event of its own.
 */
public final class VCpu implements PageWalker.Listener, MemoryClient {
    /** Told about the run's milestones, at the vCPU's time. */
    public interface Observer {
        /** The warm-up references have been completed. */
        void warmupEnded(long time);

        /** The last reference has completed and nothing is in flight. */
        void finished(long time);
    }

    private enum State { NEW, RUNNING, YIELDED, WALKING, HANDLING, WAITING, DONE }

    private enum Wait { NONE, ROB, SLOT, DEPENDENCY, DRAIN }

    private static final int BATCH = 4096;
    private static final MemoryLevel[] LEVELS = MemoryLevel.values();

    private final Scheduler scheduler;
    private final CoreConfig core;
    private final DataTlb tlb;
    private final CacheHierarchy caches;
    private final MemoryController memory;
    private final PageWalker walker;
    private final Registers registers;
    private final TrapHandler traps;
    private final ReferenceStream workload;
    private final Observer observer;
    private final AccessChain handlerChain;
    private final HandlerWork work = new HandlerWork();
    private final ReferenceBuffer refs = new ReferenceBuffer(BATCH);
    private final long referenceLimit;
    private final long warmupReferences;

    private final Action resume = this::resumeFromYield;
    private final AccessChain.Listener handlerDone = this::handlerDone;

    private State state = State.NEW;
    private Wait wait = Wait.NONE;
    private int pos;
    private int len;
    private boolean gapDone;

    /** Local clock, in cycles; never behind the scheduler's clock. */
    private long time;
    /**
     * Fractions of a cycle carried between advances, in units of 2^-16 cycle, so that a fractional CPI or a latency
     * divided by the MLP loses nothing over a run (binary fixed point: a shift, not a division, per reference).
     */
    private long fraction;
    private static final int FRACTION_BITS = 16;
    private static final long FRACTION_MASK = (1L << FRACTION_BITS) - 1;
    private final long cpiFixed;
    private final long[] stallFixed = new long[LEVELS.length];

    private final MissWindow misses;
    private long pendingMissAddress;
    private boolean pendingMissWrite;

    // The reference being translated or trapped on.
    private long walkVa;
    private boolean walkWrite;
    private long handlerStart;

    private volatile long progress;

    private long references;
    private long stores;
    private long instructions;
    private long walkRetries;
    private final long[] dataServed = new long[LEVELS.length];
    private long baseCycles;
    private long tlbCycles;
    private long walkCycles;
    private long dataStallCycles;
    private long guestOsCycles;
    private final long[] exitCycles = new long[ExitCause.values().length];
    private final long[] exits = new long[ExitCause.values().length];
    private long pageFaults;

    /**
     * @param referenceLimit   references to run
     * @param warmupReferences after how many references {@link Observer#warmupEnded} is called (0: never)
     */
    public VCpu(Scheduler scheduler, CoreConfig core, DataTlb tlb, CacheHierarchy caches, MemoryController memory,
                PageWalker walker, Registers registers, TrapHandler traps, ReferenceStream workload,
                long referenceLimit, long warmupReferences, Observer observer) {
        this.scheduler = scheduler;
        this.core = core;
        this.tlb = tlb;
        this.caches = caches;
        this.memory = memory;
        this.walker = walker;
        this.registers = registers;
        this.traps = traps;
        this.workload = workload;
        this.referenceLimit = referenceLimit;
        this.warmupReferences = warmupReferences;
        this.observer = observer;
        this.handlerChain = new AccessChain(scheduler, memory);
        this.cpiFixed = Math.round(core.baseCpi() * (1 << FRACTION_BITS));
        for (MemoryLevel level : new MemoryLevel[] {MemoryLevel.L2, MemoryLevel.LLC}) {
            stallFixed[level.ordinal()] = Math.round(caches.latency(level) * (double) (1 << FRACTION_BITS)
                    / core.mlp());
        }
        this.misses = new MissWindow(core, scheduler, memory, this);
    }

    /** Schedules the first event: the vCPU starts running at {@code at}. */
    public void startAt(long at) {
        if (state != State.NEW) {
            throw new IllegalStateException("the vCPU has already started");
        }
        state = State.YIELDED;
        scheduler.schedule(at, Scheduler.LATE, resume);
    }

    private void resumeFromYield() {
        time = Math.max(time, scheduler.now());
        state = State.RUNNING;
        run();
    }

    /** The fast path: references until something needs an event. */
    private void run() {
        long horizon = Math.min(scheduler.nextEventTime(), time + core.quantum());
        while (true) {
            if (pos == len) {
                if (references >= referenceLimit) {
                    drain();
                    return;
                }
                len = workload.fill(refs);
                pos = 0;
                if (len == 0) {
                    drain();
                    return;
                }
            }
            if (!gapDone) {
                int n = refs.instructions(pos);
                instructions += n;
                long x = fraction + n * cpiFixed;
                long cycles = x >>> FRACTION_BITS;
                fraction = x & FRACTION_MASK;
                time += cycles;
                baseCycles += cycles;
                gapDone = true;
            }
            if (time >= horizon) {
                yieldAt(time);
                return;
            }
            if (misses.robFull(instructions)) {
                block(Wait.ROB);
                return;
            }
            byte flags = refs.flags(pos);
            if ((flags & ReferenceBuffer.DEPENDENT) != 0 && misses.lastMissPending()) {
                block(Wait.DEPENDENCY);
                return;
            }
            long va = refs.address(pos);
            boolean write = (flags & ReferenceBuffer.WRITE) != 0;
            long pa = tlb.translate(va, registers.space());
            if (tlb.lastMissedL1()) {
                int c = tlb.l1MissLatency();
                time += c;
                tlbCycles += c;
            }
            if (pa == DataTlb.MISS) {
                walkVa = va;
                walkWrite = write;
                state = State.WALKING;
                walker.request(time, va, write, this);
                return;
            }
            int missesBefore = misses.outstanding();
            if (!dataAccess(pa, write)) {
                return;
            }
            completeReference(write);
            if (state != State.RUNNING) {
                return;
            }
            if (misses.outstanding() != missesBefore) {
                // The DRAM miss may have scheduled its completion before the old horizon.
                horizon = Math.min(horizon, scheduler.nextEventTime());
            }
        }
    }

    /** Accesses the data at {@code pa}; false if the vCPU had to stop (a DRAM miss with every slot busy). */
    private boolean dataAccess(long pa, boolean write) {
        MemoryLevel level = caches.access(pa);
        dataServed[level.ordinal()]++;
        switch (level) {
            case L1 -> {
                return true;
            }
            case L2, LLC -> {
                long x = fraction + stallFixed[level.ordinal()];
                long cycles = x >>> FRACTION_BITS;
                fraction = x & FRACTION_MASK;
                time += cycles;
                dataStallCycles += cycles;
                return true;
            }
            default -> {
                if (misses.full()) {
                    pendingMissAddress = pa;
                    pendingMissWrite = write;
                    block(Wait.SLOT);
                    return false;
                }
                issueMiss(pa, write);
                return true;
            }
        }
    }

    private void issueMiss(long pa, boolean write) {
        misses.issue(time + caches.latency(MemoryLevel.DRAM), pa, write, instructions, this);
    }

    private void completeReference(boolean write) {
        pos++;
        gapDone = false;
        references++;
        stores += write ? 1 : 0;
        if ((references & 4095) == 0) {
            // For progress reports from another thread; rarely enough that the volatile write costs nothing.
            progress = references;
        }
        if (references == warmupReferences) {
            observer.warmupEnded(time);
        }
        if (references >= referenceLimit) {
            drain();
        }
    }

    private void drain() {
        if (misses.outstanding() == 0) {
            state = State.DONE;
            progress = references;
            observer.finished(time);
        } else {
            block(Wait.DRAIN);
        }
    }

    private void block(Wait reason) {
        state = State.WAITING;
        wait = reason;
    }

    private void yieldAt(long at) {
        state = State.YIELDED;
        scheduler.schedule(at, Scheduler.LATE, resume);
    }

    @Override
    public void memoryDone(long completionTime, int slot) {
        misses.complete(slot);
        if (state != State.WAITING) {
            return;
        }
        boolean ready = switch (wait) {
            case ROB -> !misses.robFull(instructions);
            case DEPENDENCY -> !misses.lastMissPending();
            case SLOT, DRAIN -> true;
            case NONE -> false;
        };
        if (!ready) {
            return;
        }
        // The vCPU may have reached the point where it stopped a few cycles after this completion (TLB and cache
        // latencies are added past the horizon check); then it stalled for nothing.
        long resumeAt = Math.max(completionTime, time);
        dataStallCycles += resumeAt - time;
        time = resumeAt;
        Wait was = wait;
        wait = Wait.NONE;
        state = State.RUNNING;
        switch (was) {
            case SLOT -> {
                issueMiss(pendingMissAddress, pendingMissWrite);
                completeReference(pendingMissWrite);
                if (state == State.RUNNING) {
                    run();
                }
            }
            case DRAIN -> drain();
            default -> run();
        }
    }

    @Override
    public void walkFinished(WalkTrace trace) {
        long end = trace.endTime();
        walkCycles += end - time;
        time = end;
        switch (trace.outcome()) {
            case TRANSLATED -> {
                tlb.fill(walkVa, registers.space(), trace.pageBase(), trace.pageSize());
                long pa = trace.pageBase() | (walkVa & trace.pageSize().offsetMask());
                state = State.RUNNING;
                if (dataAccess(pa, walkWrite)) {
                    completeReference(walkWrite);
                    if (state == State.RUNNING) {
                        run();
                    }
                }
            }
            case PAGE_FAULT -> trap(false, walkVa);
            case NESTED_FAULT -> trap(true, trace.faultAddress());
        }
    }

    private void trap(boolean nested, long address) {
        work.reset();
        if (nested) {
            traps.nestedFault(address, work);
        } else {
            traps.pageFault(address, walkWrite, work);
            pageFaults++;
        }
        work.resolve(caches);
        state = State.HANDLING;
        handlerStart = time;
        handlerChain.run(time, work, handlerDone);
    }

    private void handlerDone(long end) {
        long previous = handlerStart;
        for (int i = 0; i < work.count(); i++) {
            long d = work.endOf(i) - previous;
            previous = work.endOf(i);
            int account = work.accountOf(i);
            if (account == HandlerWork.GUEST_OS) {
                guestOsCycles += d;
            } else {
                exitCycles[account - 1] += d;
            }
        }
        for (ExitCause c : ExitCause.values()) {
            exits[c.ordinal()] += work.exits(c);
        }
        time = end;
        // The faulting instruction runs again: its translation now succeeds, so walk again.
        walkRetries++;
        state = State.WALKING;
        walker.request(time, walkVa, walkWrite, this);
    }

    /** References completed so far, to the last multiple of 4096; safe to read from any thread. */
    public long progress() {
        return progress;
    }

    /** The vCPU's local clock. */
    public long time() {
        return time;
    }

    public VCpuStats stats() {
        return new VCpuStats(references, stores, instructions, tlb.lookups(), tlb.l1Misses(), tlb.l2Misses(),
                walkRetries, dataServed.clone(), baseCycles, tlbCycles, walkCycles, dataStallCycles, guestOsCycles,
                exitCycles.clone(), exits.clone(), pageFaults);
    }
}
