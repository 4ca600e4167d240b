package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.cpu.VCpu;

/**
 * Turns each vCPU's milestones into the machine's: the warm-up ends when the last vCPU passes its own, the run
 * when the last vCPU finishes. With one vCPU, its own calls pass straight through.
 *
 * <p>A vCPU that finishes before its warm-up is over (a thread of a trace with fewer references than the warm-up,
 * a vCPU left idle by a program with fewer threads than vCPUs) has nothing more to warm: it counts as past its
 * warm-up from then on. The warm-up still needs one vCPU to pass its own; when none does, it never ends, and the run
 * reports that its workload ended before its warm-up was over.
 */
final class Milestones {
    private final int cpus;
    private final VCpu.Observer observer;
    private final Own own;
    private final boolean warming;
    /** vCPUs past their warm-up, or finished before it. */
    private int warmed;
    /** Whether some vCPU has passed its warm-up itself. */
    private boolean passed;
    private int finished;

    /** Told each vCPU's own milestones, by the vCPU's index in the machine. */
    interface Own {
        void passed(int cpu, boolean warmup);
    }

    /** @param warming whether the run has a warm-up (without one every vCPU is measured from the start) */
    Milestones(int cpus, boolean warming, VCpu.Observer observer, Own own) {
        this.cpus = cpus;
        this.warming = warming;
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
                private boolean warm;

                @Override
                public void warmupEnded(long time) {
                    own.passed(cpu, true);
                    warm = true;
                    passed = true;
                    warmedUp(time);
                }

                @Override
                public void finished(long time) {
                    if (!warm && warming) {
                        // Finished before its warm-up (an idle vCPU, a short thread): warmed, measured from its end.
                        warm = true;
                        own.passed(cpu, true);
                        warmedUp(time);
                    }
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

    /** One more vCPU is past its warm-up (or finished): the machine's warm-up ends with the last. */
    private void warmedUp(long time) {
        if (++warmed == cpus && passed) {
            observer.warmupEnded(time);
        }
    }
}
