package org.nestwalk.sim;

import java.util.function.LongConsumer;
import org.nestwalk.random.RandomStreams;
import org.tinylog.Logger;

/** Runs one {@link RunSpec} as a DSOL replication and returns its result. */
public final class Simulation {
    /** A run that takes longer than this (wall clock) is considered hung. */
    private static final long TIMEOUT_SECONDS = 24 * 3600;

    private Simulation() {
    }

    public static RunResult run(RunSpec spec) {
        return run(spec, null);
    }

    /**
     * Runs {@code spec}.
     *
     * @param progress if not null, called from a separate thread about once a second with the references done so far
     */
    public static RunResult run(RunSpec spec, LongConsumer progress) {
        RunModel model = new RunModel(spec);
        long t0 = System.nanoTime();
        Thread watcher = null;
        if (progress != null) {
            watcher = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        progress.accept(model.progress());
                    }
                } catch (InterruptedException e) {
                    // finished
                }
            }, "progress-" + spec.label());
            watcher.setDaemon(true);
            watcher.start();
        }
        try {
            ReplicationRunner.run(spec.label(), model, new RandomStreams(spec.seed(), spec.replication())
                    .seedOf("dsol"), TIMEOUT_SECONDS);
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
        }
        long wall = System.nanoTime() - t0;
        Logger.debug("run {}: {} references, {} events, {} ms ({} of them building the machine)", spec.label(),
                spec.references(), model.events(), wall / 1_000_000, model.buildNanos() / 1_000_000);
        return new RunResult(spec, model.interval(), model.events(), wall);
    }
}
