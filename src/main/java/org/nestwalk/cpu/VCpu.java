package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryClient;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Registers;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.ReferenceBuffer;

/**
 * A virtual CPU running a guest's processes, an entity. It consumes the running process's references in program
 * order on a local clock: instructions at the base CPI, TLB hits and cache hits inline, with no event and no
 * allocation. It stops only where something outside it must happen or may have happened:
 * <ul>
 * <li>a TLB miss: it asks the {@link PageWalker} for a walk. Under {@link WalkOverlap#ROB} it runs on past the
 * reference, which waits for its translation in {@link Translations}; younger references run within the reorder
 * buffer and the miss registers, a younger TLB miss asks for a walk of its own (or waits for one already under way
 * for its page), and a load that depends on a waiting one waits. Under {@link WalkOverlap#NONE} it waits at the
 * reference. A walk that offers a speculative translation lets the waiting references go on at once; every
 * reference the core runs past an unverified or unfinished translation can be undone ({@link Checkpoints}): a
 * mis-speculation squashes from the speculated reference, a walk that faults squashes from the faulting one;</li>
 * <li>a fault ending a walk, a system call of the program, or the timer interrupt: once every translation under way
 * is settled, the guest OS (and the hypervisor beneath it) does its work on this vCPU, which may switch to another
 * process;</li>
 * <li>a DRAM data miss it cannot overlap (see {@link MissWindow});</li>
 * <li>its horizon: the next pending event, or a quantum, whichever comes first. No other event can run before the
 * horizon, so running inline up to it is exact (see {@link Scheduler}).</li>
 * </ul>
 * Every cycle its clock advances is charged to one account of {@link VCpuStats}. What a walk's return does to the
 * core is {@link WalkReturns}'s; the timing of the kernel's work, {@link Privileged}'s; where the program is in its
 * references, {@link ReferenceCursor}'s.
 *
 * <p>The horizon is checked before each reference; the few cycles of TLB and cache latency inside one reference may
 * carry its private state (TLB, L1, L2) slightly past it, but anything shared with another entity (a request to the
 * memory controller) is only ever made before the next event, or deferred to an event of its own.
 */
public final class VCpu implements MemoryClient {
    /** Sees every translation the vCPU takes from its TLB (a test mode: the per-reference path calls it). */
    @FunctionalInterface
    public interface TranslationCheck {
        /** The reference to {@code va} (a store if {@code write}) went to system-physical {@code pa}. */
        void translated(long va, long pa, boolean write);
    }

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

    private enum State { NEW, RUNNING, YIELDED, HANDLING, WAITING, DONE }

    /** Why a WAITING vCPU waits. */
    private enum Wait {
        NONE,
        /** The reorder buffer is full behind a DRAM miss. */
        ROB,
        /** Every miss register is taken. */
        SLOT,
        /** The load depends on a DRAM miss still in flight. */
        DEPENDENCY,
        /** The run is over; DRAM misses are still in flight. */
        DRAIN,
        /** The core waits at a reference for its translation ({@link WalkOverlap#NONE}). */
        TRANSLATION,
        /** A TLB miss finds every walker busy ({@link WalkOverlap#NONE}). */
        WALKER,
        /** The reorder buffer is full behind a reference whose translation is unfinished or unverified. */
        TRANSLATION_ROB,
        /** The load depends on a reference still waiting for its translation. */
        DEPENDENT_TRANSLATION,
        /** Something that needs every translation settled: an OS event, an interrupt, the end, a refill. */
        SETTLE,
        /** A walk faulted; the fault is taken once every older translation is settled. */
        FAULT
    }

    /** What follows the work of a handler. */
    private enum AfterHandler { RETRY_WALK, CONTINUE }

    /** How many references apart {@link Observer#sample} is called (a power of two). */
    public static final int SAMPLE_REFERENCES = 4096;

    private static final MemoryLevel[] LEVELS = MemoryLevel.values();
    private static final int FRACTION_BITS = 16;
    private static final long FRACTION_MASK = (1L << FRACTION_BITS) - 1;

    private final Scheduler scheduler;
    private final CoreConfig core;
    private final boolean overlap;
    /**
     * Whether other vCPUs share the machine: then its resumes are {@link Scheduler#PEER} events, ranked by
     * {@link #rank}, and it may act at a cycle where only the resumes of peers ranked after it are pending (one
     * vCPU keeps the machine's old order exactly).
     */
    private final boolean peers;
    /** Its place among the machine's vCPUs (its index over all VMs): at a shared cycle, lower ranks go first. */
    private final int rank;
    private final DataTlb tlb;
    private final Registers registers;
    private final CacheHierarchy caches;
    private final PageWalker walker;
    private final Kernel kernel;
    private final Observer observer;
    private final MissWindow misses;
    private final Translations translations = new Translations();
    private final Checkpoints checkpoints = new Checkpoints();
    private final CoreCounters n = new CoreCounters();
    private final Privileged privileged;
    private final WalkReturns returns;
    private final FunctionalWalks functionalWalks;
    /** References to run before the vCPU's own interval ends: the run's, then none with {@link #runOn()}. */
    private long referenceLimit;
    /** Whether it goes on running its workload after its own interval ends ({@link #runOn()}). */
    private boolean runOn;
    /** Whether the observer has been told the vCPU finished. */
    private boolean reported;
    private final long warmupReferences;

    private final Action resume = this::resumeFromYield;
    /** When the one resume the vCPU counts on is scheduled, or -1 if none is. */
    private long pendingResume = -1;

    private State state = State.NEW;
    private Wait wait = Wait.NONE;
    private AfterHandler afterHandler;
    private boolean interruptPending;
    /** An inter-processor interrupt (a TLB shootdown) has arrived and is taken at the next instruction boundary. */
    private boolean ipiPending;
    /** The VM's IPIs, or null when the vCPU is alone. */
    private Shootdowns shootdowns;
    /** Its index among the VM's vCPUs. */
    private int index;
    private TranslationCheck check;
    private boolean warmupDone;
    /** Who decides the phases of a sampled run (null: one detailed run, a warm-up and a measured interval). */
    private PhaseControl phases;
    /** The reference count at which the next phase begins; the core lets everything settle there. */
    private long nextBoundary = Long.MAX_VALUE;
    /** Whether the current phase runs references functionally (state only, see {@link PhaseControl}). */
    private boolean functional;
    /** In a functional phase, cycles per instruction in units of 2^-16. */
    private long functionalCpiFixed;

    private final ReferenceCursor cursor = new ReferenceCursor();

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
     * the oldest unsettled translation. Kept up to date when either changes, so the loop compares once.
     */
    private long robLimit = Long.MAX_VALUE;
    private long pendingMissAddress;
    private boolean pendingMissWrite;

    /** The walk the reference just passed waits for (0: its data was accessed). */
    private long previousTicket;
    /** The translation the core waits at, under {@link WalkOverlap#NONE}. */
    private int held = Translations.NONE;

    // The reference being translated or trapped on.
    private long walkVa;
    private boolean walkWrite;
    /** Whether it is an instruction fetch (a trace's instruction-page change), not a data reference. */
    private boolean walkFetch;

    // A fault found by a walk the core ran past, taken once everything older is settled.
    private boolean faultPending;
    private boolean faultNested;
    private long faultAddress;
    private long faultVa;
    private boolean faultWrite;
    private boolean faultFetch;
    private long faultSeq;

    private volatile long progress;

    private Timeline timeline = Timeline.NONE;
    /** Where the current burst of inline execution began, or -1 outside one. */
    private long burstStart = -1;

    /**
     * @param registers        this vCPU's translation registers
     * @param referenceLimit   references to run, over all processes
     * @param warmupReferences after how many references {@link Observer#warmupEnded} is called (0: never)
     * @param rank             its index among the machine's vCPUs, or -1 when it is the only one
     */
    public VCpu(Scheduler scheduler, CoreConfig core, Registers registers, DataTlb tlb, CacheHierarchy caches,
                MemoryController memory, PageWalker walker, Kernel kernel, long referenceLimit,
                long warmupReferences, Observer observer, int rank) {
        this.scheduler = scheduler;
        this.peers = rank >= 0;
        this.rank = rank;
        this.core = core;
        this.overlap = core.walkOverlap() == WalkOverlap.ROB;
        this.tlb = tlb;
        this.registers = registers;
        this.caches = caches;
        this.walker = walker;
        this.kernel = kernel;
        this.referenceLimit = referenceLimit;
        this.warmupReferences = warmupReferences;
        this.observer = observer;
        this.misses = new MissWindow(core, scheduler, memory, this);
        this.privileged = new Privileged(kernel, caches, scheduler, memory, n, this::handlerDone);
        this.returns = new WalkReturns(this, translations, checkpoints, n, tlb, core.squashPenalty());
        this.functionalWalks = new FunctionalWalks(tlb, registers, walker.mode(), privileged, kernel);
        if (overlap && warmupReferences > 0) {
            nextBoundary = warmupReferences;
        }
        this.cpiFixed = Math.round(core.baseCpi() * (1 << FRACTION_BITS));
        for (MemoryLevel level : new MemoryLevel[] {MemoryLevel.L2, MemoryLevel.LLC}) {
            stallFixed[level.ordinal()] = Math.round(caches.latency(level) * (double) (1 << FRACTION_BITS)
                    / core.mlp());
        }
        walker.onRelease(this::walkerReleased);
    }

    /**
     * After its references (its own interval ends there, reported to the observer) the vCPU goes on running its
     * workload until the run ends or the workload does: a neighbour that stays busy ({@code machine.runOn}).
     */
    public void runOn() {
        runOn = true;
    }

    /** Schedules the first event: the vCPU starts running the kernel's current process at {@code at}. */
    public void startAt(long at) {
        if (state != State.NEW) {
            throw new IllegalStateException("the vCPU has already started");
        }
        cursor.switchTo(kernel.current());
        if (phases != null) {
            PhaseControl.Phase p = phases.begin(0, at);
            if (p == null) {
                state = State.DONE;
                return;
            }
            enter(p);
        }
        state = State.YIELDED;
        scheduleResume(at);
    }

    /**
     * Runs the references in phases that {@code control} decides (sampled simulation), instead of a warm-up and
     * one measured interval; before {@link #startAt}.
     */
    public void controlPhases(PhaseControl control) {
        if (state != State.NEW) {
            throw new IllegalStateException("phases are chosen before the vCPU starts");
        }
        this.phases = control;
    }

    private void enter(PhaseControl.Phase p) {
        functional = p.functional();
        nextBoundary = p.until();
        functionalCpiFixed = Math.max(1, Math.round(p.cpi() * (1 << FRACTION_BITS)));
        privileged.functional(functional);
    }

    /** Reports the vCPU's bursts, handler work and verifications to {@code t} from now on. */
    public void recordTo(Timeline t) {
        this.timeline = t;
        privileged.recordTo(t);
        returns.recordTo(t);
    }

    /** Joins the VM's inter-processor interrupts as vCPU {@code c}. */
    public void joinShootdowns(Shootdowns s, int c) {
        this.shootdowns = s;
        this.index = c;
        s.attach(c, this);
    }

    /** Serializes this vCPU's ({@code c}'s) shadow-paging exits with the other vCPUs' through {@code l}. */
    public void useShadowLock(ShadowLock l, int c) {
        privileged.useLock(l, c);
    }

    /** From now on, {@code c} sees every translation taken from the TLB (null: none). */
    public void checkTranslations(TranslationCheck c) {
        this.check = c;
    }

    /** An IPI arrived: the vCPU takes it at its next instruction boundary, with nothing in flight. */
    void raiseInterProcessorInterrupt() {
        ipiPending = true;
    }

    /** Whether the vCPU has run all its references and has nothing in flight. */
    boolean finished() {
        return state == State.DONE;
    }

    /**
     * Handles the pending IPI at {@code at} while the vCPU runs no instructions (it has finished, or waits for its
     * own shootdown's acknowledgements): the kernel's work is done at once; returns when it ends. Its cycles are
     * part of the wait they overlap, so no account is charged; its exits are counted.
     */
    long handleInterruptAside(long at) {
        ipiPending = false;
        return privileged.interProcessorInterruptAside(at);
    }

    /**
     * Every acknowledgement of the shootdown this vCPU sent at {@code sent} is in at {@code end}: the guest OS,
     * which waited in its kernel, goes on.
     */
    void acknowledged(long sent, long end) {
        n.guestOsCycles += end - sent;
        continueAfterHandler(end);
    }

    /** The timer fired: the vCPU takes the interrupt at its next instruction boundary. */
    public void raiseInterrupt() {
        interruptPending = true;
    }

    private void resumeFromYield() {
        if (scheduler.now() != pendingResume) {
            // A resume the vCPU no longer counts on: an earlier one replaced it.
            return;
        }
        pendingResume = -1;
        if (state != State.YIELDED) {
            // A squash or a fault already resumed the vCPU; this resume was for a time that no longer exists.
            return;
        }
        time = Math.max(time, scheduler.now());
        state = State.RUNNING;
        run();
    }

    /** The fast path: references until something needs an event. */
    private void run() {
        if (functional) {
            runFunctional();
            return;
        }
        burstStart = time;
        long horizon = Math.min(scheduler.nextEventTime(), time + core.quantum());
        while (true) {
            if (n.references >= referenceLimit) {
                drain();
                return;
            }
            if (n.references >= nextBoundary) {
                // A phase ends exactly at its last reference (the warm-up, a sampled unit): the core lets everything
                // older settle first, so that no reference counted in one phase can be squashed into the next.
                if (!settled()) {
                    block(Wait.SETTLE);
                    return;
                }
                boundary();
                if (state != State.RUNNING) {
                    return;
                }
                if (functional) {
                    endBurst();
                    runFunctional();
                    return;
                }
            }
            if (interruptPending && !settled() && overlap) {
                // The interrupt is taken at an instruction boundary with nothing older in flight: the core issues
                // nothing more until the translations under way are settled. (With walkOverlap=none the core runs on
                // behind an unverified speculation and takes it once that is verified, as it always did.)
                block(Wait.SETTLE);
                return;
            }
            if (interruptPending && settled()) {
                interruptPending = false;
                enterKernel(AfterHandler.CONTINUE);
                privileged.timerInterrupt(time);
                return;
            }
            if (ipiPending) {
                // Like the timer's: taken at an instruction boundary with nothing older in flight.
                if (settled()) {
                    ipiPending = shootdowns.take(index);
                    enterKernel(AfterHandler.CONTINUE);
                    privileged.interProcessorInterrupt(time);
                    return;
                }
                if (overlap) {
                    block(Wait.SETTLE);
                    return;
                }
            }
            if (cursor.exhausted()) {
                if (checkpoints.isEmpty()) {
                    if (!cursor.refill()) {
                        drain();
                        return;
                    }
                } else if (!overlap || !refillKeepingReplay()) {
                    // The records a squash may replay must stay: wait until every translation is settled.
                    block(Wait.SETTLE);
                    return;
                }
            }
            if (hitsAlone() && runHits(horizon) > 0) {
                // The references taken there may have reached a limit the checks above look at.
                continue;
            }
            if (!cursor.gapDone()) {
                int k = cursor.takeGap();
                n.instructions += k;
                long x = fraction + k * cpiFixed;
                long cycles = x >>> FRACTION_BITS;
                fraction = x & FRACTION_MASK;
                time += cycles;
                n.baseCycles += cycles;
            }
            if (time >= horizon && !(peers && scheduler.onlyLaterPeersAt(time, rank))) {
                // Past the horizon the next event may change what this reference sees. The vCPUs' resumes are the
                // exception: the other vCPUs are represented on the event list by the resume at their own clock,
                // so this bound is their next interaction with this one, and at a tie the lower rank goes first.
                yieldAt(time);
                return;
            }
            if (n.instructions >= robLimit) {
                block(robWait());
                return;
            }
            byte flags = cursor.flags();
            if ((flags & ReferenceBuffer.EVENT) != 0) {
                if (!settled()) {
                    block(Wait.SETTLE);
                    return;
                }
                systemCall(cursor.event());
                return;
            }
            if ((flags & ReferenceBuffer.FETCH) != 0) {
                if (!fetch()) {
                    return;
                }
                continue;
            }
            if ((flags & ReferenceBuffer.DEPENDENT) != 0) {
                if (misses.lastMissPending()) {
                    block(Wait.DEPENDENCY);
                    return;
                }
                if (previousTicket != 0) {
                    block(Wait.DEPENDENT_TRANSLATION);
                    return;
                }
            }
            long va = cursor.address();
            boolean write = (flags & ReferenceBuffer.WRITE) != 0;
            long pa;
            int under = translations.active() == 0 ? Translations.NONE : translations.match(va, write, overlap);
            if (under != Translations.NONE) {
                // The page's translation is under way already: take it from there, without a TLB lookup.
                n.sharedTranslations++;
                if (translations.speculated(under) && (!write || translations.specWritable(under))) {
                    pa = translations.specBase(under) | (va & 0xFFF);
                } else if (overlap) {
                    passWaiting(under, va, write);
                    if (state != State.RUNNING) {
                        return;
                    }
                    continue;
                } else {
                    holdAt(under, va, write, false);
                    return;
                }
            } else {
                pa = tlb.translate(va, registers.space(), write);
                if (pa == DataTlb.MISS && !overlap && !walker.hasFreeWalker()) {
                    // Every walker is busy (verifying speculations) and the core stops here; the lookup is repeated
                    // when one is free. A core that overlaps walks queues the request instead.
                    tlb.retractMiss();
                    block(Wait.WALKER);
                    return;
                }
                if (tlb.lastMissedL1()) {
                    int c = tlb.l1MissLatency();
                    time += c;
                    n.tlbCycles += c;
                }
                if (pa == DataTlb.MISS) {
                    int s = startWalk(va, write, false);
                    if (!overlap) {
                        holdAt(s, va, write, false);
                        return;
                    }
                    passWaiting(s, va, write);
                    if (state != State.RUNNING) {
                        return;
                    }
                    // The walk's start is an event now, and the walker acts there, not inline with the core.
                    horizon = Math.min(horizon, scheduler.nextEventTime());
                    continue;
                }
            }
            if (check != null && under == Translations.NONE) {
                check.translated(va, pa, write);
            }
            int missesBefore = misses.outstanding();
            if (!dataAccess(pa, write)) {
                return;
            }
            previousTicket = 0;
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

    /**
     * Whether nothing but the references themselves goes on: no translation under way, no interrupt waiting, no
     * checker, no warm-up to report reference by reference. Then {@link #runHits} may take them. (Taking them past
     * walks under way too measured 1 % faster on xz and 12 % slower on 2D walks: while walks are under way most
     * references miss the TLB, and each was then looked up twice.)
     */
    private boolean hitsAlone() {
        return !interruptPending & !ipiPending & check == null && translations.active() == 0 && checkpoints.isEmpty()
                && (warmupDone || warmupReferences <= 0 || overlap || phases != null);
    }

    /**
     * The loop's common case, with its state in locals: references that hit the L1 dTLB and a data cache. Each one has
     * exactly the effects {@link #run}'s loop gives it (its gap, the two lookups, a stall below the L1, the counters);
     * the first that needs more is left to that loop, its gap taken or not, with nothing of it done that the loop will
     * not do the same way (a failed lookup changes nothing, or what the loop's own lookup then changes identically).
     * Left to the loop: an event, a fetch or a dependent load; a DRAM miss (found by looking, before anything is
     * changed); the horizon; a full reorder buffer; the buffer's end; and the references after which the loop acts
     * (the run's last, a phase's last, one that completes a progress sample). Only when {@link #hitsAlone}.
     *
     * @return the references taken
     */
    private int runHits(long horizon) {
        ReferenceBuffer b = cursor.buffer();
        int pos = cursor.position();
        int len = cursor.length();
        boolean gapTaken = cursor.gapDone();
        long references = n.references;
        long stop = Math.min(Math.min(referenceLimit - 1, nextBoundary), references | (SAMPLE_REFERENCES - 1));
        long t = time;
        long frac = fraction;
        long instructions = n.instructions;
        long base = n.baseCycles;
        long stores = n.stores;
        int space = registers.space();
        int taken = 0;
        int l1Hits = 0;
        long stalls = 0;
        while (references < stop && pos < len) {
            if (!gapTaken) {
                int k = b.instructions(pos);
                instructions += k;
                long x = frac + k * cpiFixed;
                long cycles = x >>> FRACTION_BITS;
                frac = x & FRACTION_MASK;
                t += cycles;
                base += cycles;
                gapTaken = true;
            }
            if (t >= horizon || instructions >= robLimit) {
                break;
            }
            byte flags = b.flags(pos);
            if ((flags & (ReferenceBuffer.EVENT | ReferenceBuffer.FETCH | ReferenceBuffer.DEPENDENT)) != 0) {
                break;
            }
            boolean write = (flags & ReferenceBuffer.WRITE) != 0;
            long pa = tlb.l1Translation(b.address(pos), space, write);
            if (pa == DataTlb.MISS) {
                break;
            }
            MemoryLevel level = caches.accessIfCached(pa);
            if (level == null) {
                // A DRAM miss is the loop's.
                break;
            }
            if (level != MemoryLevel.L1) {
                n.dataServed[level.ordinal()]++;
                long x = frac + stallFixed[level.ordinal()];
                long cycles = x >>> FRACTION_BITS;
                frac = x & FRACTION_MASK;
                t += cycles;
                stalls += cycles;
            } else {
                l1Hits++;
            }
            pos++;
            gapTaken = false;
            taken++;
            references++;
            stores += write ? 1 : 0;
        }
        time = t;
        fraction = frac;
        n.instructions = instructions;
        n.baseCycles = base;
        n.references = references;
        n.stores = stores;
        n.dataServed[MemoryLevel.L1.ordinal()] += l1Hits;
        n.dataStallCycles += stalls;
        tlb.countL1Hits(taken);
        cursor.passed(taken, pos, gapTaken);
        if (taken > 0) {
            previousTicket = 0;
        }
        return taken;
    }

    /** A phase has ended with nothing in flight: the warm-up's end, or the next phase of a sampled run begins. */
    private void boundary() {
        if (phases == null) {
            warmupDone = true;
            nextBoundary = Long.MAX_VALUE;
            observer.warmupEnded(time);
            return;
        }
        PhaseControl.Phase p = phases.begin(n.references, time);
        if (p == null) {
            // The run has what it needs: the vCPU stops here, whatever is left of the workload.
            endBurst();
            state = State.DONE;
            return;
        }
        enter(p);
    }

    /**
     * A functional phase (sampled simulation's warming): references until the phase's end, the run's end or the
     * horizon, each one's state effects made at once (TLB lookups and fills, walks by the mode itself, data cache
     * accesses, the guest's and the hypervisor's work), with no timing model and no event. The clock advances by
     * the phase's cycles per instruction, so that the guest's timer interrupts when it would.
     */
    private void runFunctional() {
        long horizon = Math.min(scheduler.nextEventTime(), time + core.quantum());
        while (true) {
            if (n.references >= referenceLimit) {
                drain();
                return;
            }
            if (n.references >= nextBoundary) {
                boundary();
                if (state != State.RUNNING) {
                    return;
                }
                if (!functional) {
                    run();
                    return;
                }
                continue;
            }
            if (interruptPending) {
                interruptPending = false;
                privileged.timerInterrupt(time);
                if (!afterFunctionalKernel()) {
                    return;
                }
                continue;
            }
            if (cursor.exhausted() && !cursor.refill()) {
                drain();
                return;
            }
            if (!cursor.gapDone()) {
                int k = cursor.takeGap();
                n.instructions += k;
                long x = fraction + k * functionalCpiFixed;
                long cycles = x >>> FRACTION_BITS;
                fraction = x & FRACTION_MASK;
                time += cycles;
                n.baseCycles += cycles;
            }
            if (time >= horizon) {
                yieldAt(time);
                return;
            }
            byte flags = cursor.flags();
            if ((flags & ReferenceBuffer.EVENT) != 0) {
                OsEvent event = cursor.event();
                cursor.passEvent();
                privileged.systemCall(event, time);
                if (!afterFunctionalKernel()) {
                    return;
                }
                continue;
            }
            boolean fetch = (flags & ReferenceBuffer.FETCH) != 0;
            if (fetch && !tlb.translatesFetches()) {
                cursor.passEvent();
                continue;
            }
            boolean write = (flags & ReferenceBuffer.WRITE) != 0;
            long pa = functionalWalks.translate(cursor.address(), write, fetch, cursor.context());
            if (pa == FunctionalWalks.SWITCHED) {
                if (!afterFunctionalKernel()) {
                    return;
                }
                continue;
            }
            if (fetch) {
                cursor.passEvent();
                continue;
            }
            n.dataServed[caches.access(pa).ordinal()]++;
            cursor.passReference();
            n.references++;
            n.stores += write ? 1 : 0;
            if ((n.references & (SAMPLE_REFERENCES - 1)) == 0) {
                progress = n.references;
                observer.sample(n.references, time);
            }
        }
    }

    /** After kernel work done functionally: the process it left running goes on; false if none is left. */
    private boolean afterFunctionalKernel() {
        ExecutionContext next = kernel.current();
        if (next != cursor.context()) {
            cursor.switchTo(next);
        }
        if (next == null) {
            drain();
            return false;
        }
        return true;
    }

    /**
     * The buffer is used up while references in it may still be replayed: keeps them at its front and appends the
     * stream's next records. False if nothing could be added (the buffer holds only replayable records, or the
     * stream has ended).
     */
    private boolean refillKeepingReplay() {
        int keep = checkpoints.pos(0);
        if (keep == 0) {
            return false;
        }
        checkpoints.shift(keep);
        return cursor.refillKeeping(keep);
    }

    /** Asks the walker for a walk of {@code va} and opens the translation that waits for it. */
    private int startWalk(long va, boolean write, boolean fetch) {
        long ticket = walker.request(time, va, write, returns);
        return translations.open(ticket, va, write, registers.space(), fetch);
    }

    /**
     * The program goes on fetching instructions from the page of the current record: the iTLB translates it. The
     * front end fetches nothing past an iTLB miss, so on a miss in the iTLB and the L2 TLB the core stops here
     * until the walk's translation is there (older walks and data misses go on meanwhile). False if it stopped.
     */
    private boolean fetch() {
        if (!tlb.translatesFetches()) {
            cursor.passEvent();
            return true;
        }
        long va = cursor.address();
        int under = translations.active() == 0 ? Translations.NONE : translations.matchFetch(va);
        if (under != Translations.NONE) {
            // The page's instructions are being translated already: fetch with its speculative translation, or
            // wait for that walk.
            n.sharedTranslations++;
            if (translations.speculated(under)) {
                cursor.passEvent();
                return true;
            }
            holdAt(under, va, false, true);
            return false;
        }
        long pa = tlb.translateFetch(va, registers.space());
        if (pa == DataTlb.MISS && !overlap && !walker.hasFreeWalker()) {
            tlb.retractFetchMiss();
            block(Wait.WALKER);
            return false;
        }
        if (tlb.lastFetchMissedL1()) {
            int c = tlb.fetchL1MissLatency();
            time += c;
            n.tlbCycles += c;
        }
        if (pa != DataTlb.MISS) {
            cursor.passEvent();
            return true;
        }
        n.fetchWalks++;
        holdAt(startWalk(va, false, true), va, false, true);
        return false;
    }

    /** Under {@link WalkOverlap#NONE}: the core waits at this reference until translation {@code s} is there. */
    private void holdAt(int s, long va, boolean write, boolean fetch) {
        walkVa = va;
        walkWrite = write;
        walkFetch = fetch;
        held = s;
        translations.hold(s, true);
        block(Wait.TRANSLATION);
    }

    /**
     * The core runs on past this reference, which waits for translation {@code s}: a checkpoint if it is the first
     * reference to wait for it, and the reference counts as executed.
     */
    private void passWaiting(int s, long va, boolean write) {
        if (checkpoints.of(s) < 0) {
            tlb.counts(n.tlbNow);
            checkpoints.save(n, cursor.position(), va, write, cursor.sequence(), s, previousTicket);
        }
        translations.addWaiter(s, va, write, n.instructions, cursor.sequence());
        previousTicket = translations.ticket(s);
        updateRobLimit();
        completeReference(write);
    }

    /** Accesses the data at {@code pa}; false if the vCPU had to stop (a DRAM miss with every slot busy). */
    private boolean dataAccess(long pa, boolean write) {
        MemoryLevel level = caches.access(pa);
        n.dataServed[level.ordinal()]++;
        switch (level) {
            case L1 -> {
                return true;
            }
            case L2, LLC -> {
                stall(level);
                return true;
            }
            default -> {
                if (overlap) {
                    // An out-of-order core: a load that finds every miss register taken waits for one, and younger
                    // independent work goes on within the reorder buffer, as for a reference that waited for its
                    // translation.
                    misses.issueOrWait(time, time + caches.latency(MemoryLevel.DRAM), pa, write, n.instructions);
                    updateRobLimit();
                    return true;
                }
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

    /**
     * The data access, at {@code at}, of a reference the core has run past, now that its translation is there: a
     * cache hit costs what it costs any reference (on the core's clock, wherever that is), a DRAM miss waits for a
     * register if none is free.
     */
    void waiterAccess(long at, long pa, boolean write, long instruction) {
        MemoryLevel level = caches.access(pa);
        n.dataServed[level.ordinal()]++;
        switch (level) {
            case L1 -> {
            }
            case L2, LLC -> stall(level);
            default -> misses.issueOrWait(at, at + caches.latency(MemoryLevel.DRAM), pa, write, instruction);
        }
    }

    private void stall(MemoryLevel level) {
        long x = fraction + stallFixed[level.ordinal()];
        long cycles = x >>> FRACTION_BITS;
        fraction = x & FRACTION_MASK;
        time += cycles;
        n.dataStallCycles += cycles;
    }

    private void issueMiss(long pa, boolean write) {
        misses.issue(time, time + caches.latency(MemoryLevel.DRAM), pa, write, n.instructions);
        updateRobLimit();
    }

    /**
     * Why the reorder buffer is full: the instruction at its head is a reference whose translation is not final
     * (a walk, a verification), or a DRAM miss. When both limits are reached, the older one holds the head; the
     * stall is charged to it (the core that stops at each miss keeps its old rule: a data miss first).
     */
    private Wait robWait() {
        if (!overlap) {
            return misses.robFull(n.instructions) ? Wait.ROB : Wait.TRANSLATION_ROB;
        }
        long translationLimit = checkpoints.isEmpty() ? Long.MAX_VALUE
                : checkpoints.instructions(0) + core.robWindow();
        return translationLimit <= misses.robLimit() ? Wait.TRANSLATION_ROB : Wait.ROB;
    }

    private void updateRobLimit() {
        long limit = misses.robLimit();
        if (!checkpoints.isEmpty()) {
            limit = Math.min(limit, checkpoints.instructions(0) + core.robWindow());
        }
        robLimit = limit;
    }

    private void completeReference(boolean write) {
        if (!checkpoints.isEmpty() && checkpoints.seq(0) < cursor.sequence()) {
            n.overlappedReferences++;
        }
        cursor.passReference();
        n.references++;
        n.stores += write ? 1 : 0;
        if ((n.references & (SAMPLE_REFERENCES - 1)) == 0) {
            // For progress reports from another thread; rarely enough that the volatile write costs nothing.
            progress = n.references;
            observer.sample(n.references, time);
        }
        checkWarmup();
        if (n.references >= referenceLimit) {
            drain();
        }
    }

    /**
     * Tells the observer once the warm-up references are done, counting only references older than every unsettled
     * translation: a squash could still take back the younger ones.
     */
    private void checkWarmup() {
        if (!warmupDone && warmupReferences > 0 && !overlap && phases == null) {
            long committed = checkpoints.isEmpty() ? n.references : checkpoints.references(0);
            if (committed >= warmupReferences) {
                warmupDone = true;
                observer.warmupEnded(time);
            }
        }
    }

    /** Whether no translation is under way and no walker is busy: privileged work may run. */
    private boolean settled() {
        return translations.active() == 0 && walker.idle();
    }

    private void drain() {
        if (!settled()) {
            block(Wait.SETTLE);
        } else if (misses.outstanding() == 0) {
            if (runOn && !reported && n.references >= referenceLimit) {
                // Its own interval ends here, drained as it would be alone; it goes on running its workload so
                // that the other vCPUs keep a neighbour for the whole of theirs.
                reported = true;
                referenceLimit = Long.MAX_VALUE;
                // The resume first: telling the observer may end the run, after which nothing is scheduled.
                yieldAt(time);
                observer.finished(time);
                return;
            }
            endBurst();
            state = State.DONE;
            progress = n.references;
            long at = time;
            while (ipiPending) {
                // Initiators wait for this vCPU's acknowledgements: they come from the idle vCPU now.
                boolean more = shootdowns.take(index);
                at = handleInterruptAside(at);
                shootdowns.handlerEnded(index, at);
                ipiPending = more;
            }
            if (!reported) {
                reported = true;
                observer.finished(time);
            }
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
        scheduleResume(at);
    }

    /**
     * Makes sure the vCPU is resumed no later than {@code at}. A resume may still be pending from a yield that a
     * squash or a fault cut short; one pending at or before {@code at} serves (the loop yields again if it is
     * early), and one pending later is replaced. Never two valid resumes at once: two at the same time would each
     * see the other pending and yield to it forever.
     */
    private void scheduleResume(long at) {
        if (pendingResume >= 0 && pendingResume <= at) {
            return;
        }
        pendingResume = at;
        if (peers) {
            scheduler.schedulePeer(at, rank, resume);
            return;
        }
        // Caused on the vCPU's clock (when it is behind the scheduler's, now).
        long cause = Math.max(scheduler.now(), Math.min(time, at));
        scheduler.scheduleFrom(cause, at, Scheduler.LATE, resume);
    }

    /** Resumes a WAITING vCPU at {@code at}, the wait charged to translation or to data stalls. */
    private void resumeAt(long at, boolean translationWait) {
        long resumeAt = Math.max(at, time);
        if (translationWait) {
            n.walkCycles += resumeAt - time;
        } else {
            n.dataStallCycles += resumeAt - time;
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
            case ROB -> !misses.robFull(n.instructions);
            case DEPENDENCY -> !misses.lastMissPending();
            case SLOT -> !misses.full();
            case DRAIN -> true;
            default -> false;
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
                previousTicket = 0;
                completeReference(pendingMissWrite);
                if (state == State.RUNNING) {
                    run();
                }
            }
            case DRAIN -> drain();
            default -> run();
        }
    }

    /**
     * Something the translation waits depend on changed at {@code at} (a walk or a speculation came back, a
     * walker became free): a vCPU waiting for it goes on.
     */
    void wakeIfReady(long at) {
        if (state != State.WAITING) {
            return;
        }
        boolean ready = switch (wait) {
            case WALKER -> walker.hasFreeWalker();
            case TRANSLATION_ROB -> checkpoints.isEmpty()
                    || n.instructions < checkpoints.instructions(0) + core.robWindow();
            case DEPENDENT_TRANSLATION -> previousTicket == 0;
            case SETTLE, FAULT -> settled();
            default -> false;
        };
        if (!ready) {
            return;
        }
        boolean fault = wait == Wait.FAULT;
        resumeAt(at, true);
        if (fault) {
            takeFault();
        } else {
            run();
        }
    }

    private void walkerReleased(long time) {
        wakeIfReady(time);
    }

    // What the walk returns (WalkReturns) asks of the core.

    /** The scheduler's clock. */
    long now() {
        return scheduler.now();
    }

    /**
     * The core stopped at its reference for translation {@code s}, which offers a speculative translation: it uses
     * it at once. Everything from here on can be undone.
     */
    void useHeldSpeculation(int s, WalkTrace trace) {
        long now = scheduler.now();
        translations.hold(s, false);
        held = Translations.NONE;
        n.walkCycles += now - time;
        time = now;
        tlb.counts(n.tlbNow);
        checkpoints.save(n, cursor.position(), walkVa, walkWrite, cursor.sequence(), s, previousTicket);
        updateRobLimit();
        n.speculations++;
        state = State.RUNNING;
        wait = Wait.NONE;
        if (walkFetch) {
            // Instructions are fetched with the speculative translation; the iTLB gets the verified one.
            cursor.passEvent();
            run();
            return;
        }
        if (dataAccess(trace.speculativeBase() | (walkVa & 0xFFF), walkWrite)) {
            previousTicket = 0;
            completeReference(walkWrite);
            if (state == State.RUNNING) {
                run();
            }
        }
    }

    /** The walk the core stopped at its reference for (translation {@code s}) has ended. */
    void heldWalkEnded(int s, WalkTrace trace) {
        long end = trace.endTime();
        translations.close(s);
        held = Translations.NONE;
        n.walkCycles += end - time;
        time = end;
        if (trace.outcome() != WalkOutcome.TRANSLATED) {
            fault(trace, walkVa, walkWrite, walkFetch, cursor.sequence(), end);
            return;
        }
        state = State.RUNNING;
        wait = Wait.NONE;
        if (walkFetch) {
            tlb.fillFetch(walkVa, registers.space(), trace.pageBase(), trace.pageSize(), trace.writable());
            cursor.passEvent();
            run();
            return;
        }
        tlb.fill(walkVa, registers.space(), trace.pageBase(), trace.pageSize(), trace.writable());
        long pa = trace.pageBase() | (walkVa & trace.pageSize().offsetMask());
        if (dataAccess(pa, walkWrite)) {
            previousTicket = 0;
            completeReference(walkWrite);
            if (state == State.RUNNING) {
                run();
            }
        }
    }

    /**
     * The references waiting for walk {@code ticket} have their translation, at {@code at} (speculative, or
     * final if {@code settled}): a load that depends on them may go, the reorder buffer may have room again.
     */
    void translationArrived(long ticket, long at, boolean settled) {
        if (previousTicket == ticket) {
            previousTicket = 0;
        }
        updateRobLimit();
        if (settled) {
            checkWarmup();
        }
        wakeIfReady(at);
    }

    /** After a squash: the core replays from the checkpoint, unless it is yielded (its resume will). */
    void replay() {
        if (state == State.RUNNING) {
            run();
        }
    }

    /**
     * Throws away what the vCPU did since checkpoint {@code cp}: its references and instructions no longer count,
     * the cycles they took (and any wait since) become squash cycles, plus {@code penalty}, and the reference
     * stream goes back to the checkpoint's reference. Translations only the discarded references waited for, and
     * whose walks have not started, are withdrawn; walks under way finish and fill the TLB.
     */
    void squashTo(int cp, long at, int penalty) {
        long from = checkpoints.seq(cp);
        int p = checkpoints.pos(cp);
        long previous = checkpoints.previousTicket(cp);
        tlb.counts(n.tlbNow);
        long lost = checkpoints.restore(cp, n);
        cursor.rewind(p);
        translations.dropFrom(from);
        if (held != Translations.NONE) {
            // The core waited at a younger reference; it goes back instead.
            translations.hold(held, false);
            held = Translations.NONE;
        }
        int s = translations.find(previous);
        previousTicket = s != Translations.NONE && !translations.unwaited(s) ? previous : 0;
        for (int i = translations.active() - 1; i >= 0; i--) {
            int e = translations.activeSlot(i);
            if (!translations.unwaited(e) || checkpoints.of(e) >= 0) {
                continue;
            }
            if (walker.cancel(translations.ticket(e))) {
                translations.close(e);
            } else if (translations.speculated(e)) {
                // Nothing can undo a use of its speculative translation now: a replayed reference waits for
                // the verified one.
                translations.unspeculate(e);
            }
        }
        if (faultPending && faultSeq >= from) {
            faultPending = false;
        }
        updateRobLimit();
        long when = Math.max(time, at);
        n.squashCycles += lost + (when - time) + penalty;
        time = when + penalty;
        if (state == State.WAITING || state == State.RUNNING) {
            wait = Wait.NONE;
            state = State.RUNNING;
        }
    }

    /**
     * A walk for the reference numbered {@code refSeq} ({@code va}, a store if {@code write}) ended in a fault: it
     * is taken now if nothing else is under way, or once everything older is settled.
     */
    void fault(WalkTrace trace, long va, boolean write, boolean fetch, long refSeq, long at) {
        faultPending = true;
        faultNested = trace.outcome() == WalkOutcome.NESTED_FAULT;
        faultAddress = faultNested ? trace.faultAddress() : va;
        faultVa = va;
        faultWrite = write;
        faultFetch = fetch;
        faultSeq = refSeq;
        if (settled()) {
            takeFault();
        } else {
            block(Wait.FAULT);
        }
    }

    private void takeFault() {
        faultPending = false;
        walkVa = faultVa;
        walkWrite = faultWrite;
        walkFetch = faultFetch;
        enterKernel(AfterHandler.RETRY_WALK);
        if (faultNested) {
            privileged.nestedFault(faultAddress, time);
        } else {
            privileged.pageFault(faultAddress, walkWrite, time);
        }
    }

    private void systemCall(OsEvent event) {
        cursor.passEvent();
        enterKernel(AfterHandler.CONTINUE);
        privileged.systemCall(event, time);
    }

    /** The vCPU enters the guest OS (and the hypervisor beneath it); {@code next} says what follows the work. */
    private void enterKernel(AfterHandler next) {
        endBurst();
        afterHandler = next;
        state = State.HANDLING;
    }

    /** The kernel's work ended at {@code end}: the vCPU walks again, or runs on, whichever process is current. */
    private void handlerDone(long end) {
        if (shootdowns != null && shootdowns.handlerEnded(index, end)) {
            // The guest OS waits for the other vCPUs' acknowledgements (Shootdowns calls acknowledged).
            time = end;
            return;
        }
        continueAfterHandler(end);
    }

    private void continueAfterHandler(long end) {
        time = end;
        ExecutionContext next = kernel.current();
        if (afterHandler == AfterHandler.RETRY_WALK && next == cursor.context()) {
            // The faulting instruction runs again: its translation now succeeds, so walk again.
            n.walkRetries++;
            int s = startWalk(walkVa, walkWrite, walkFetch);
            if (!overlap || walkFetch) {
                holdAt(s, walkVa, walkWrite, walkFetch);
                return;
            }
            state = State.RUNNING;
            passWaiting(s, walkVa, walkWrite);
            if (state == State.RUNNING) {
                run();
            }
            return;
        }
        if (next != cursor.context()) {
            // After a fault the faulting reference is retried when its process runs again (its gap is done).
            cursor.switchTo(next);
        }
        if (next == null) {
            drain();
            return;
        }
        state = State.RUNNING;
        run();
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
        tlb.counts(n.tlbNow);
        long[] c = n.tlbNow.clone();
        if (overlap) {
            // Lookups of references a squash threw away do not count: they are repeated when the work is.
            for (int k = 0; k < c.length; k++) {
                c[k] -= n.squashedTlb[k];
            }
        }
        return n.stats(c[0], c[1], c[2], c[3], c[4], c[5]);
    }
}
