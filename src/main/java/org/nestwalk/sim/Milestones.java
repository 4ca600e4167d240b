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
    private int warmed;
    private int finished;

    Milestones(int cpus, VCpu.Observer observer) {
        this.cpus = cpus;
        this.observer = observer;
    }

    List<VCpu.Observer> perCpu() {
        if (cpus == 1) {
            return List.of(observer);
        }
        List<VCpu.Observer> l = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            boolean first = c == 0;
            l.add(new VCpu.Observer() {
                @Override
                public void warmupEnded(long time) {
                    if (++warmed == cpus) {
                        observer.warmupEnded(time);
                    }
                }

                @Override
                public void finished(long time) {
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
