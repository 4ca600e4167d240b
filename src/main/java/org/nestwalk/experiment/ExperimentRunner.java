package org.nestwalk.experiment;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.nestwalk.experiment.Experiment.Replications;
import org.nestwalk.experiment.Experiment.Warmup;
import org.nestwalk.experiment.Manifest.Row;
import org.nestwalk.report.Metrics;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.SampledResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.stats.MserTruncation;
import org.nestwalk.util.BuildInfo;
import org.tinylog.Logger;

/**
 * Runs the rows of a manifest on a pool of threads, each row its own DSOL simulation with nothing shared, and stores
 * each result the moment it is done. Rows already stored are not run again, so an interrupted experiment continues
 * where it stopped and raising the replication count reuses the replications that exist. With MSER-5 warm-up each
 * configuration first gets a pilot run; with adaptive replications, rounds of further replications follow until every
 * configuration's interval is narrow enough or it has its maximum.
 */
public final class ExperimentRunner {
    /** Told how the experiment is going; called from the pool's threads, one call at a time. */
    public interface Listener {
        /**
         * @param done        rows finished in this invocation
         * @param total       rows this invocation has to run so far (grows with adaptive rounds)
         * @param failed      rows that failed
         * @param elapsedNanos wall time since the start
         */
        void progress(int done, int total, int failed, long elapsedNanos);

        /** Something worth telling the user (a phase begins, a row failed). */
        void message(String text);
    }

    /** How a row is simulated: {@link Simulation#run}, or in tests a simulation that fails on purpose. */
    @FunctionalInterface
    public interface RowSimulator {
        RunResult run(RunSpec spec);
    }

    /**
     * What an invocation did.
     *
     * @param ran     rows run now
     * @param reused  rows found already stored
     * @param failed  rows that failed now
     * @param pilots  pilot runs made now
     * @param elapsedNanos wall time of the invocation
     */
    public record Outcome(int ran, int reused, int failed, int pilots, long elapsedNanos) {
    }

    private final Manifest manifest;
    private final RowStore store;
    private final int jobs;
    private final Listener listener;
    private final RowSimulator simulator;
    /** The first row whose result could not be stored (a full disk, say): no further row is started. */
    private final AtomicReference<RuntimeException> storeFailure = new AtomicReference<>();
    private final AtomicInteger stored = new AtomicInteger();
    private final Map<String, Long> warmups = new LinkedHashMap<>();
    private long start;
    private int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    public ExperimentRunner(Manifest manifest, RowStore store, int jobs, Listener listener) {
        this(manifest, store, jobs, listener, Simulation::run);
    }

    public ExperimentRunner(Manifest manifest, RowStore store, int jobs, Listener listener, RowSimulator simulator) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1: " + jobs);
        }
        this.manifest = manifest;
        this.store = store;
        this.jobs = jobs;
        this.listener = listener;
        this.simulator = simulator;
    }

    public Outcome run() {
        start = System.nanoTime();
        Experiment e = manifest.experiment();
        ExecutorService pool = newPool();
        try {
            int pilots = choosePilots(pool, manifest.configurations());
            Replications reps = e.replications();
            Map<String, Integer> target = ReplicationTargets.initial(manifest, store);
            int reused = 0;
            boolean firstRound = true;
            while (true) {
                List<Row> todo = new ArrayList<>();
                for (Configuration c : manifest.configurations()) {
                    for (int r = 0; r < target.get(c.id()); r++) {
                        if (store.finished(c, r)) {
                            reused += firstRound ? 1 : 0;
                        } else {
                            todo.add(new Row(c, r));
                        }
                    }
                }
                runAll(pool, todo);
                if (!reps.adaptive() || !ReplicationTargets.raise(manifest, store, target)) {
                    break;
                }
                firstRound = false;
            }
            return new Outcome(done.get(), reused, failed.get(), pilots, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the given rows of the manifest that are not stored yet, and no others: a job array task's share of an
     * experiment. Their configurations' pilot runs come first if MSER-5 needs them and none is stored (a pilot is
     * deterministic, so two tasks that both make one store the same). No adaptive rounds follow: the next round is
     * the next array's ({@link ReplicationTargets#due}).
     */
    public Outcome run(List<Row> rows) {
        start = System.nanoTime();
        ExecutorService pool = newPool();
        try {
            Set<Configuration> configurations = new LinkedHashSet<>();
            rows.forEach(r -> configurations.add(r.configuration()));
            int pilots = choosePilots(pool, configurations);
            List<Row> todo = rows.stream().filter(r -> !store.finished(r.configuration(), r.replication())).toList();
            runAll(pool, todo);
            return new Outcome(done.get(), rows.size() - todo.size(), failed.get(), pilots,
                    System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    private ExecutorService newPool() {
        return Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "nestwalk-row");
            t.setDaemon(true);
            return t;
        });
    }

    /** Chooses the warm-up of each of {@code configurations}, making the pilot runs MSER-5 needs and has not stored. */
    private int choosePilots(ExecutorService pool, Collection<Configuration> configurations) {
        Experiment e = manifest.experiment();
        if (e.warmup() instanceof Warmup.Fixed f) {
            configurations.forEach(c -> warmups.put(c.id(), f.references()));
            return 0;
        }
        long pilotReferences = ((Warmup.Mser5) e.warmup()).pilotReferences();
        List<Configuration> missing = new ArrayList<>();
        for (Configuration c : configurations) {
            store.readPilot(c.id()).ifPresentOrElse(p -> warmups.put(c.id(), p.warmupReferences()),
                    () -> missing.add(c));
        }
        if (missing.isEmpty()) {
            return 0;
        }
        listener.message("choosing warm-up by MSER-5: " + missing.size() + " pilot runs of " + pilotReferences
                + " references");
        List<Future<Pilot>> futures = new ArrayList<>();
        for (Configuration c : missing) {
            futures.add(pool.submit(() -> pilot(c, pilotReferences)));
        }
        for (Future<Pilot> f : futures) {
            Pilot p = await(f);
            store.writePilot(p.configuration(), p);
            warmups.put(p.configuration(), p.warmupReferences());
            if (p.atLimit()) {
                listener.message(p.configuration() + ": MSER-5 chose the largest truncation it may (half the pilot):"
                        + " the pilot never settled; consider a longer pilot");
            }
        }
        return missing.size();
    }

    private Pilot pilot(Configuration c, long pilotReferences) {
        Experiment e = manifest.experiment();
        double[] series = Simulation.pilot(c.spec(e.seed(), 0, pilotReferences, 0));
        MserTruncation.Result t = MserTruncation.truncation(series);
        long warm = (long) t.observations() * Simulation.PILOT_SAMPLE_REFERENCES;
        // The measured interval keeps at least half of each run.
        long cap = e.references() / 2 / Simulation.PILOT_SAMPLE_REFERENCES * Simulation.PILOT_SAMPLE_REFERENCES;
        warm = Math.min(warm, cap);
        return new Pilot(c.id(), pilotReferences, series.length, warm, t.atLimit());
    }

    private void runAll(ExecutorService pool, List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        synchronized (this) {
            total += rows.size();
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Row row : rows) {
            futures.add(pool.submit(() -> execute(row)));
        }
        for (Future<?> f : futures) {
            await(f);
        }
        RuntimeException x = storeFailure.get();
        if (x != null) {
            // Every row stored before is whole (each was written atomically), so running again finishes the rest.
            throw new UncheckedIOException(oneLine(x.getMessage()) + "; the experiment stopped there: " + stored.get()
                    + " rows were stored in this invocation and every stored row is intact; make room and run it "
                    + "again to finish the rest", x instanceof UncheckedIOException io ? io.getCause()
                    : new java.io.IOException(x));
        }
    }

    private void execute(Row row) {
        if (storeFailure.get() != null) {
            return;
        }
        Experiment e = manifest.experiment();
        Configuration c = row.configuration();
        long warm = warmups.get(c.id());
        long t0 = System.nanoTime();
        RunRecord record;
        try {
            RunSpec spec = c.spec(e.seed(), row.replication(), e.references(), warm);
            long measured = spec.references() - spec.warmupReferences();
            if (e.sample() != null) {
                SampledResult s = Simulation.sampled(spec, e.sample(), null);
                if (!s.stoppedEarly() && s.region().cpu().references() < measured) {
                    throw new IllegalStateException(String.format(java.util.Locale.ROOT, "the workload ended after "
                            + "%,d references: %,d measured, not the %,d asked", spec.warmupReferences()
                            + s.region().cpu().references(), s.region().cpu().references(), measured));
                }
                record = record(row, warm, RunRecord.OK, null, seconds(t0), s.rowMetrics());
            } else {
                RunResult r = simulator.run(spec);
                if (r.references() < measured) {
                    // A trace whose first process ends before the run's references are replayed: the row would
                    // claim a measured interval it does not have.
                    throw new IllegalStateException(String.format(java.util.Locale.ROOT, "the workload ended after "
                            + "%,d references: %,d measured, not the %,d asked", spec.warmupReferences()
                            + r.references(), r.references(), measured));
                }
                record = record(row, warm, RunRecord.OK, null, seconds(t0), Metrics.of(r));
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError x) {
            // One replication's failure (an exception inside one of its events, a damaged trace, memory exhausted
            // by its machine, the simulator's runtime failing to start) is that row's: it is stored as failed, with
            // its error, and the sweep goes on.
            Logger.debug(x, "row {} failed", row.label());
            record = record(row, warm, RunRecord.FAILED, oneLine(String.valueOf(x)), seconds(t0), Map.of());
            failed.incrementAndGet();
            synchronized (this) {
                listener.message(row.describe() + " failed: " + oneLine(String.valueOf(x)));
            }
        }
        try {
            store.write(record);
            stored.incrementAndGet();
        } catch (RuntimeException x) {
            if (storeFailure.compareAndSet(null, x)) {
                synchronized (this) {
                    listener.message("cannot store " + row.describe() + ": " + oneLine(x.getMessage())
                            + "; no further row is started");
                }
            }
            return;
        }
        int d = done.incrementAndGet();
        synchronized (this) {
            listener.progress(d, total, failed.get(), System.nanoTime() - start);
        }
    }

    private RunRecord record(Row row, long warm, String status, String error, double wall,
                             Map<String, Double> metrics) {
        Experiment e = manifest.experiment();
        Configuration c = row.configuration();
        return new RunRecord(e.name(), c.id(), c.mode().label(), c.workload(), c.factors(), row.replication(),
                e.seed(), e.references(), warm, status, error, wall, BuildInfo.version(), BuildInfo.build(), metrics,
                c.recordedParameters());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replace('\n', ' ');
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        } catch (ExecutionException x) {
            Throwable cause = x.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
