package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.cpu.VCpu;

/**
 * Turns each vCPU's milestones into the machine's: the warm-up ends when the last vCPU passes its own, the run
 * when the last vCPU finishes. With one vCPU, its own calls pass straight through.
 */
final class Milestones {
    private final int cpus;
    private final VCpu.Observer observer;
    private final Own own;
    private int warmed;
    private int finished;

    /** Told each vCPU's own milestones, by the vCPU's index in the machine. */
    interface Own {
        void passed(int cpu, boolean warmup);
    }

    Milestones(int cpus, VCpu.Observer observer, Own own) {
        this.cpus = cpus;
        this.observer = observer;
        this.own = own;
    }

    List<VCpu.Observer> perCpu() {
        if (cpus == 1) {
            return List.of(observer);
        }
        List<VCpu.Observer> l = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            boolean first = c == 0;
            int cpu = c;
            l.add(new VCpu.Observer() {
                @Override
                public void warmupEnded(long time) {
                    own.passed(cpu, true);
                    if (++warmed == cpus) {
                        observer.warmupEnded(time);
                    }
                }

                @Override
                public void finished(long time) {
                    own.passed(cpu, false);
                    if (++finished == cpus) {
                        observer.finished(time);
                    }
                }

                @Override
                public void sample(long references, long time) {
                    // A pilot's series is the first vCPU's.
                    if (first) {
                        observer.sample(references, time);
                    }
                }
            });
        }
        return l;
    }
}
