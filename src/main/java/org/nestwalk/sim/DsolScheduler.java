package org.nestwalk.sim;

import nl.tudelft.simulation.dsol.formalisms.eventscheduling.SimEventInterface;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * The {@link Scheduler} seam over one DSOL simulator. Each scheduled {@link Action} becomes one light DSOL event;
 * an exception thrown by an action is caught, kept, and ends the replication, so that the runner can report it with
 * its context instead of DSOL pausing silently.
 */
final class DsolScheduler implements Scheduler {
    private final FastDevsSimulator simulator;
    private long sequence;
    private long executed;
    private Throwable failure;
    private boolean finished;

    DsolScheduler(FastDevsSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public long now() {
        return simulator.getSimulatorTime();
    }

    @Override
    public long nextEventTime() {
        return simulator.nextEventTime();
    }

    @Override
    public void schedule(long time, int priority, Action action) {
        simulator.scheduleEvent(new ActionEvent(time, (short) priority, ++sequence, action));
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

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        finish();
    }

    /**
     * One scheduled action. Ordering matches DSOL's own events (time, then priority, then scheduling order); the
     * sequence number is per simulator, so runs in parallel never influence each other's tie-breaking.
     */
    private final class ActionEvent implements SimEventInterface<Long> {
        private final Long time;
        private final short priority;
        private final long id;
        private final Action action;

        ActionEvent(long time, short priority, long id, Action action) {
            this.time = time;
            this.priority = priority;
            this.id = id;
            this.action = action;
        }

        @Override
        public void execute() {
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

        @Override
        public Long getAbsoluteExecutionTime() {
            return time;
        }

        @Override
        public short getPriority() {
            return priority;
        }

        @Override
        public long getId() {
            return id;
        }

        @Override
        public String toString() {
            return "ActionEvent[t=" + time + ", priority=" + priority + ", " + action + "]";
        }
    }
}
