package org.nestwalk.sim;

import java.util.PriorityQueue;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * A minimal reference event loop (a binary heap, no framework) implementing the same {@link Scheduler} contract as
 * the DSOL seam: running a model on both and getting identical results shows the seam adds nothing and loses
 * nothing.
 */
final class PlainScheduler implements Scheduler {
    private record Event(long time, int priority, long cause, long sequence, Action action)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            if (time != o.time) {
                return Long.compare(time, o.time);
            }
            if (priority != o.priority) {
                return Integer.compare(o.priority, priority);
            }
            if (cause != o.cause) {
                return Long.compare(cause, o.cause);
            }
            return Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;
    private long executed;
    private boolean finished;

    void run(SimModel model) {
        model.construct(this);
        while (!finished && !queue.isEmpty()) {
            Event e = queue.poll();
            now = e.time;
            executed++;
            e.action.run();
        }
        if (!finished) {
            throw new IllegalStateException("the model never finished");
        }
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public long nextEventTime() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.time;
    }

    @Override
    public void scheduleFrom(long cause, long time, int priority, Action action) {
        if (cause < now || cause > time) {
            throw new IllegalArgumentException("event in the past, or caused outside [now, time]");
        }
        queue.add(new Event(time, priority, cause, ++sequence, action));
    }

    /** A vCPU's resume, ordered among the PEER events of its time by rank (held where the cause is). */
    @Override
    public void schedulePeer(long time, int rank, Action action) {
        if (time < now) {
            throw new IllegalArgumentException("event in the past");
        }
        queue.add(new Event(time, PEER, rank, ++sequence, action));
    }

    @Override
    public boolean onlyLaterPeersAt(long time, int rank) {
        Event e = queue.peek();
        return e != null && e.time == time && e.priority == PEER && e.cause > rank;
    }

    @Override
    public void finish() {
        finished = true;
    }

    @Override
    public long eventsExecuted() {
        return executed;
    }
}
