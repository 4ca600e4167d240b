package org.nestwalk.sim;

import java.util.List;
import org.nestwalk.cpu.VCpu;

/**
 * One replication as a model: builds the {@link Machine}, takes a snapshot of every counter when warm-up ends (or at
 * the start, without warm-up) and another when the vCPU is done, and ends the run.
 */
final class RunModel implements SimModel, VCpu.Observer {
    private final RunSpec spec;
    private Machine machine;
    private Snapshot begin;
    private Snapshot end;
    private volatile VCpu running;
    private long buildNanos;

    RunModel(RunSpec spec) {
        this.spec = spec;
    }

    @Override
    public void construct(Scheduler scheduler) {
        long t0 = System.nanoTime();
        machine = Machine.build(spec, scheduler, List.of(), this);
        buildNanos = System.nanoTime() - t0;
        begin = machine.snapshot(0);
        running = machine.vcpu();
        machine.start();
    }

    @Override
    public void warmupEnded(long time) {
        begin = machine.snapshot(time);
    }

    @Override
    public void finished(long time) {
        end = machine.snapshot(time);
        machine.scheduler().finish();
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
        return end.minus(begin);
    }

    /** Wall-clock time spent building the machine (booting the guest, prefaulting). */
    long buildNanos() {
        return buildNanos;
    }

    long events() {
        return machine.scheduler().eventsExecuted();
    }
}
