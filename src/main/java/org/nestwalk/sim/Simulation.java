package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.timeline.Timeline;
import org.tinylog.Logger;

/** Runs one {@link RunSpec} as a DSOL replication and returns its result. */
public final class Simulation {
    /** A run that takes longer than this (wall clock) is considered hung. */
    private static final long TIMEOUT_SECONDS = 24 * 3600;

    /** References per observation of a {@link #pilot} series. */
    public static final int PILOT_SAMPLE_REFERENCES = VCpu.SAMPLE_REFERENCES;

    private Simulation() {
    }

    /**
     * Runs {@code spec} (its warm-up is ignored) as a pilot and returns its output series: the mean cycles per
     * reference over each successive {@link #PILOT_SAMPLE_REFERENCES} references, the input of MSER-5.
     */
    public static double[] pilot(RunSpec spec) {
        RunModel model = new RunModel(spec, true, Timeline.NONE);
        replicate(spec, "/pilot", model);
        long[] t = model.samples();
        double[] series = new double[t.length];
        long previous = 0;
        for (int i = 0; i < t.length; i++) {
            series[i] = (double) (t[i] - previous) / PILOT_SAMPLE_REFERENCES;
            previous = t[i];
        }
        return series;
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
        return run(spec, progress, Timeline.NONE);
    }

    /**
     * Runs {@code spec}, reporting what its entities do to {@code timeline} (the measured interval is marked by
     * {@link Timeline#intervalStarted} and {@link Timeline#intervalEnded}).
     */
    public static RunResult run(RunSpec spec, LongConsumer progress, Timeline timeline) {
        RunModel model = new RunModel(spec, false, timeline);
        long t0 = System.nanoTime();
        Thread watcher = watch(model::progress, progress, spec.label());
        try {
            replicate(spec, "", model);
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
        }
        long wall = System.nanoTime() - t0;
        Logger.debug("run {}: {} references, {} events, {} ms ({} of them building the machine)", spec.label(),
                spec.references(), model.events(), wall / 1_000_000, model.buildNanos() / 1_000_000);
        Snapshot interval = model.interval();
        int vms = spec.settings().intValue("machine.vms");
        if (vms == 1 || !spec.settings().flag("machine.aloneRuns")) {
            return new RunResult(spec, interval, model.events(), wall);
        }
        // Each VM alone on the same machine, one after another on this thread: a replication stays one job.
        List<Long> alone = new ArrayList<>(vms);
        for (int v = 0; v < vms; v++) {
            RunSpec a = VmWorkloads.alone(spec, v);
            RunModel m = new RunModel(a, false, Timeline.NONE);
            replicate(a, "/alone" + v, m);
            alone.add(m.interval().time());
        }
        return new RunResult(spec, interval, model.events(), System.nanoTime() - t0, alone);
    }
    /**
     * Runs {@code spec} sampled as {@code plan} says (SMARTS): functional warming between measured units simulated
     * in detail; the estimates come from the units.
     *
     * @param progress if not null, called from a separate thread about once a second with the references done so far
     */
    public static SampledResult sampled(RunSpec spec, SamplingPlan plan, LongConsumer progress) {
        if (spec.machine().vcpus() > 1) {
            throw new org.nestwalk.config.ConfigException("sampled simulation runs one vCPU: machine.vcpus is "
                    + spec.machine().vcpus() + ", expected 1");
        }
        if (spec.settings().intValue("machine.vms") > 1) {
            throw new org.nestwalk.config.ConfigException("sampled simulation runs one vCPU: machine.vms is "
                    + spec.settings().intValue("machine.vms") + ", expected 1");
        }
        SampledModel model = new SampledModel(spec, plan);
        long t0 = System.nanoTime();
        Thread watcher = watch(model::progress, progress, spec.label());
        try {
            replicate(spec, "/sampled", model);
        } finally {
            if (watcher != null) {
                watcher.interrupt();
            }
        }
        return new SampledResult(spec, plan, model.units(), model.region(), model.stoppedEarly(), model.events(),
                System.nanoTime() - t0);
    }

    /** Runs {@code model} as a DSOL replication of {@code spec} (its DSOL seed derived from the spec's streams). */
    private static void replicate(RunSpec spec, String suffix, SimModel model) {
        ReplicationRunner.run(spec.label() + suffix, model, new RandomStreams(spec.seed(), spec.replication())
                .seedOf("dsol"), TIMEOUT_SECONDS);
    }

    /** A daemon thread telling {@code progress} about once a second what {@code done} says; null without one. */
    private static Thread watch(LongSupplier done, LongConsumer progress, String label) {
        if (progress == null) {
            return null;
        }
        Thread watcher = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    progress.accept(done.getAsLong());
                }
            } catch (InterruptedException e) {
                // finished
            }
        }, "progress-" + label);
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }
}
