package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.cpu.PhaseControl;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;

/**
 * One sampled replication as a model (see {@link SamplingPlan}): the run's warm-up and the stretches between units
 * are run functionally, each unit's detailed warm-up and measured references in detail; a snapshot brackets every
 * measured unit, and the stopping rule may end the run early.
 */
final class SampledModel implements SimModel, VCpu.Observer, PhaseControl {
    private final RunSpec spec;
    private final SamplingPlan plan;
    private Machine machine;
    private Scheduler scheduler;
    private final List<Snapshot> units = new ArrayList<>();
    private Snapshot unitBegin;
    /** The snapshot where the measured region (the run after its warm-up) begins. */
    private Snapshot regionBegin;
    private Snapshot regionEnd;
    private long next;
    private double cpi;
    private boolean stoppedEarly;
    private volatile VCpu running;

    SampledModel(RunSpec spec, SamplingPlan plan) {
        this.spec = spec;
        this.plan = plan;
    }

    @Override
    public void construct(Scheduler s) {
        this.scheduler = s;
        machine = Machine.build(spec, s, List.of(), this);
        cpi = spec.machine().core().baseCpi();
        running = machine.vcpu();
        running.controlPhases(this);
        machine.start();
    }

    @Override
    public Phase begin(long references, long time) {
        long first = spec.warmupReferences();
        if (references == first && regionBegin == null) {
            regionBegin = machine.snapshot(time);
        }
        long start = plan.unitStart(first, next);
        long measured = start + plan.warmup();
        long end = measured + plan.unit();
        if (unitBegin != null && references == end) {
            Snapshot u = machine.snapshot(time).minus(unitBegin);
            units.add(u);
            unitBegin = null;
            next++;
            if (u.cpu().instructions() > 0) {
                // Functional time goes on at the pace just measured, so the guest's timer keeps its rate.
                cpi = (double) u.time() / u.cpu().instructions();
            }
            if (plan.halfWidth() > 0 && units.size() >= plan.minUnits()
                    && SampledResult.cpiEstimate(units).relativeHalfWidth() <= plan.halfWidth()) {
                stoppedEarly = true;
                regionEnd = machine.snapshot(time);
                scheduler.finish();
                return null;
            }
            start = plan.unitStart(first, next);
            measured = start + plan.warmup();
            end = measured + plan.unit();
        }
        if (references < start) {
            return new Phase(true, start, cpi);
        }
        if (references < measured) {
            return new Phase(false, measured, cpi);
        }
        // references == measured: the unit's measured references begin.
        unitBegin = machine.snapshot(time);
        return new Phase(false, end, cpi);
    }

    @Override
    public void warmupEnded(long time) {
        // Phases replace the warm-up: the region begins at the first boundary.
    }

    @Override
    public void finished(long time) {
        regionEnd = machine.snapshot(time);
        scheduler.finish();
    }

    /** References completed so far (0 before construction); safe from any thread. */
    long progress() {
        VCpu v = running;
        return v == null ? 0 : v.progress();
    }

    List<Snapshot> units() {
        return List.copyOf(units);
    }

    /** The measured region, from the end of the warm-up to the end of the run (or to the stop). */
    Snapshot region() {
        if (regionBegin == null || regionEnd == null) {
            throw new SimulationException(spec.label() + ": the sampled run ended before its warm-up of "
                    + spec.warmupReferences() + " references was over");
        }
        return regionEnd.minus(regionBegin);
    }

    boolean stoppedEarly() {
        return stoppedEarly;
    }

    long events() {
        return scheduler.eventsExecuted();
    }
}
