package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryClient;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.ReferenceBuffer;

/**
 * A virtual CPU running a guest's processes, an entity. It consumes the running process's references on a local
 * clock: instructions at the base CPI, TLB hits and cache hits inline, with no event and no allocation. It stops only
 * where something outside it must happen or may have happened:
 * <ul>
 * <li>a TLB miss: it asks the {@link PageWalker} for a walk and waits for it, unless the walk offers a speculative
 * translation, which it uses at once while the walk verifies it; a mismatch squashes what it did since and replays
 * it;</li>
 * <li>a fault ending a walk, a system call of the program, or the timer interrupt: the guest OS (and the hypervisor
 * beneath it) does its work on this vCPU, which may switch to another process;</li>
 * <li>a DRAM data miss it cannot overlap (see {@link MissWindow});</li>
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

        /**
         * Another {@link VCpu#SAMPLE_REFERENCES} references have completed: the output series MSER-5 reads in a
         * pilot run. Called from the fast path, so an observer that does not sample should leave it empty.
         */
        default void sample(long references, long time) {
        }
    }

    private enum State { NEW, RUNNING, YIELDED, WALKING, HANDLING, WAITING, DONE }

    /** Why a WAITING vCPU waits. */
    private enum Wait { NONE, ROB, SLOT, DEPENDENCY, DRAIN, VERIFY }

    /** What follows the work of a handler. */
    private enum AfterHandler { RETRY_WALK, CONTINUE }

    /** How many references apart {@link Observer#sample} is called (a power of two). */
    public static final int SAMPLE_REFERENCES = 4096;

    private static final MemoryLevel[] LEVELS = MemoryLevel.values();
    private static final int FRACTION_BITS = 16;
    private static final long FRACTION_MASK = (1L << FRACTION_BITS) - 1;

    private final Scheduler scheduler;
    private final CoreConfig core;
    private final Mmu mmu;
    private final DataTlb tlb;
    private final Registers registers;
    private final CacheHierarchy caches;
    private final PageWalker walker;
    private final Kernel kernel;
    private final Observer observer;
    private final AccessChain handlerChain;
    private final HandlerWork work = new HandlerWork();
    private final MissWindow misses;
    private final long referenceLimit;
    private final long warmupReferences;

    private final Action resume = this::resumeFromYield;
    private final AccessChain.Listener handlerDone = this::handlerDone;

    private State state = State.NEW;
    private Wait wait = Wait.NONE;
    private AfterHandler afterHandler;
    private boolean interruptPending;
    private boolean warmupDone;

    // The running process: its context, and the parts of it the loop uses, held in fields like registers.
    private ExecutionContext context;
    private ReferenceBuffer refs;
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
    private final long cpiFixed;
    private final long[] stallFixed = new long[LEVELS.length];

    /**
     * The instruction count at which the core must stop: its reorder buffer is full behind the oldest DRAM miss or
     * the oldest unverified translation. Kept up to date when either changes, so the loop compares once.
     */
    private long robLimit = Long.MAX_VALUE;
    private long pendingMissAddress;
    private boolean pendingMissWrite;

    // The reference being translated or trapped on.
    private long walkVa;
    private boolean walkWrite;
    private long handlerStart;

    // A translation in use before it is verified, and the state to go back to if it was wrong.
    private boolean unverified;
    private long specPage;
    private long specPageBase;
    private boolean specWritable;
    private final Checkpoint checkpoint = new Checkpoint();

    private volatile long progress;

    private Timeline timeline = Timeline.NONE;
    /** Where the current burst of inline execution began, or -1 outside one. */
    private long burstStart = -1;

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
    private long squashCycles;
    private final long[] exitCycles = new long[ExitCause.values().length];
    private final long[] exits = new long[ExitCause.values().length];
    private long pageFaults;
    private long systemCalls;
    private long interrupts;
    private long speculations;
    private long misspeculations;
    private long squashedReferences;

    /**
     * @param referenceLimit   references to run, over all processes
     * @param warmupReferences after how many references {@link Observer#warmupEnded} is called (0: never)
     */
    public VCpu(Scheduler scheduler, CoreConfig core, Mmu mmu, DataTlb tlb, CacheHierarchy caches,
                MemoryController memory, PageWalker walker, Kernel kernel, long referenceLimit,
                long warmupReferences, Observer observer) {
        this.scheduler = scheduler;
        this.core = core;
        this.mmu = mmu;
        this.tlb = tlb;
        this.registers = mmu.registers();
        this.caches = caches;
        this.walker = walker;
        this.kernel = kernel;
        this.referenceLimit = referenceLimit;
        this.warmupReferences = warmupReferences;
        this.observer = observer;
        this.handlerChain = new AccessChain(scheduler, memory);
        this.misses = new MissWindow(core, scheduler, memory, this);
        this.cpiFixed = Math.round(core.baseCpi() * (1 << FRACTION_BITS));
        for (MemoryLevel level : new MemoryLevel[] {MemoryLevel.L2, MemoryLevel.LLC}) {
            stallFixed[level.ordinal()] = Math.round(caches.latency(level) * (double) (1 << FRACTION_BITS)
                    / core.mlp());
        }
    }

    /** Schedules the first event: the vCPU starts running the kernel's current process at {@code at}. */
    public void startAt(long at) {
        if (state != State.NEW) {
            throw new IllegalStateException("the vCPU has already started");
        }
        load(kernel.current());
        state = State.YIELDED;
        scheduler.schedule(at, Scheduler.LATE, resume);
    }

    /** Reports the vCPU's bursts, handler work and verifications to {@code t} from now on. */
    public void recordTo(Timeline t) {
        this.timeline = t;
    }

    /** The timer fired: the vCPU takes the interrupt at its next instruction boundary. */
    public void raiseInterrupt() {
        interruptPending = true;
    }

    private void resumeFromYield() {
        if (state != State.YIELDED) {
            // A squash already resumed the vCPU; this resume was for a time that no longer exists.
            return;
        }
        time = Math.max(time, scheduler.now());
        state = State.RUNNING;
        run();
    }

    /** The fast path: references until something needs an event. */
    private void run() {
        burstStart = time;
        long horizon = Math.min(scheduler.nextEventTime(), time + core.quantum());
        while (true) {
            if (references >= referenceLimit) {
                drain();
                return;
            }
            if (interruptPending && !unverified) {
                interruptPending = false;
                interrupts++;
                work.reset();
                kernel.timerInterrupt(work);
                runHandler(AfterHandler.CONTINUE);
                return;
            }
            if (pos == len) {
                if (unverified) {
                    // A refill would drop the references a squash must replay.
                    block(Wait.VERIFY);
                    return;
                }
                len = context.stream.fill(refs);
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
            if (instructions >= robLimit) {
                block(misses.robFull(instructions) ? Wait.ROB : Wait.VERIFY);
                return;
            }
            byte flags = refs.flags(pos);
            if ((flags & ReferenceBuffer.EVENT) != 0) {
                if (unverified) {
                    block(Wait.VERIFY);
                    return;
                }
                systemCall(refs.event(pos));
                return;
            }
            if ((flags & ReferenceBuffer.DEPENDENT) != 0 && misses.lastMissPending()) {
                block(Wait.DEPENDENCY);
                return;
            }
            long va = refs.address(pos);
            boolean write = (flags & ReferenceBuffer.WRITE) != 0;
            long pa;
            if (unverified && (va & ~0xFFFL) == specPage && (!write || specWritable)) {
                pa = specPageBase | (va & 0xFFF);
            } else {
                pa = tlb.translate(va, registers.space(), write);
                if (pa == DataTlb.MISS && walker.busy()) {
                    // The walker is verifying a speculation: this miss must wait for it, and is looked up again.
                    tlb.retractMiss();
                    block(Wait.VERIFY);
                    return;
                }
                if (tlb.lastMissedL1()) {
                    int c = tlb.l1MissLatency();
                    time += c;
                    tlbCycles += c;
                }
                if (pa == DataTlb.MISS) {
                    endBurst();
                    walkVa = va;
                    walkWrite = write;
                    state = State.WALKING;
                    walker.request(time, va, write, this);
                    return;
                }
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
        updateRobLimit();
    }

    private void updateRobLimit() {
        long limit = misses.robLimit();
        if (unverified) {
            limit = Math.min(limit, checkpoint.instructions + core.robWindow());
        }
        robLimit = limit;
    }

    private void completeReference(boolean write) {
        pos++;
        gapDone = false;
        references++;
        stores += write ? 1 : 0;
        if ((references & (SAMPLE_REFERENCES - 1)) == 0) {
            // For progress reports from another thread; rarely enough that the volatile write costs nothing.
            progress = references;
            observer.sample(references, time);
        }
        checkWarmup();
        if (references >= referenceLimit) {
            drain();
        }
    }

    /**
     * Tells the observer once the warm-up references are done, and never while a translation is unverified: a squash
     * could still take back references that counted towards it.
     */
    private void checkWarmup() {
        if (!warmupDone && warmupReferences > 0 && references >= warmupReferences && !unverified) {
            warmupDone = true;
            observer.warmupEnded(time);
        }
    }

    private void drain() {
        if (unverified) {
            block(Wait.VERIFY);
        } else if (misses.outstanding() == 0) {
            endBurst();
            state = State.DONE;
            progress = references;
            observer.finished(time);
        } else {
            block(Wait.DRAIN);
        }
    }

    /** The vCPU stops running inline: the burst since {@link #run} began ends now. */
    private void endBurst() {
        if (burstStart >= 0 && time > burstStart) {
            timeline.burst(burstStart, time);
        }
        burstStart = -1;
    }

    private void block(Wait reason) {
        endBurst();
        state = State.WAITING;
        wait = reason;
    }

    private void yieldAt(long at) {
        endBurst();
        state = State.YIELDED;
        scheduler.schedule(at, Scheduler.LATE, resume);
    }

    /** Resumes a WAITING vCPU at {@code at}, the wait charged to translation or to data stalls. */
    private void resumeAt(long at, boolean translationWait) {
        long resumeAt = Math.max(at, time);
        if (translationWait) {
            walkCycles += resumeAt - time;
        } else {
            dataStallCycles += resumeAt - time;
        }
        time = resumeAt;
        wait = Wait.NONE;
        state = State.RUNNING;
    }

    @Override
    public void memoryDone(long completionTime, int slot) {
        misses.complete(slot);
        updateRobLimit();
        if (state != State.WAITING) {
            return;
        }
        boolean ready = switch (wait) {
            case ROB -> !misses.robFull(instructions);
            case DEPENDENCY -> !misses.lastMissPending();
            case SLOT, DRAIN -> true;
            case NONE, VERIFY -> false;
        };
        if (!ready) {
            return;
        }
        // The vCPU may have reached the point where it stopped a few cycles after this completion (TLB and cache
        // latencies are added past the horizon check); then it stalled for nothing.
        Wait was = wait;
        resumeAt(completionTime, false);
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
    public void walkSpeculated(WalkTrace trace) {
        // The walker offers a translation before verifying it: use it at once. Everything from here on can be undone.
        long now = scheduler.now();
        walkCycles += now - time;
        time = now;
        checkpoint.save(this);
        unverified = true;
        updateRobLimit();
        speculations++;
        specPage = walkVa & ~0xFFFL;
        specPageBase = trace.speculativeBase();
        specWritable = trace.speculativeWritable();
        state = State.RUNNING;
        if (dataAccess(specPageBase | (walkVa & 0xFFF), walkWrite)) {
            completeReference(walkWrite);
            if (state == State.RUNNING) {
                run();
            }
        }
    }

    @Override
    public void walkFinished(WalkTrace trace) {
        if (unverified) {
            verified(trace);
            return;
        }
        long end = trace.endTime();
        walkCycles += end - time;
        time = end;
        switch (trace.outcome()) {
            case TRANSLATED -> {
                tlb.fill(walkVa, registers.space(), trace.pageBase(), trace.pageSize(), trace.writable());
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

    /** The walk behind a speculation has ended: keep the work done since, or squash it. */
    private void verified(WalkTrace trace) {
        unverified = false;
        updateRobLimit();
        boolean translated = trace.outcome() == WalkOutcome.TRANSLATED;
        PageSize size = trace.pageSize();
        boolean samePage = translated
                && ((trace.pageBase() | (specPage & size.offsetMask())) & ~0xFFFL) == specPageBase;
        boolean sameRights = translated && (trace.writable() || !specWritable || !checkpoint.storedSince(this));
        if (translated) {
            tlb.fill(specPage, registers.space(), trace.pageBase(), size, trace.writable());
        }
        timeline.verification(trace, samePage && sameRights);
        if (samePage && sameRights) {
            checkWarmup();
            if (state == State.WAITING && wait == Wait.VERIFY) {
                // The walk may end inline, ahead of the scheduler's clock: the vCPU waits until it has ended.
                resumeAt(trace.endTime(), true);
                run();
            } else if (state == State.WAITING && wait == Wait.DRAIN) {
                drain();
            }
            return;
        }
        misspeculations++;
        squash(trace.endTime());
        if (translated) {
            // Replay from the speculative reference; its translation is in the TLB now.
            if (state != State.YIELDED) {
                state = State.RUNNING;
                run();
            }
        } else {
            // The page is not mapped (or not writable) after all: the replayed reference faults.
            walkVa = specPage | (checkpoint.va & 0xFFF);
            walkWrite = checkpoint.write;
            if (trace.outcome() == WalkOutcome.NESTED_FAULT) {
                trap(true, trace.faultAddress());
            } else {
                trap(false, walkVa);
            }
        }
    }

    /**
     * Throws away what the vCPU did since the speculative translation was used: its references and instructions no
     * longer count, the cycles they took (and any wait for the verification) become squash cycles, plus the penalty,
     * and the reference stream goes back to the speculative reference.
     */
    private void squash(long verifiedAt) {
        long lost = checkpoint.restore(this);
        updateRobLimit();
        long at = Math.max(time, verifiedAt);
        squashCycles += lost + (at - time) + core.squashPenalty();
        time = at + core.squashPenalty();
        if (state == State.WAITING || state == State.RUNNING) {
            wait = Wait.NONE;
            state = State.RUNNING;
        }
    }

    private void trap(boolean nested, long address) {
        work.reset();
        if (nested) {
            kernel.nestedFault(address, work);
        } else {
            kernel.pageFault(address, walkWrite, work);
            pageFaults++;
        }
        runHandler(AfterHandler.RETRY_WALK);
    }

    private void systemCall(OsEvent event) {
        // The record is consumed: the program continues after the call.
        pos++;
        gapDone = false;
        systemCalls++;
        work.reset();
        kernel.systemCall(event, work);
        runHandler(AfterHandler.CONTINUE);
    }

    private void runHandler(AfterHandler next) {
        endBurst();
        work.resolve(caches);
        afterHandler = next;
        state = State.HANDLING;
        handlerStart = time;
        handlerChain.run(time, work, handlerDone);
    }

    private void handlerDone(long end) {
        timeline.handler(work, handlerStart, end);
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
        ExecutionContext next = kernel.current();
        if (afterHandler == AfterHandler.RETRY_WALK && next == context) {
            // The faulting instruction runs again: its translation now succeeds, so walk again.
            walkRetries++;
            state = State.WALKING;
            walker.request(time, walkVa, walkWrite, this);
            return;
        }
        if (next != context) {
            // After a fault the faulting reference is retried when its process runs again (its gap is done).
            save();
            load(next);
        }
        if (context == null) {
            drain();
            return;
        }
        state = State.RUNNING;
        run();
    }

    private void save() {
        if (context != null) {
            context.position = pos;
            context.length = len;
            context.gapDone = gapDone;
        }
    }

    private void load(ExecutionContext next) {
        context = next;
        if (next != null) {
            refs = next.buffer;
            pos = next.position;
            len = next.length;
            gapDone = next.gapDone;
        }
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
                squashCycles, exitCycles.clone(), exits.clone(), pageFaults, systemCalls, interrupts, speculations,
                misspeculations, squashedReferences);
    }

    /** The counters and stream position at the moment a speculative translation was first used. */
    private static final class Checkpoint {
        int pos;
        long va;
        boolean write;
        long references;
        long stores;
        long instructions;
        final long[] dataServed = new long[LEVELS.length];
        long base;
        long tlb;
        long walk;
        long dataStall;

        void save(VCpu c) {
            pos = c.pos;
            va = c.walkVa;
            write = c.walkWrite;
            references = c.references;
            stores = c.stores;
            instructions = c.instructions;
            System.arraycopy(c.dataServed, 0, dataServed, 0, dataServed.length);
            base = c.baseCycles;
            tlb = c.tlbCycles;
            walk = c.walkCycles;
            dataStall = c.dataStallCycles;
        }

        boolean storedSince(VCpu c) {
            return c.stores > stores;
        }

        /**
         * Puts the counters and the stream back. The cycles the accounts grew by since (the only ones that advance
         * while a translation is unverified) are taken out of them and returned, to be charged as squash cycles.
         */
        long restore(VCpu c) {
            c.squashedReferences += c.references - references;
            c.references = references;
            c.stores = stores;
            c.instructions = instructions;
            System.arraycopy(dataServed, 0, c.dataServed, 0, dataServed.length);
            c.pos = pos;
            c.gapDone = true;
            long grown = (c.baseCycles - base) + (c.tlbCycles - tlb) + (c.walkCycles - walk)
                    + (c.dataStallCycles - dataStall);
            c.baseCycles = base;
            c.tlbCycles = tlb;
            c.walkCycles = walk;
            c.dataStallCycles = dataStall;
            return grown;
        }
    }
}
