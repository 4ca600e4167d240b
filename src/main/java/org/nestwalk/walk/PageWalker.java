package org.nestwalk.walk;

import java.util.function.LongConsumer;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryController;
import org.nestwalk.timeline.Timeline;

/**
 * The MMU's page walk units, an entity: {@code mmu.walkers} walkers, each doing one walk at a time, and a queue of
 * walk requests waiting for one, served in the order they came. A request that finds a walker free becomes that
 * walker's start event; the {@link TranslationMode} decides the walk's steps, and the walker times them. PWC, NTLB
 * and cache hits cost their latency inline; a step that reaches DRAM is a request to the memory controller, and the
 * walk continues in its completion event. When the translation is known the requester is told, with the walk in
 * hand, and the walker takes the next queued request.
 *
 * <p>A walk that begins with a probe of the inverted shadow page table may offer a speculative translation. With
 * {@link VerifyTiming#AFTER_PROBE} the probe and the verifying walk are one chain of steps; with {@link
 * VerifyTiming#PARALLEL} the walker issues both at once (it holds two references in flight), the requester gets the
 * speculative translation when the probe's line is back if the verification has not finished first, and the walker
 * is free again when both are done.
 */
public final class PageWalker {
    /** Whoever asked for a walk. */
    public interface Listener {
        /**
         * Walk {@code ticket} has ended: its translation (or fault) in {@code trace} is final at {@code
         * trace.endTime()}, which is the current time or, when its last steps were computed inline, a little
         * later. The trace is the walker's and is only valid during this call.
         */
        void walkFinished(long ticket, WalkTrace trace);

        /**
         * Walk {@code ticket} offers a speculative translation ({@link WalkTrace#speculativeBase()}) at the
         * current time; it goes on to verify it and will call {@link #walkFinished}. Only modes that speculate
         * call this.
         */
        default void walkSpeculated(long ticket, WalkTrace trace) {
            throw new UnsupportedOperationException("this requester cannot use speculative translations");
        }
    }

    private final TranslationMode mode;
    private final Scheduler scheduler;
    private final VerifyTiming verify;
    private final Unit[] units;
    private final RequestQueue queue = new RequestQueue();
    private LongConsumer released = time -> { };
    private Timeline timeline = Timeline.NONE;
    private long nextTicket = 1;
    private int busy;

    private long walks;
    private long pageFaults;
    private long nestedFaults;
    private long cycles;
    private long criticalReferences;
    private long speculative;
    private long queuedWalks;
    private long queueCycles;
    private long busyCycles;
    private final long[][] steps = new long[TableKind.values().length][ServedBy.values().length];

    public PageWalker(TranslationMode mode, WalkHardware hardware, Scheduler scheduler, MemoryController memory,
                      WalkerConfig config) {
        this.mode = mode;
        this.scheduler = scheduler;
        this.verify = config.verify();
        this.units = new Unit[config.walkers()];
        for (int i = 0; i < units.length; i++) {
            units[i] = new Unit(hardware, memory);
        }
    }

    /** Reports every walk to {@code t} from now on. */
    public void recordTo(Timeline t) {
        this.timeline = t;
    }

    /**
     * Tells {@code r} the time whenever a walker becomes free outside a {@link Listener#walkFinished} call (a
     * parallel probe that outlasted its walk), so that a requester waiting for a walker learns of it.
     */
    public void onRelease(LongConsumer r) {
        this.released = r;
    }

    public TranslationMode mode() {
        return mode;
    }

    /** Walkers in all. */
    public int walkers() {
        return units.length;
    }

    /** Whether a request made now would start at once. */
    public boolean hasFreeWalker() {
        return busy < units.length;
    }

    /** Whether no walk is in flight or waiting. */
    public boolean idle() {
        return busy == 0 && queue.size() == 0;
    }

    /** Walks in flight. */
    public int inFlight() {
        return busy;
    }

    /** Requests waiting for a walker. */
    public int queued() {
        return queue.size();
    }

    /**
     * Asks for a walk of {@code va} from {@code time} on (not before now): it starts then on a free walker, or
     * waits for one behind the requests already waiting.
     *
     * @return the walk's ticket, which the listener's calls name
     */
    public long request(long time, long va, boolean write, Listener listener) {
        long ticket = nextTicket++;
        for (Unit u : units) {
            if (!u.busy) {
                u.assign(time, ticket, time, va, write, listener, time);
                return ticket;
            }
        }
        queue.add(ticket, time, va, write, listener);
        queuedWalks++;
        return ticket;
    }

    /** Withdraws the waiting request {@code ticket} (its reference was squashed); false if it has started. */
    public boolean cancel(long ticket) {
        if (queue.remove(ticket)) {
            queuedWalks--;
            return true;
        }
        return false;
    }

    public WalkStats stats() {
        long[][] copy = new long[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            copy[t] = steps[t].clone();
        }
        return new WalkStats(walks, pageFaults, nestedFaults, cycles, criticalReferences, speculative, queuedWalks,
                queueCycles, busyCycles, copy);
    }

    /** One walker: its walk's record, the chains that time it, and where the walk stands. */
    private final class Unit {
        private final WalkTrace trace = new WalkTrace();
        private final AccessChain walkChain;
        private final AccessChain probeChain;
        private final Timing walkTiming;
        private final Timing probeTiming;
        private final Action start = this::start;
        private final Action speculated = this::speculated;
        private final Action probeArrived = this::probeArrived;
        private final AccessChain.Listener walkDone = this::walkDone;
        private final AccessChain.Listener probeDone = this::probeDone;
        private boolean busy;
        private long ticket;
        private long va;
        private boolean write;
        private long requested;
        private Listener listener;
        private boolean parallel;
        private boolean walking;
        private boolean probing;
        private boolean finished;
        private boolean delivered;
        /** Whether this walk's probe has its line back (an invariant of delivering a speculation). */
        private boolean probeBack;
        private long probeEnd;

        Unit(WalkHardware hardware, MemoryController memory) {
            this.walkChain = new AccessChain(scheduler, memory);
            this.probeChain = new AccessChain(scheduler, memory);
            this.walkTiming = new Timing(trace, hardware, this);
            this.probeTiming = new Timing(trace, hardware, this);
        }

        /** Starts walk {@code t} at {@code at}, as decided at {@code cause} (a request, or the walker freed). */
        void assign(long cause, long t, long at, long address, boolean isWrite, Listener l, long requestTime) {
            if (PageWalker.this.busy == units.length) {
                throw new IllegalStateException("more walks in flight than the " + units.length + " walkers");
            }
            busy = true;
            PageWalker.this.busy++;
            ticket = t;
            va = address;
            write = isWrite;
            listener = l;
            requested = requestTime;
            scheduler.scheduleFrom(cause, at, start);
        }

        private void start() {
            long now = scheduler.now();
            queueCycles += now - requested;
            trace.reset(va, write);
            trace.started(now);
            mode.walk(va, write, trace);
            finished = false;
            delivered = false;
            probeBack = false;
            int probe = trace.probeSteps();
            parallel = probe > 0 && verify == VerifyTiming.PARALLEL;
            walking = true;
            if (parallel) {
                probing = true;
                probeTiming.prepare(0, probe, -1, now);
                walkTiming.prepare(probe, trace.size(), -1, now);
                // The probe first: its line leaves the LLC no later than any entry of the walk, so requests reach
                // the memory controller in time order.
                probeChain.run(now, probeTiming, probeDone);
                walkChain.run(now, walkTiming, walkDone);
            } else {
                probing = false;
                walkTiming.prepare(0, trace.size(), trace.offersSpeculation() ? probe - 1 : -1, now);
                walkChain.run(now, walkTiming, walkDone);
            }
        }

        /**
         * The probe's chain has ended at {@code time} (parallel verification only): what follows happens in an event
         * at that time. The two chains of a walk start in one event and each may run ahead inline, the probe's first;
         * acting on the probe's end there could put it before a walk that ends earlier, on the walk's chain, after
         * it (then the walker would be freed at the walk's end with the probe still out, and a speculation lost).
         */
        private void probeDone(long time) {
            probeEnd = time;
            probeBack = true;
            scheduler.scheduleFrom(time, time, probeArrived);
        }

        /** The probe's line is back: the speculative translation goes to the requester, or the walker is free. */
        private void probeArrived() {
            probing = false;
            if (walking) {
                if (trace.offersSpeculation()) {
                    // The requester runs on from here while the walk continues.
                    speculated();
                }
            } else {
                release(probeEnd);
                released.accept(probeEnd);
            }
        }

        /** The chained probe step is done (verification after the probe). */
        void chainedProbeDone(long time) {
            probeEnd = time;
            probeBack = true;
            scheduler.scheduleFrom(time, time, speculated);
        }

        private void speculated() {
            if (finished) {
                // The verification was faster than the probe's line: its translation is final already.
                return;
            }
            if (!probeBack) {
                // Once, a speculation event outlived its walk and served the next walk on this walker.
                throw new IllegalStateException("walk " + ticket + ": a speculative translation delivered before its"
                        + " probe's line is back");
            }
            delivered = true;
            trace.speculationUsed();
            listener.walkSpeculated(ticket, trace);
        }

        private void walkDone(long time) {
            walking = false;
            finished = true;
            int from = 0;
            int to = trace.size();
            long criticalEnd = time;
            if (delivered) {
                to = trace.probeSteps();
                criticalEnd = probeEnd;
            } else if (parallel) {
                from = trace.probeSteps();
            }
            trace.timed(trace.startTime(), time, from, to, criticalEnd);
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
            }
            criticalReferences += trace.criticalReferences();
            if (delivered) {
                speculative++;
            }
            timeline.walk(trace);
            // The walk's own ticket and requester: releasing the walker may hand it the next queued request.
            long done = ticket;
            Listener requester = listener;
            if (!probing) {
                release(time);
            }
            requester.walkFinished(done, trace);
        }

        /** The walker is free at {@code time}: the oldest waiting request, if any, starts on it then. */
        private void release(long time) {
            busy = false;
            PageWalker.this.busy--;
            busyCycles += time - trace.startTime();
            if (queue.size() > 0) {
                queue.pop();
                assign(time, queue.ticket, Math.max(time, queue.time), queue.va, queue.write, queue.listener,
                        queue.time);
            }
        }
    }

    /** Cycles of each step of a range of a walk: walk-cache probes that missed, then whatever served it. */
    private static final class Timing implements AccessChain.Steps {
        private final WalkTrace trace;
        private final Unit unit;
        private final int pwcLatency;
        private final int ntlbLatency;
        private final int cwcLatency;
        private final CacheHierarchy caches;
        private int from;
        private int count;
        /** The step (absolute) after which the speculative translation is offered, or -1. */
        private int speculateAfter = -1;
        private long lastEnd;
        // A group of steps issued together: its first step, when it started, the latest end so far, steps left.
        private int groupFirst = -1;
        private long groupStart;
        private long groupEnd;
        private int groupLeft;

        Timing(WalkTrace trace, WalkHardware hw, Unit unit) {
            this.trace = trace;
            this.unit = unit;
            this.pwcLatency = hw.pwc().latency();
            this.ntlbLatency = hw.ntlb().latency();
            this.cwcLatency = hw.cwc().latency();
            this.caches = hw.caches();
        }

        void prepare(int first, int end, int speculateAfterStep, long start) {
            this.from = first;
            this.count = end - first;
            this.speculateAfter = speculateAfterStep;
            this.lastEnd = start;
            this.groupFirst = -1;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public long cycles(int i) {
            int step = from + i;
            int missed = trace.missed(step);
            long c = ((missed & WalkTrace.MISSED_PWC) != 0 ? pwcLatency : 0)
                    + ((missed & WalkTrace.MISSED_NTLB) != 0 ? ntlbLatency : 0)
                    + ((missed & WalkTrace.PROBED_CWC) != 0 ? cwcLatency : 0);
            ServedBy by = trace.servedBy(step);
            return c + switch (by) {
                case PWC -> pwcLatency;
                case NTLB -> ntlbLatency;
                default -> caches.latency(by.memoryLevel());
            };
        }

        @Override
        public boolean dram(int i) {
            return trace.servedBy(from + i) == ServedBy.DRAM;
        }

        @Override
        public long address(int i) {
            return trace.address(from + i);
        }

        @Override
        public boolean write(int i) {
            return false;
        }

        @Override
        public boolean issuedWithNext(int i) {
            return trace.issuedWithNext(from + i);
        }

        @Override
        public void completed(int i, long time) {
            int step = from + i;
            if (trace.issuedWithNext(step) || step > from && trace.issuedWithNext(step - 1)) {
                groupMemberCompleted(step, time);
                return;
            }
            trace.step(step, lastEnd, time);
            lastEnd = time;
            if (step == speculateAfter) {
                unit.chainedProbeDone(time);
            }
        }

        /** A step of a group ended (in any order): each started with the group; the group ends with its last. */
        private void groupMemberCompleted(int step, long time) {
            int first = step;
            while (first > from && trace.issuedWithNext(first - 1)) {
                first--;
            }
            if (first != groupFirst) {
                groupFirst = first;
                groupStart = lastEnd;
                groupEnd = lastEnd;
                int last = first;
                while (trace.issuedWithNext(last)) {
                    last++;
                }
                groupLeft = last - first + 1;
            }
            trace.step(step, groupStart, time);
            groupEnd = Math.max(groupEnd, time);
            if (--groupLeft == 0) {
                lastEnd = groupEnd;
            }
        }
    }

    /** Walk requests waiting for a walker, oldest first, in primitive arrays that grow as needed. */
    private static final class RequestQueue {
        private long[] tickets = new long[16];
        private long[] times = new long[16];
        private long[] vas = new long[16];
        private boolean[] writes = new boolean[16];
        private Listener[] listeners = new Listener[16];
        private int head;
        private int size;
        /** The request {@link #pop} took off. */
        long ticket;
        long time;
        long va;
        boolean write;
        Listener listener;

        int size() {
            return size;
        }

        void add(long t, long at, long address, boolean isWrite, Listener l) {
            if (size == tickets.length) {
                grow();
            }
            int i = (head + size) % tickets.length;
            tickets[i] = t;
            times[i] = at;
            vas[i] = address;
            writes[i] = isWrite;
            listeners[i] = l;
            size++;
        }

        void pop() {
            ticket = tickets[head];
            time = times[head];
            va = vas[head];
            write = writes[head];
            listener = listeners[head];
            listeners[head] = null;
            head = (head + 1) % tickets.length;
            size--;
        }

        boolean remove(long t) {
            for (int k = 0; k < size; k++) {
                int i = (head + k) % tickets.length;
                if (tickets[i] == t) {
                    for (int m = k; m < size - 1; m++) {
                        int a = (head + m) % tickets.length;
                        int b = (head + m + 1) % tickets.length;
                        tickets[a] = tickets[b];
                        times[a] = times[b];
                        vas[a] = vas[b];
                        writes[a] = writes[b];
                        listeners[a] = listeners[b];
                    }
                    listeners[(head + size - 1) % tickets.length] = null;
                    size--;
                    return true;
                }
            }
            return false;
        }

        private void grow() {
            int n = tickets.length * 2;
            long[] t = new long[n];
            long[] at = new long[n];
            long[] v = new long[n];
            boolean[] w = new boolean[n];
            Listener[] l = new Listener[n];
            for (int k = 0; k < size; k++) {
                int i = (head + k) % tickets.length;
                t[k] = tickets[i];
                at[k] = times[i];
                v[k] = vas[i];
                w[k] = writes[i];
                l[k] = listeners[i];
            }
            tickets = t;
            times = at;
            vas = v;
            writes = w;
            listeners = l;
            head = 0;
        }
    }
}
