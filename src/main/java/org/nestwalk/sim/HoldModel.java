package org.nestwalk.sim;

import java.util.SplittableRandom;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

/**
 * The "hold" model of event-list benchmarks (Vaucher and Duval, 1975): a fixed number of entities, each with one
 * pending event; when an entity's event runs it schedules the entity's next one a random number of cycles later.
 * The event list therefore always holds the same number of events, and the model does nothing else: the wall-clock
 * time per event is what one event costs on the scheduler seam (scheduling it, ordering it among the others,
 * running it). Each entity schedules one pre-allocated action over and over, as the machine's entities do.
 *
 * <p>Time is measured inside the run, from the first event to the last, so that building and tearing down the
 * replication is not counted.
 */
public final class HoldModel implements SimModel {
    private final int pending;
    private final long events;
    private final SplittableRandom random;
    private final int meanGap;
    private Scheduler scheduler;
    private long executed;
    private long firstNanos;
    private long lastNanos;

    /**
     * @param pending entities, so events pending at any time (at least 1)
     * @param events  events to run in all (at least 2)
     * @param seed    seed of the delays
     */
    public HoldModel(int pending, long events, long seed) {
        if (pending < 1 || events < 2) {
            throw new IllegalArgumentException("at least 1 pending event and 2 events: " + pending + ", " + events);
        }
        this.pending = pending;
        this.events = events;
        this.random = new SplittableRandom(seed);
        // Delays of 1 to about 2 x 100 cycles: the same order as a DRAM access or a resume of the vCPU.
        this.meanGap = 100;
    }

    @Override
    public void construct(Scheduler s) {
        this.scheduler = s;
        for (int i = 0; i < pending; i++) {
            Entity e = new Entity();
            s.schedule(s.now() + delay(), e.act);
        }
    }

    /** Nanoseconds of wall-clock time per event, from the first event to the last. */
    public double nanosPerEvent() {
        return (double) (lastNanos - firstNanos) / (executed - 1);
    }

    public long executed() {
        return executed;
    }

    private long delay() {
        return 1 + random.nextInt(2 * meanGap);
    }

    /** One entity with its reusable action. */
    private final class Entity {
        final Action act = this::fire;

        private void fire() {
            if (executed++ == 0) {
                firstNanos = System.nanoTime();
            }
            if (executed == events) {
                lastNanos = System.nanoTime();
                scheduler.finish();
                return;
            }
            scheduler.schedule(scheduler.now() + delay(), act);
        }
    }
}
