package org.nestwalk.sim;

import java.io.Serializable;
import nl.tudelft.simulation.dsol.SimRuntimeException;
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
 * The clock is kept as a {@code long} ({@link #now()}); DSOL's boxed {@code simulatorTime} is set from it whenever
 * the time changes, so that every DSOL method that reads it sees the same time.
 */
final class FastDevsSimulator extends DevsSimulator<Long> {
    private final CycleEventList events;
    private long now;
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

    /**
     * Schedules one of the model's actions. Only the model calls this, and the model runs only inside
     * {@code constructModel()} and inside events, which both hold the simulator's semaphore already: taking it again
     * here would change nothing.
     */
    void schedule(long time, int priority, Action action) {
        if (time < now) {
            throw new SimRuntimeException("cannot schedule an event at " + time + " in the past (now " + now + ")");
        }
        events.add(time, priority, action);
    }

    @Override
    public SimEventInterface<Long> scheduleEvent(SimEventInterface<Long> event) throws SimRuntimeException {
        synchronized (super.semaphore) {
            if (event.getAbsoluteExecutionTime() < now) {
                throw new SimRuntimeException("cannot schedule an event at " + event.getAbsoluteExecutionTime()
                        + " in the past (now " + now + ")");
            }
            this.eventList.add(event);
            return event;
        }
    }

    @Override
    public void initialize(nl.tudelft.simulation.dsol.model.DsolModel<Long,
            ? extends SimulatorInterface<Long>> model, nl.tudelft.simulation.dsol.experiment.Replication<Long>
            replication, boolean cleanUp) throws SimRuntimeException {
        // The model is constructed inside, and may read the clock: it starts where the replication starts.
        now = replication.getStartTime();
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
                    setTime(until);
                    this.runState = RunState.STOPPING;
                    break;
                }
                if (first != now) {
                    if (timeListened) {
                        // As DSOL: listeners are told the new time while the clock still shows the old one.
                        fireUnverifiedTimedEvent(SimulatorInterface.TIME_CHANGED_EVENT, null, first);
                    }
                    setTime(first);
                }
                try {
                    events.executeFirst();
                    checkStoppingCondition();
                } catch (Exception exception) {
                    handleSimulationException(exception);
                }
            }
        }
    }

    /** DSOL's {@code DevsSimulator.stepImpl()} (one event), keeping the {@code long} clock. */
    @Override
    protected void stepImpl() {
        synchronized (super.semaphore) {
            if (!events.isEmpty()) {
                long first = events.firstTime();
                fireUnverifiedTimedEvent(SimulatorInterface.TIME_CHANGED_EVENT, null, first);
                setTime(first);
                events.executeFirst();
            }
        }
    }

    @Override
    public void endReplication() {
        super.endReplication();
        // DSOL moves the clock to the replication's end when it ends early; keep the long clock with it.
        now = this.simulatorTime;
    }

    private void setTime(long time) {
        now = time;
        this.simulatorTime = time;
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
