package org.nestwalk.teach;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.config.Settings;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.MemoryLevel;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.SimModel;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.walk.Walk;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.ReferenceBuffer;
import org.nestwalk.workload.ReferenceStream;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.Workload;

/**
 * Runs a {@link Scenario} on the simulated machine every run uses (the vCPU, page walker, caches, memory
 * controller, guest OS and hypervisor of {@link Machine}), its processes executing the scenario's actions, and
 * records what happened through the {@link Timeline} seam: each action as the program issues it, each walk, each
 * stretch of guest-OS and hypervisor work with every step's cycles, each verification. Nothing here decides what
 * happens; it only watches.
 */
public final class ScenarioRun {
    /** Something that happened, in the order it was reported. */
    public sealed interface Entry permits ActionEntry, WalkEntry, HandlerEntry, VerificationEntry {
    }

    /** Process {@code process} issues {@code action}. */
    public record ActionEntry(int process, Scenario.Action action) implements Entry {
    }

    /** The page walker made {@code walk}. */
    public record WalkEntry(Walk walk) implements Entry {
    }

    /** The vCPU ran the guest OS's or the hypervisor's work, step by step. */
    public record HandlerEntry(long start, long end, List<HandlerStep> steps) implements Entry {
    }

    /**
     * One step of handler work.
     *
     * @param cause    the VM exit it belongs to, or null for guest-OS work
     * @param kind     an exit and entry, handler instructions, a read or a write
     * @param address  system-physical address of a read or write (else -1)
     * @param servedBy what served a read or write (else null)
     */
    public record HandlerStep(ExitCause cause, HandlerWork.StepKind kind, long address, MemoryLevel servedBy,
                              long start, long end) {
        public long cycles() {
            return end - start;
        }
    }

    /** A walk verified the speculative translation of {@code va}: it agreed, or the vCPU squashed. */
    public record VerificationEntry(long start, long end, long va, boolean agreed) implements Entry {
    }

    /**
     * What the scenario did.
     *
     * @param entries what happened, in order
     * @param counters the vCPU's counters at the end (exits and their cycles, by cause; squashes...)
     * @param end     the cycle the last action completed
     */
    public record Result(Scenario scenario, RunSpec spec, List<Entry> entries, VCpuStats counters, long end) {
    }

    private ScenarioRun() {
    }

    /**
     * @param base the user's settings (machine parameters); the scenario adds its own where they keep a default
     *             and always decides {@code workload.prefault}
     */
    public static Result run(Scenario scenario, Settings base, String workloadName, long seed) {
        Settings s = base.with("workload.prefault", Boolean.toString(scenario.prefault()), "scenario");
        for (var e : scenario.settings().entrySet()) {
            if (base.sourceOf(e.getKey()).equals("default")) {
                s = s.with(e.getKey(), e.getValue(), "scenario " + scenario.label());
            }
        }
        RunSpec spec = RunSpec.of(scenario.mode(), s, workloadName, seed, 0, 1_000, 0);
        Model model = new Model(spec, scenario);
        ReplicationRunner.run("scenario/" + scenario.label(), model,
                new RandomStreams(seed, 0).seedOf("dsol"), 600);
        if (model.counters == null) {
            throw new IllegalStateException("scenario " + scenario.label() + " did not finish");
        }
        return new Result(scenario, spec, List.copyOf(model.entries), model.counters, model.end);
    }

    private static final class Model implements SimModel, VCpu.Observer, Timeline, Workload {
        private final RunSpec spec;
        private final Scenario scenario;
        private final List<Entry> entries = new ArrayList<>();
        private Machine machine;
        private VCpuStats counters;
        private long end;

        Model(RunSpec spec, Scenario scenario) {
            this.spec = spec;
            this.scenario = scenario;
        }

        @Override
        public void construct(Scheduler scheduler) {
            machine = Machine.build(spec, scheduler, this, List.of(), this);
            machine.recordTimeline(this);
            // No guest timer: the scenario's actions say when the timer interrupts.
            machine.vcpu().startAt(0);
        }

        @Override
        public List<ReferenceStream> initial() {
            List<ReferenceStream> streams = new ArrayList<>();
            for (int p = 0; p < scenario.processes().size(); p++) {
                streams.add(new Script(p, scenario.processes().get(p)));
            }
            return streams;
        }

        @Override
        public ReferenceStream forked(ReferenceStream parent) {
            throw new UnsupportedOperationException("scenarios do not fork");
        }

        @Override
        public ReferenceStream spawned(ReferenceStream parent) {
            throw new UnsupportedOperationException("scenarios do not spawn");
        }

        @Override
        public void warmupEnded(long time) {
        }

        @Override
        public void finished(long time) {
            end = time;
            counters = machine.vcpu().stats();
            machine.scheduler().finish();
        }

        @Override
        public void walk(WalkTrace trace) {
            entries.add(new WalkEntry(trace.toWalk(machine.walker().mode().name())));
        }

        @Override
        public void handler(HandlerWork work, long start, long stop) {
            List<HandlerStep> steps = new ArrayList<>();
            long from = start;
            for (int i = 0; i < work.count(); i++) {
                HandlerWork.StepKind kind = work.kindOf(i);
                boolean memory = kind == HandlerWork.StepKind.READ || kind == HandlerWork.StepKind.WRITE;
                steps.add(new HandlerStep(work.causeOf(i), kind, memory ? work.address(i) : -1,
                        memory ? work.levelOf(i) : null, from, work.endOf(i)));
                from = work.endOf(i);
            }
            entries.add(new HandlerEntry(start, stop, List.copyOf(steps)));
        }

        @Override
        public void verification(WalkTrace trace, boolean agreed) {
            entries.add(new VerificationEntry(trace.criticalEnd(), trace.endTime(), trace.va(), agreed));
        }

        /** One process's actions, handed to the vCPU one at a time so that each is seen as it is issued. */
        private final class Script implements ReferenceStream {
            private final int process;
            private final List<Scenario.Action> actions;
            private int next;

            Script(int process, List<Scenario.Action> actions) {
                this.process = process;
                this.actions = actions;
            }

            @Override
            public int fill(ReferenceBuffer buffer) {
                buffer.clear();
                if (next == actions.size()) {
                    return 0;
                }
                Scenario.Action a = actions.get(next++);
                entries.add(new ActionEntry(process, a));
                if (a.event() != null) {
                    buffer.addEvent(a.event(), 1);
                } else {
                    buffer.add(a.va(), 1, a.write() ? ReferenceBuffer.WRITE : 0);
                }
                if (a.timerAfter()) {
                    // Taken at the next instruction boundary, once this action is done.
                    machine.vcpu().raiseInterrupt();
                }
                return 1;
            }

            @Override
            public List<Region> regions() {
                return List.of(Scenario.REGION);
            }

            @Override
            public String name() {
                return "scenario.p" + process;
            }
        }
    }
}
