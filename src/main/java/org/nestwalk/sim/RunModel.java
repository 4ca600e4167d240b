package org.nestwalk.sim;

import java.util.List;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;
import org.nestwalk.timeline.Timeline;

/**
 * One replication as a model: builds the {@link Machine}, takes a snapshot of every counter when warm-up ends (or at
 * the start, without warm-up) and another when the vCPU is done, and ends the run.
 */
final class RunModel implements SimModel, VCpu.Observer {
    private final RunSpec spec;
    private final Timeline timeline;
    private Machine machine;
    private Snapshot begin;
    private Snapshot end;
    private volatile VCpu running;
    private long buildNanos;
    private boolean warmed;
    /** The vCPU's time at every sample, when this is a pilot run; null otherwise. */
    private long[] samples;
    private int sampleCount;

    RunModel(RunSpec spec) {
        this(spec, false, Timeline.NONE);
    }

    /**
     * @param pilot    whether to record the time of every {@link VCpu#SAMPLE_REFERENCES} references
     * @param timeline told what the entities do ({@link Timeline#NONE}: nothing is reported)
     */
    RunModel(RunSpec spec, boolean pilot, Timeline timeline) {
        this.spec = spec;
        this.timeline = timeline;
        if (pilot) {
            samples = new long[(int) Math.min(Integer.MAX_VALUE - 8, spec.references() / VCpu.SAMPLE_REFERENCES + 1)];
        }
    }

    @Override
    public void construct(Scheduler scheduler) {
        long t0 = System.nanoTime();
        machine = Machine.build(spec, scheduler, List.of(), this);
        buildNanos = System.nanoTime() - t0;
        begin = machine.snapshot(0);
        running = machine.vcpu();
        if (timeline != Timeline.NONE) {
            machine.recordTimeline(timeline);
            if (spec.warmupReferences() == 0) {
                timeline.intervalStarted(0);
            }
        }
        machine.start();
    }

    @Override
    public void warmupEnded(long time) {
        begin = machine.snapshot(time);
        warmed = true;
        timeline.intervalStarted(time);
    }

    @Override
    public void finished(long time) {
        end = machine.snapshot(time);
        timeline.intervalEnded(time);
        machine.scheduler().finish();
    }

    @Override
    public void sample(long references, long time) {
        if (samples != null && sampleCount < samples.length) {
            samples[sampleCount++] = time;
        }
    }

    /** The times of the samples taken (empty unless a pilot). */
    long[] samples() {
        return samples == null ? new long[0] : java.util.Arrays.copyOf(samples, sampleCount);
    }

    /** References completed so far (0 before construction); safe from any thread. */
    long progress() {
        VCpu v = running;
        return v == null ? 0 : v.progress();
    }

    Snapshot interval() {
        if (end == null) {
            throw new IllegalStateException(spec.label() + ": the run did not finish");
        }
        if (spec.warmupReferences() > 0 && !warmed) {
            // A trace can end early: without this, the warm-up would silently be measured.
            throw new SimulationException(spec.label() + ": the workload ended after " + machine.vcpu().progress()
                    + " references, before its warm-up of " + spec.warmupReferences() + " references was over");
        }
        return machine.interval(begin, end);
    }

    /** Wall-clock time spent building the machine (booting the guest, prefaulting). */
    long buildNanos() {
        return buildNanos;
    }

    long events() {
        return machine.scheduler().eventsExecuted();
    }
}
