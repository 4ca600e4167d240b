package org.nestwalk.des;

/**
 * The discrete-event engine as the model sees it: a clock in core cycles and a future event list. Entities schedule
 * {@link Action}s; nothing in the model names the framework behind it.
 *
 * <h2>Acting inline at a later time</h2>
 * An entity that is running (inside an event at time {@link #now()}) may keep running on a local clock and act at a
 * later local time {@code t} without scheduling an event, as long as {@code t < nextEventTime()}: no other event can
 * run in between, so acting now "as of t" is indistinguishable from scheduling an event at {@code t} and acting
 * then. This is what keeps TLB hits and cache hits event-free. Anything beyond that horizon must be scheduled.
 */
public interface Scheduler {
    /** Priority of ordinary events. */
    int NORMAL = 5;
    /** Priority of events that must run after every ordinary event of the same time (an entity catching up). */
    int LATE = 1;
    /**
     * Priority of a vCPU's resume on a machine of several vCPUs: after every other event of its time, so that a
     * vCPU finding only its peers' resumes at its own time may act first (see {@link #onlyPeersAt}).
     */
    int PEER = 0;

    /** Current simulated time, in core cycles. */
    long now();

    /** Time of the earliest pending event, or {@link Long#MAX_VALUE} if there is none. */
    long nextEventTime();

    /**
     * Whether the earliest pending event is at {@code time} and of priority {@link #PEER}, so that every event of
     * that time is a peer vCPU's resume (higher priorities run first). A running vCPU at that time may then act
     * before them: among vCPUs that meet at the same cycle the one already running goes first. Without that rule
     * two vCPUs at the same cycle would each yield to the other's resume forever.
     */
    default boolean onlyPeersAt(long time) {
        return false;
    }

    /** Runs {@code action} at absolute time {@code time} (not before {@link #now()}), normal priority. */
    default void schedule(long time, Action action) {
        schedule(time, NORMAL, action);
    }

    /**
     * Runs {@code action} at {@code time}. Among events of the same time, higher priorities run first and equal
     * priorities run in the order they were scheduled.
     */
    void schedule(long time, int priority, Action action);

    /** Ends the run after the current event; the run's result is whatever the model recorded. */
    void finish();

    /** Number of events executed so far (for benchmarks and the event-free fast-path tests). */
    long eventsExecuted();
}
