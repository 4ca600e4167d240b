package org.nestwalk.sim;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nl.tudelft.simulation.dsol.experiment.Replication;
import nl.tudelft.simulation.dsol.experiment.SingleReplication;
import nl.tudelft.simulation.dsol.experiment.StreamInformation;
import nl.tudelft.simulation.dsol.model.AbstractDsolModel;
import nl.tudelft.simulation.dsol.simulators.DevsSimulatorInterface;
import nl.tudelft.simulation.dsol.simulators.ReplicationState;
import nl.tudelft.simulation.dsol.simulators.SimulatorInterface;
import nl.tudelft.simulation.jstats.streams.MersenneTwister;
import org.djutils.event.EventListener;
import org.djutils.event.EventProducer;
import org.djutils.event.reference.ReferenceType;
import org.nestwalk.des.Scheduler;

/**
 * Runs one replication of a {@link SimModel} headless on its own DSOL simulator and returns when it has ended,
 * following {@code reference/dsol.md}: construction under the global lock, a latch on the end of the replication
 * (registered last, after DSOL's own statistics), failure detected as "stopped without ending", a timeout on every
 * wait, and the simulator's worker thread and naming context released on every path. Replications share nothing,
 * so several runners may run on different threads at once.
 */
public final class ReplicationRunner {
    /** Replications end when the model calls {@link Scheduler#finish()}; DSOL's run length is only a backstop. */
    private static final long RUN_LENGTH = Long.MAX_VALUE / 4;

    private ReplicationRunner() {
    }

    /**
     * Runs {@code model} to completion.
     *
     * @param label          names the run in errors
     * @param dsolSeed       seed for DSOL's own default stream (> 0); the model draws from its own named streams
     * @param timeoutSeconds how long to wait for the replication to end
     * @throws SimulationException if an event threw, the engine stopped early, or the timeout passed
     */
    public static void run(String label, SimModel model, long dsolSeed, long timeoutSeconds) {
        run(label, model, dsolSeed, timeoutSeconds, simulator -> { });
    }

    /** As {@link #run(String, SimModel, long, long)}, letting {@code prepare} see the simulator before it starts. */
    static void run(String label, SimModel model, long dsolSeed, long timeoutSeconds,
                    Consumer<? super FastDevsSimulator> prepare) {
        String id = DsolRuntime.uniqueReplicationId(label);
        DsolScheduler scheduler = new DsolScheduler(id);
        FastDevsSimulator simulator = scheduler.simulator();
        SingleReplication<Long> replication = new SingleReplication<>(id, 0L, 0L, RUN_LENGTH);
        CountDownLatch done = new CountDownLatch(1);
        boolean[] stoppedEarly = new boolean[1];
        EventListener onEnd = event -> done.countDown();
        EventListener onStop = event -> {
            ReplicationState state = simulator.getReplicationState();
            if (state != ReplicationState.ENDING && state != ReplicationState.ENDED) {
                stoppedEarly[0] = true;
                done.countDown();
            }
        };
        try {
            simulator.addListener(onEnd, Replication.END_REPLICATION_EVENT, EventProducer.LAST_POSITION,
                    ReferenceType.STRONG);
            simulator.addListener(onStop, SimulatorInterface.STOP_EVENT, ReferenceType.STRONG);
            simulator.initialize(new Adapter(simulator, model, scheduler, dsolSeed), replication);
            prepare.accept(simulator);
            if (scheduler.failure() != null) {
                throw failed(label, scheduler.failure());
            }
            simulator.start();
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new SimulationException(label + ": did not finish within " + timeoutSeconds + " s");
            }
            if (scheduler.failure() != null) {
                throw failed(label, scheduler.failure());
            }
            if (stoppedEarly[0] || !scheduler.isFinished()) {
                throw new SimulationException(label + ": the simulator stopped before the model finished (state "
                        + simulator.getReplicationState() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException(label + ": interrupted", e);
        } finally {
            simulator.cleanUp();
            replication.removeFromContext();
        }
    }

    private static SimulationException failed(String label, Throwable cause) {
        return new SimulationException(label + ": " + cause, cause);
    }

    /** Lets DSOL construct our model when it initializes the replication. */
    private static final class Adapter extends AbstractDsolModel<Long, DevsSimulatorInterface<Long>> {
        private final transient SimModel model;
        private final transient DsolScheduler scheduler;

        Adapter(DevsSimulatorInterface<Long> simulator, SimModel model, DsolScheduler scheduler, long seed) {
            // Every AbstractDsolModel otherwise shares MersenneTwister(10); DSOL needs a positive seed.
            super(simulator, new StreamInformation(new MersenneTwister(1 + (seed & Long.MAX_VALUE) % (Long.MAX_VALUE - 1))));
            this.model = model;
            this.scheduler = scheduler;
        }

        @Override
        public void constructModel() {
            try {
                model.construct(scheduler);
            } catch (RuntimeException e) {
                // Keep it for the runner: DSOL would otherwise swallow it inside initialize().
                scheduler.recordConstructionFailure(e);
            }
        }
    }
}
