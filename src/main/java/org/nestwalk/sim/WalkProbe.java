package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.des.Scheduler;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.Walk;
import org.nestwalk.walk.WalkStats;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.Region;
import org.nestwalk.workload.WorkloadSpec;

/**
 * Walks chosen virtual addresses on a simulated machine, through the same {@link PageWalker}, caches and memory
 * controller a run uses: on a fresh machine (every TLB, walk cache and data cache empty, the pages mapped), or
 * after the vCPU has run some references of the workload. What {@code explain} shows and what the tests check.
 * The walks go straight to the walker (as on a TLB miss), one after the other, each seeing what the previous left
 * in the walk caches and caches.
 */
public final class WalkProbe {
    /**
     * The walks, and what the walker's counters recorded for exactly those walks.
     *
     * @param walks     one per address, in order
     * @param counters  the walker's statistics over the probe walks only
     * @param softwareTranslations for each address, the system-physical address that software finds by reading
     *                  the guest table and the nested table directly: what every walk must agree with
     */
    public record Result(List<Walk> walks, WalkStats counters, List<Long> softwareTranslations) {
    }

    private WalkProbe() {
    }

    /**
     * @param spec           the machine, mode and workload ({@code spec.references()} is ignored)
     * @param warmReferences references of the workload the vCPU runs first (0: a fresh machine)
     * @param addresses      virtual addresses to walk; their pages are mapped first (outside simulated time)
     */
    public static Result run(RunSpec spec, long warmReferences, List<Long> addresses) {
        return run(spec, warmReferences, addresses, m -> { });
    }

    /**
     * {@link #run(RunSpec, long, List)}, with {@code prepare} acting on the machine once the pages are mapped and the
     * workload has run, before the first walk: what a test needs to bring the tables into a state of its choosing
     * (e.g. the guest writing a page-table page until agile paging nests it).
     */
    public static Result run(RunSpec spec, long warmReferences, List<Long> addresses, Consumer<Machine> prepare) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to walk");
        }
        RunSpec runSpec = new RunSpec(spec.mode(), spec.settings(), spec.machine(), spec.workload(), spec.seed(),
                spec.replication(), Math.max(1, warmReferences), 0);
        Model model = new Model(runSpec, warmReferences, addresses, prepare);
        ReplicationRunner.run("walk-probe/" + spec.label(), model,
                new RandomStreams(spec.seed(), spec.replication()).seedOf("dsol"), 3600);
        return new Result(List.copyOf(model.walks), model.after.minus(model.before), List.copyOf(model.expected));
    }

    private static final class Model implements SimModel, VCpu.Observer, PageWalker.Listener {
        private final RunSpec spec;
        private final long warm;
        private final List<Long> addresses;
        private final Consumer<Machine> prepare;
        private final List<Walk> walks = new ArrayList<>();
        private final List<Long> expected = new ArrayList<>();
        private Machine machine;
        private WalkStats before;
        private WalkStats after;

        Model(RunSpec spec, long warm, List<Long> addresses, Consumer<Machine> prepare) {
            this.spec = spec;
            this.warm = warm;
            this.addresses = addresses;
            this.prepare = prepare;
        }

        @Override
        public void construct(Scheduler scheduler) {
            Region footprint = new Region(WorkloadSpec.BASE_ADDRESS, spec.workload().footprintBytes());
            List<Region> extra = new ArrayList<>();
            for (long va : addresses) {
                boolean covered = footprint.contains(va) || extra.stream().anyMatch(r -> r.contains(va));
                if (!covered) {
                    // A 2 MiB region, so that a guest using 2 MiB pages can map the page with one.
                    extra.add(new Region(va & ~0x1F_FFFFL, 1L << 21));
                }
            }
            machine = Machine.build(spec, scheduler, extra, this);
            for (long va : addresses) {
                machine.guest().prefault(machine.process(), new Region(va & ~0xFFFL, 4096));
                expected.add(machine.softwareTranslation(va));
            }
            if (warm > 0) {
                machine.start();
            } else {
                finished(0);
            }
        }

        @Override
        public void warmupEnded(long time) {
        }

        @Override
        public void finished(long time) {
            prepare.accept(machine);
            before = machine.walker().stats();
            machine.walker().request(time, addresses.get(0), false, this);
        }

        @Override
        public void walkSpeculated(long ticket, WalkTrace trace) {
            // The probe waits for the whole walk; the walk records where its critical path ended.
        }

        @Override
        public void walkFinished(long ticket, WalkTrace trace) {
            walks.add(trace.toWalk(machine.walker().mode().name()));
            if (walks.size() < addresses.size()) {
                machine.walker().request(trace.endTime(), addresses.get(walks.size()), false, this);
            } else {
                after = machine.walker().stats();
                machine.scheduler().finish();
            }
        }
    }
}
