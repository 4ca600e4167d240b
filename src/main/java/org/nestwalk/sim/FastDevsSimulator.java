package org.nestwalk.sim;

import java.io.Serializable;
import nl.tudelft.simulation.dsol.SimRuntimeException;
import nl.tudelft.simulation.dsol.formalisms.eventscheduling.Executable;
import nl.tudelft.simulation.dsol.formalisms.eventscheduling.SimEventInterface;
import nl.tudelft.simulation.dsol.simulators.DevsSimulator;
import nl.tudelft.simulation.dsol.simulators.RunState;
import nl.tudelft.simulation.dsol.simulators.SimulatorInterface;
import org.djutils.event.EventListener;
import org.djutils.event.EventType;
import org.djutils.event.reference.ReferenceType;
import org.nestwalk.des.Action;

/**
 * DSOL's discrete-event simulator with cycles as time, its per-event work cut down to what an event must cost:
 * <ul>
 * <li>the future event list is a {@link CycleEventList}, DSOL's {@code EventListInterface} over primitive arrays:
 * scheduling one of the model's actions allocates nothing, and ordering compares {@code long}s, where DSOL's lists
 * hold a new event object with a boxed {@code Long} per event and compare them through {@code compareTo};</li>
 * <li>{@link #run()} is DSOL's {@code DevsSimulator.run()} loop, step for step (the same states, run-until bound,
 * stopping condition and error strategy), except that it reads times as {@code long}s and fires
 * {@code TIME_CHANGED_EVENT} only when someone listens to it: DSOL fires it whenever time advances, and with no
 * listener that costs a new event object and a hash lookup of the event type (whose {@code hashCode} allocates)
 * on every event;</li>
 * <li>{@link #scheduleEvent} no longer formats every event for a TRACE log line that is never printed (since DSOL
 * 4.3.0 that string costs half to two-thirds of an event, {@code reference/dsol.md}).</li>
 * </ul>
 * The clock is kept as a {@code long} ({@link #now()}). DSOL's own clock is a boxed {@code simulatorTime} field,
 * and setting it on every time step would allocate a {@code Long} per event (half of what a gups run allocated once
 * {@code MemoryLevel.values()} was gone); so it is brought up to date only when DSOL code may read it: before one
 * of DSOL's own events or a listener runs, when the run stops, when the replication ends, and in the DSOL
 * scheduling methods that read it. {@link #getSimulatorTime()} always answers the current time.
 */
final class FastDevsSimulator extends DevsSimulator<Long> {
    private final CycleEventList events;
    private long now;
    /** Whether DSOL's boxed {@code simulatorTime} is behind {@link #now}. */
    private boolean clockBehind;
    /** Whether a listener for {@link SimulatorInterface#TIME_CHANGED_EVENT} is registered (kept by the overrides below). */
    private boolean timeListened;

    /** @param dispatcher runs the model's actions when their time comes */
    FastDevsSimulator(Serializable id, CycleEventList.Dispatcher dispatcher) {
        super(id);
        this.events = new CycleEventList(dispatcher);
        this.eventList = events;
    }

    /** Current time in cycles. */
    long now() {
        return now;
    }

    /** Time of the earliest pending event, or Long.MAX_VALUE. */
    long nextEventTime() {
        return events.firstTime();
    }

    /** Whether the earliest pending event is at {@code time} with {@code priority}, ranked after {@code rank}. */
    boolean nextEventIsRankedAfter(long time, int priority, int rank) {
        return events.firstIsRankedAfter(time, priority, rank);
    }

    /** Schedules one of the model's actions ranked by {@code rank} among those of its time and priority. */
    void scheduleRanked(long time, int priority, int rank, Action action) {
        requireNotPast(time);
        events.addRanked(time, priority, rank, action);
    }

    /**
     * Schedules one of the model's actions, caused at {@code cause} (see {@code Scheduler.scheduleFrom}). Only the
     * model calls this, and the model runs only inside {@code constructModel()} and inside events, which both hold
     * the simulator's semaphore already: taking it again here would change nothing.
     */
    void schedule(long cause, long time, int priority, Action action) {
        requireNotPast(time);
        if (cause < now || cause > time) {
            throw new SimRuntimeException("cannot schedule an event at " + time + " caused at " + cause + " (now "
                    + now + "): the cause must be between now and the event's time");
        }
        events.add(cause, time, priority, action);
    }

    @Override
    public SimEventInterface<Long> scheduleEvent(SimEventInterface<Long> event) throws SimRuntimeException {
        synchronized (super.semaphore) {
            requireNotPast(event.getAbsoluteExecutionTime());
            this.eventList.add(event);
            return event;
        }
    }

    /** Refuses an event before the clock: the model's actions and DSOL's own events alike. */
    private void requireNotPast(long time) {
        if (time < now) {
            throw new SimRuntimeException("cannot schedule an event at " + time + " in the past (now " + now + ")");
        }
    }

    @Override
    public void initialize(nl.tudelft.simulation.dsol.model.DsolModel<Long,
            ? extends SimulatorInterface<Long>> model, nl.tudelft.simulation.dsol.experiment.Replication<Long>
            replication, boolean cleanUp) throws SimRuntimeException {
        // The model is constructed inside, and may read the clock: it starts where the replication starts.
        now = replication.getStartTime();
        clockBehind = false;
        events.startAt(now);
        super.initialize(model, replication, cleanUp);
    }

    /** DSOL's {@code DevsSimulator.run()}, with primitive times and no event fired to nobody. */
    @Override
    public void run() {
        // Signals startImpl() that the run has started.
        this.runflag = true;
        while (!isStoppingOrStopped()) {
            synchronized (super.semaphore) {
                long until = this.runUntilTime;
                long first = events.firstTime();
                if (events.isEmpty() || first > until || first == until && !this.runUntilIncluding) {
                    now = until;
                    this.simulatorTime = this.runUntilTime;
                    clockBehind = false;
                    this.runState = RunState.STOPPING;
                    break;
                }
                if (first != now) {
                    if (timeListened) {
                        // As DSOL: listeners are told the new time while the clock still shows the old one.
                        syncClock();
                        fireUnverifiedTimedEvent(SimulatorInterface.TIME_CHANGED_EVENT, null, first);
                    }
                    now = first;
                    clockBehind = true;
                }
                try {
                    if (events.firstIsForeign()) {
                        syncClock();
                    }
                    events.executeFirst();
                    checkStoppingCondition();
                } catch (Exception exception) {
                    syncClock();
                    handleSimulationException(exception);
                }
            }
        }
        // Stopped from outside the loop's own bound (stop(), the end of the replication): DSOL's clock is read next.
        synchronized (super.semaphore) {
            syncClock();
        }
    }

    /** DSOL's {@code DevsSimulator.stepImpl()} (one event), keeping the {@code long} clock. */
    @Override
    protected void stepImpl() {
        synchronized (super.semaphore) {
            if (!events.isEmpty()) {
                long first = events.firstTime();
                syncClock();
                fireUnverifiedTimedEvent(SimulatorInterface.TIME_CHANGED_EVENT, null, first);
                now = first;
                this.simulatorTime = first;
                events.executeFirst();
            }
        }
    }

    /**
     * Called inside an event (the model's {@code finish()}), or by DSOL when the simulator is not running: either way
     * on the thread that owns the clock.
     */
    @Override
    public void endReplication() {
        syncClock();
        super.endReplication();
        // DSOL moves the clock to the replication's end when it ends early; keep the long clock with it.
        now = this.simulatorTime;
    }

    @Override
    public Long getSimulatorTime() {
        // Answers without writing the field, so that a call from another thread cannot race with the clock's owner.
        return clockBehind ? Long.valueOf(now) : this.simulatorTime;
    }

    // DSOL's relative and "now" scheduling methods read the field directly.

    @Override
    public SimEventInterface<Long> scheduleEventRel(Long relativeDelay, short priority, Object target, String method,
            Object[] args) throws SimRuntimeException {
        synchronized (super.semaphore) {
            syncClock();
            return super.scheduleEventRel(relativeDelay, priority, target, method, args);
        }
    }

    @Override
    public SimEventInterface<Long> scheduleEventNow(short priority, Object target, String method, Object[] args)
            throws SimRuntimeException {
        synchronized (super.semaphore) {
            syncClock();
            return super.scheduleEventNow(priority, target, method, args);
        }
    }

    @Override
    public SimEventInterface<Long> scheduleEventRel(Long relativeDelay, short priority, Executable executable)
            throws SimRuntimeException {
        synchronized (super.semaphore) {
            syncClock();
            return super.scheduleEventRel(relativeDelay, priority, executable);
        }
    }

    @Override
    public SimEventInterface<Long> scheduleEventNow(short priority, Executable executable) throws SimRuntimeException {
        synchronized (super.semaphore) {
            syncClock();
            return super.scheduleEventNow(priority, executable);
        }
    }

    /** Brings DSOL's boxed clock up to date; only on the clock's owner, or under the semaphore. */
    private void syncClock() {
        if (clockBehind) {
            this.simulatorTime = now;
            clockBehind = false;
        }
    }

    // The listener registry is DSOL's (djutils'); these overrides only note whether the time-changed event has a
    // listener, so that run() need not look it up on every event. Every other way of adding or removing a listener
    // goes through one of them.

    @Override
    public boolean addListener(EventListener listener, EventType eventType, int position, ReferenceType referenceType) {
        boolean added = super.addListener(listener, eventType, position, referenceType);
        noteListeners();
        return added;
    }

    @Override
    public boolean removeListener(EventListener listener, EventType eventType) {
        boolean removed = super.removeListener(listener, eventType);
        noteListeners();
        return removed;
    }

    @Override
    public int removeAllListeners() {
        int removed = super.removeAllListeners();
        noteListeners();
        return removed;
    }

    @Override
    public int removeAllListeners(Class<?> ofClass) {
        int removed = super.removeAllListeners(ofClass);
        noteListeners();
        return removed;
    }

    private void noteListeners() {
        timeListened = getEventListenerMap().containsKey(SimulatorInterface.TIME_CHANGED_EVENT);
    }
}
