package org.nestwalk.memory;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * Times a chain of dependent steps (each starts when the previous ends): the references of a page walk, or the work
 * of an OS or hypervisor handler. A step that did not reach DRAM takes a fixed number of cycles and is computed
 * inline; a DRAM step is a request to the {@link MemoryController}, and the chain resumes in its completion event.
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
    }

    /** Told when the last step has ended, at that time. */
    @FunctionalInterface
    public interface Listener {
        void chainDone(long time);
    }

    private final Scheduler scheduler;
    private final MemoryController memory;
    private final Action submitLater = this::submit;
    private final Action finishLater = this::finish;
    private Steps steps;
    private Listener listener;
    private int next;
    private long cursor;
    private boolean busy;

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
        advance();
    }

    public boolean busy() {
        return busy;
    }

    private void advance() {
        int n = steps.count();
        while (next < n) {
            cursor += steps.cycles(next);
            if (steps.dram(next)) {
                if (cursor < scheduler.nextEventTime()) {
                    submit();
                } else {
                    scheduler.schedule(cursor, submitLater);
                }
                return;
            }
            steps.completed(next, cursor);
            next++;
        }
        if (cursor < scheduler.nextEventTime()) {
            finish();
        } else {
            scheduler.schedule(cursor, finishLater);
        }
    }

    private void submit() {
        memory.submit(cursor, steps.address(next), steps.write(next), this, 0);
    }

    @Override
    public void memoryDone(long completionTime, int tag) {
        cursor = completionTime;
        steps.completed(next, cursor);
        next++;
        advance();
    }

    private void finish() {
        busy = false;
        listener.chainDone(cursor);
    }
}
