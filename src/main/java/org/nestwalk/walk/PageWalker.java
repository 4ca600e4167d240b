package org.nestwalk.walk;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.timeline.Timeline;

/**
 * The MMU's walk unit, an entity: a walk request becomes a start event; the {@link TranslationMode} decides the
 * walk's steps, and the walker times them one after the other. PWC, NTLB and cache hits cost their latency inline;
 * a step that reaches DRAM is a request to the memory controller, and the walk continues in its completion event.
 * When the last step is done the requester is told, with the walk in hand.
 */
public final class PageWalker implements AccessChain.Listener {
    /** Whoever asked for the walk. */
    @FunctionalInterface
    public interface Listener {
        /** The walk in {@code trace} has ended at {@code trace.endTime()}, which is the current time. */
        void walkFinished(WalkTrace trace);

        /**
         * The walk's critical steps are done and it offers a speculative translation ({@link
         * WalkTrace#speculativeBase()}) at the current time; it goes on to verify it and will call
         * {@link #walkFinished}. Only modes that speculate call this.
         */
        default void walkSpeculated(WalkTrace trace) {
            throw new UnsupportedOperationException("this requester cannot use speculative translations");
        }
    }

    private final TranslationMode mode;
    private final Scheduler scheduler;
    private final AccessChain chain;
    private final WalkTrace trace = new WalkTrace();
    private final Timing timing;
    private final Action start = this::start;
    private final Action speculated = () -> this.listener.walkSpeculated(this.trace);
    private long va;
    private boolean write;
    private Listener listener;
    private boolean busy;
    private Timeline timeline = Timeline.NONE;

    private long walks;
    private long pageFaults;
    private long nestedFaults;
    private long cycles;
    private long criticalReferences;
    private long speculative;
    private final long[][] steps = new long[TableKind.values().length][ServedBy.values().length];

    public PageWalker(TranslationMode mode, WalkHardware hardware, Scheduler scheduler, MemoryController memory) {
        this.mode = mode;
        this.scheduler = scheduler;
        this.chain = new AccessChain(scheduler, memory);
        this.timing = new Timing(trace, hardware);
    }

    /** Reports every walk to {@code t} from now on. */
    public void recordTo(Timeline t) {
        this.timeline = t;
    }

    public TranslationMode mode() {
        return mode;
    }

    /** Whether a walk is in progress (for a speculating mode, possibly behind a vCPU that runs on). */
    public boolean busy() {
        return busy;
    }

    /** Asks for a walk of {@code va} starting at {@code time} (not before now): schedules the walk's start event. */
    public void request(long time, long va, boolean write, Listener listener) {
        if (busy) {
            throw new IllegalStateException("the page walker is already walking");
        }
        this.busy = true;
        this.va = va;
        this.write = write;
        this.listener = listener;
        scheduler.schedule(time, start);
    }

    private void start() {
        trace.reset(va, write);
        long now = scheduler.now();
        trace.times(now, now);
        mode.walk(va, write, trace);
        timing.speculateAfter = trace.speculative() ? trace.criticalSteps() - 1 : -1;
        chain.run(now, timing, this);
    }

    @Override
    public void chainDone(long time) {
        trace.times(trace.startTime(), time);
        walks++;
        cycles += time - trace.startTime();
        switch (trace.outcome()) {
            case PAGE_FAULT -> pageFaults++;
            case NESTED_FAULT -> nestedFaults++;
            default -> {
            }
        }
        for (int i = 0; i < trace.size(); i++) {
            steps[trace.table(i).ordinal()][trace.servedBy(i).ordinal()]++;
            if (i < trace.criticalSteps() && trace.servedBy(i).isMemoryReference()) {
                criticalReferences++;
            }
        }
        if (trace.speculative()) {
            speculative++;
        }
        busy = false;
        timeline.walk(trace);
        listener.walkFinished(trace);
    }

    public WalkStats stats() {
        long[][] copy = new long[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            copy[t] = steps[t].clone();
        }
        return new WalkStats(walks, pageFaults, nestedFaults, cycles, criticalReferences, speculative, copy);
    }

    /** Cycles of each step of a walk: walk-cache probes that missed, then whatever served it. */
    private final class Timing implements AccessChain.Steps {
        private final WalkTrace trace;
        /** The step after which the speculative translation is offered, or -1. */
        int speculateAfter = -1;
        private final int pwcLatency;
        private final int ntlbLatency;
        private final CacheHierarchy caches;

        Timing(WalkTrace trace, WalkHardware hw) {
            this.trace = trace;
            this.pwcLatency = hw.pwc().latency();
            this.ntlbLatency = hw.ntlb().latency();
            this.caches = hw.caches();
        }

        @Override
        public int count() {
            return trace.size();
        }

        @Override
        public long cycles(int i) {
            int missed = trace.missed(i);
            long c = ((missed & WalkTrace.MISSED_PWC) != 0 ? pwcLatency : 0)
                    + ((missed & WalkTrace.MISSED_NTLB) != 0 ? ntlbLatency : 0);
            ServedBy by = trace.servedBy(i);
            return c + switch (by) {
                case PWC -> pwcLatency;
                case NTLB -> ntlbLatency;
                default -> caches.latency(by.memoryLevel());
            };
        }

        @Override
        public boolean dram(int i) {
            return trace.servedBy(i) == ServedBy.DRAM;
        }

        @Override
        public long address(int i) {
            return trace.address(i);
        }

        @Override
        public boolean write(int i) {
            return false;
        }

        @Override
        public void completed(int i, long time) {
            trace.stepEnd(i, time);
            if (i == speculateAfter) {
                // An event of its own: the requester runs on from here while the walk continues, and two entities
                // must not both act inline in one event (see Scheduler).
                scheduler.schedule(time, speculated);
            }
        }
    }
}
