package org.nestwalk.sim;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * The {@link Scheduler} seam over one DSOL simulator. Each scheduled {@link Action} goes into the simulator's event
 * list as it is (no event object is made for it); an exception thrown by an action is caught, kept, and ends the
 * replication, so that the runner can report it with its context instead of DSOL pausing silently.
 */
final class DsolScheduler implements Scheduler {
    private final FastDevsSimulator simulator;
    private long executed;
    private Throwable failure;
    private boolean finished;

    /** Makes the simulator (under DSOL's construction lock) whose events this seam schedules. */
    DsolScheduler(String id) {
        this.simulator = DsolRuntime.newSimulator(id, this::execute);
    }

    FastDevsSimulator simulator() {
        return simulator;
    }

    @Override
    public long now() {
        return simulator.now();
    }

    @Override
    public long nextEventTime() {
        return simulator.nextEventTime();
    }

    @Override
    public boolean onlyLaterPeersAt(long time, int rank) {
        return simulator.nextEventIsRankedAfter(time, PEER, rank);
    }

    @Override
    public void schedulePeer(long time, int rank, Action action) {
        simulator.scheduleRanked(time, PEER, rank, action);
    }

    /**
     * Ordering is DSOL's (time, then priority), then the cause, then the scheduling order; the scheduling order is
     * per simulator, so runs in parallel never influence each other's tie-breaking.
     */
    @Override
    public void scheduleFrom(long cause, long time, int priority, Action action) {
        simulator.schedule(cause, time, priority, action);
    }

    @Override
    public void finish() {
        if (!finished) {
            finished = true;
            DsolRuntime.endReplication(simulator);
        }
    }

    @Override
    public long eventsExecuted() {
        return executed;
    }

    Throwable failure() {
        return failure;
    }

    boolean isFinished() {
        return finished;
    }

    /** A model that failed while it was being built: nothing may run. */
    void recordConstructionFailure(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        finished = true;
    }

    /** Runs one of the model's actions at its time. */
    private void execute(Action action) {
        if (finished) {
            return;
        }
        executed++;
        try {
            action.run();
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        finish();
    }
}
