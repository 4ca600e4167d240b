package org.nestwalk.sim;

import java.util.List;
import java.util.function.BiConsumer;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;

/**
 * Runs a spec on DSOL like {@link Simulation} does, but keeps the machine, so that tests can inspect its state
 * after the run (page tables, shadow tables, frame allocators), and lets them change it before the vCPU starts.
 */
public final class MachineRun {
    private final Machine machine;
    private final Snapshot end;

    private MachineRun(Machine machine, Snapshot end) {
        this.machine = machine;
        this.end = end;
    }

    public static MachineRun of(RunSpec spec) {
        return of(spec, (m, s) -> { });
    }

    /** @param setUp called after the machine is built and before it starts */
    public static MachineRun of(RunSpec spec, BiConsumer<Machine, Scheduler> setUp) {
        Machine[] m = new Machine[1];
        Snapshot[] end = new Snapshot[1];
        SimModel model = scheduler -> {
            m[0] = Machine.build(spec, scheduler, List.of(), new VCpu.Observer() {
                @Override
                public void warmupEnded(long time) {
                }

                @Override
                public void finished(long time) {
                    end[0] = m[0].snapshot(time);
                    scheduler.finish();
                }
            });
            setUp.accept(m[0], scheduler);
            m[0].start();
        };
        ReplicationRunner.run("machine-run/" + spec.label(), model, 1, 600);
        return new MachineRun(m[0], end[0]);
    }

    public Machine machine() {
        return machine;
    }

    /** Counters at the end, from the start of the run. */
    public Snapshot end() {
        return end;
    }
}
