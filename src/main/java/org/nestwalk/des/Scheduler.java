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
 * What the entity schedules while acting inline it schedules {@linkplain #scheduleFrom from} its local time, so
 * that ties with other events are broken as if it had acted in an event at that time.
 */
public interface Scheduler {
    /** Priority of ordinary events. */
    int NORMAL = 5;
    /** Priority of events that must run after every ordinary event of the same time (an entity catching up). */
    int LATE = 1;
    /**
     * Priority of a vCPU's resume on a machine of several vCPUs: after every other event of its time, and among
     * them in the order of the vCPUs' ranks (see {@link #schedulePeer} and {@link #onlyLaterPeersAt}).
     */
    int PEER = 0;

    /** Current simulated time, in core cycles. */
    long now();

    /** Time of the earliest pending event, or {@link Long#MAX_VALUE} if there is none. */
    long nextEventTime();

    /**
     * Whether the earliest pending event is at {@code time}, of priority {@link #PEER} and ranked after
     * {@code rank}: then every event of that time is the resume of a peer vCPU that comes after the vCPU of that
     * rank, which, running at that time, may act first. Among vCPUs that meet at one cycle the lower rank goes
     * first, whichever of them happens to be running: an order that depends only on the vCPUs, not on what else is
     * on the event list (another VM's events, which may make a running vCPU yield at that very cycle). Without such
     * a rule two vCPUs at one cycle would each yield to the other's resume forever.
     */
    default boolean onlyLaterPeersAt(long time, int rank) {
        return false;
    }

    /**
     * Resumes the vCPU of rank {@code rank} at {@code time} ({@link #PEER} priority): after every other event of that
     * time, and before the resumes of higher ranks.
     */
    default void schedulePeer(long time, int rank, Action action) {
        schedule(time, PEER, action);
    }

    /**
     * Runs {@code action} at absolute time {@code time} (not before {@link #now()}), normal priority, as the effect of
     * something that happens now.
     */
    default void schedule(long time, Action action) {
        scheduleFrom(now(), time, NORMAL, action);
    }

    /** Runs {@code action} at {@code time} with {@code priority}, as the effect of something that happens now. */
    default void schedule(long time, int priority, Action action) {
        scheduleFrom(now(), time, priority, action);
    }

    /** {@link #scheduleFrom(long, long, int, Action)} with normal priority. */
    default void scheduleFrom(long cause, long time, Action action) {
        scheduleFrom(cause, time, NORMAL, action);
    }

    /**
     * Runs {@code action} at {@code time} as the effect of something that happened at {@code cause}
     * ({@code now() <= cause <= time}): an entity acting inline passes its own clock. Among events of the same
     * time, higher priorities run first; among equal priorities, the event whose cause is earlier runs first, and
     * events of the same cause run in the order they were scheduled.
     *
     * <p>Why the cause and not only the order of scheduling: an entity that acts inline schedules the consequences
     * of an act at its local time {@code t} earlier, in the order of scheduling, than it would if it had deferred
     * the same act to an event at {@code t}; and whether it may act inline depends on every other pending event,
     * including those of entities it never interacts with (another VM). Ordering ties by cause makes the run the
     * same whichever way the act was done, which is what "acting inline is indistinguishable from an event" needs.
     */
    void scheduleFrom(long cause, long time, int priority, Action action);

    /** Ends the run after the current event; the run's result is whatever the model recorded. */
    void finish();

    /** Number of events executed so far (for benchmarks and the event-free fast-path tests). */
    long eventsExecuted();
}
