package org.nestwalk.memory;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * Times a chain of dependent steps (each starts when the previous ends): the references of a page walk, or the work
 * of an OS or hypervisor handler. A step that did not reach DRAM takes a fixed number of cycles and is computed
 * inline; a DRAM step is a request to the {@link MemoryController}, and the chain resumes in its completion event.
 * A link of the chain may also be a group of independent steps issued together (the d probes of a hashed table):
 * they all start when the previous link ends, and the next link starts when the last of them has ended.
 *
 * <p>Acting inline at a time beyond the scheduler's next event would let this chain overtake that event, so a DRAM
 * request or the chain's end that falls at or after the next event time is deferred to an event of its own (see
 * {@link Scheduler}).
 */
public final class AccessChain implements MemoryClient {
    /** The steps being timed. */
    public interface Steps {
        int count();

        /** Cycles of step {@code i}; for a DRAM step, the cycles until its request leaves the LLC. */
        long cycles(int i);

        /** Whether step {@code i} goes to DRAM. */
        boolean dram(int i);

        /** System-physical address of DRAM step {@code i}. */
        long address(int i);

        /** Whether DRAM step {@code i} is a write. */
        boolean write(int i);

        /** Step {@code i} ended at {@code time}. */
        void completed(int i, long time);

        /**
         * Whether step {@code i} is issued together with step {@code i + 1}: a run of such steps and the one after
         * it form a group, started at once; the members of a group may complete in any order.
         */
        default boolean issuedWithNext(int i) {
            return false;
        }
    }

    /** Told when the last step has ended, at that time. */
    @FunctionalInterface
    public interface Listener {
        void chainDone(long time);
    }

    private final Scheduler scheduler;
    private final MemoryController memory;
    private final Action submitLater = () -> {
        clock = now();
        submit();
    };
    private final Action finishLater = () -> {
        clock = now();
        finish();
    };
    private final Action submitGroupLater = () -> {
        clock = now();
        submitGroup(true);
    };
    private Steps steps;
    private Listener listener;
    private int next;
    private long cursor;
    /**
     * The chain's own clock: the time of what it is doing now (its start, a completion, one of its deferred events),
     * which is the cause of what it schedules; its cursor runs ahead of it over fixed-latency steps.
     */
    private long clock;
    private boolean busy;

    // The group being timed: its last step, when it will end, and its DRAM requests in the order they leave the LLC.
    private int groupLast;
    private long groupEnd;
    private long[] pendingTime = new long[8];
    private int[] pendingStep = new int[8];
    private int pending;
    private int submitted;
    private int outstanding;

    public AccessChain(Scheduler scheduler, MemoryController memory) {
        this.scheduler = scheduler;
        this.memory = memory;
    }

    /** Starts timing {@code steps} at {@code start} (not before now). */
    public void run(long start, Steps steps, Listener listener) {
        if (busy) {
            throw new IllegalStateException("an access chain is already running");
        }
        this.busy = true;
        this.steps = steps;
        this.listener = listener;
        this.next = 0;
        this.cursor = start;
        this.clock = start;
        advance();
    }

    public boolean busy() {
        return busy;
    }

    private void advance() {
        int n = steps.count();
        while (next < n) {
            if (steps.issuedWithNext(next)) {
                startGroup(n);
                return;
            }
            cursor += steps.cycles(next);
            if (steps.dram(next)) {
                if (cursor < scheduler.nextEventTime()) {
                    submit();
                } else {
                    scheduler.scheduleFrom(clock, cursor, submitLater);
                }
                return;
            }
            steps.completed(next, cursor);
            next++;
        }
        if (cursor < scheduler.nextEventTime()) {
            finish();
        } else {
            scheduler.scheduleFrom(clock, cursor, finishLater);
        }
    }

    private void submit() {
        memory.submit(cursor, steps.address(next), steps.write(next), this, 0);
    }

    /**
     * Issues the group that starts at step {@code next}: every member at the current cursor; members that do not reach
     * DRAM end after their fixed cycles, the others become requests, submitted in the order they leave the LLC.
     */
    private void startGroup(int n) {
        int last = next;
        while (last + 1 < n && steps.issuedWithNext(last)) {
            last++;
        }
        groupLast = last;
        groupEnd = cursor;
        pending = 0;
        submitted = 0;
        for (int i = next; i <= last; i++) {
            long t = cursor + steps.cycles(i);
            if (steps.dram(i)) {
                addPending(t, i);
            } else {
                steps.completed(i, t);
                groupEnd = Math.max(groupEnd, t);
            }
        }
        outstanding = pending;
        submitGroup(false);
    }

    /** Keeps the group's DRAM requests sorted by the time they leave the LLC (then by step). */
    private void addPending(long time, int step) {
        if (pending == pendingTime.length) {
            pendingTime = java.util.Arrays.copyOf(pendingTime, pending * 2);
            pendingStep = java.util.Arrays.copyOf(pendingStep, pending * 2);
        }
        int k = pending++;
        while (k > 0 && pendingTime[k - 1] > time) {
            pendingTime[k] = pendingTime[k - 1];
            pendingStep[k] = pendingStep[k - 1];
            k--;
        }
        pendingTime[k] = time;
        pendingStep[k] = step;
    }

    /**
     * Submits the group's requests in time order, each inline while it falls before the next event, or else from an
     * event of its own at its time ({@code resumed}: this is that event, and its request goes now).
     */
    private void submitGroup(boolean resumed) {
        while (submitted < pending) {
            long t = pendingTime[submitted];
            if (!resumed && t >= scheduler.nextEventTime()) {
                scheduler.scheduleFrom(clock, t, submitGroupLater);
                return;
            }
            resumed = false;
            int step = pendingStep[submitted++];
            // The tag names the step (plus one: 0 is the tag of a chained step).
            memory.submit(t, steps.address(step), steps.write(step), this, step + 1);
        }
        if (outstanding == 0) {
            groupDone();
        }
    }

    private void groupDone() {
        cursor = groupEnd;
        next = groupLast + 1;
        advance();
    }

    @Override
    public void memoryDone(long completionTime, int tag) {
        clock = completionTime;
        if (tag > 0) {
            steps.completed(tag - 1, completionTime);
            groupEnd = Math.max(groupEnd, completionTime);
            outstanding--;
            if (outstanding == 0 && submitted == pending) {
                groupDone();
            }
            return;
        }
        cursor = completionTime;
        steps.completed(next, cursor);
        next++;
        advance();
    }

    /** The scheduler's clock (a method: the deferred actions above are built before the constructor sets the field). */
    private long now() {
        return scheduler.now();
    }

    private void finish() {
        busy = false;
        listener.chainDone(cursor);
    }
}
