package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.VCpu;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;
import org.nestwalk.workload.WorkloadSpec;

/**
 * The page walkers on their own: requests made at once to a machine whose vCPU never runs, so that only the walker
 * decides when each walk starts.
 */
class PageWalkersTest {
    private record Done(long ticket, long start, long end, int inFlight) {
    }

    /** Asks for {@code n} walks of distinct pages at time 0 and records each as it ends. */
    private static List<Done> walks(String mode, int walkers, int n, List<Long> tickets) {
        RunSpec spec = TestSpecs.spec(mode, "random", 1, 0, 1, "workload.footprint", "64MiB", "mmu.walkers",
                String.valueOf(walkers));
        List<Done> done = new ArrayList<>();
        SimModel model = scheduler -> {
            Machine m = Machine.build(spec, scheduler, List.of(), new VCpu.Observer() {
                @Override
                public void warmupEnded(long time) {
                }

                @Override
                public void finished(long time) {
                }
            });
            PageWalker walker = m.walker();
            PageWalker.Listener listener = new PageWalker.Listener() {
                @Override
                public void walkFinished(long ticket, WalkTrace trace) {
                    assertEquals(WalkOutcome.TRANSLATED, trace.outcome());
                    // Taken before the walker hands itself to the next request: what was in flight.
                    done.add(new Done(ticket, trace.startTime(), trace.endTime(), walker.inFlight()));
                    if (done.size() == n) {
                        scheduler.finish();
                    }
                }

                @Override
                public void walkSpeculated(long ticket, WalkTrace trace) {
                }
            };
            scheduler.schedule(0, () -> {
                for (int i = 0; i < n; i++) {
                    // Pages 4 MiB apart: no two share a level-1 table, so each walk goes to memory.
                    tickets.add(walker.request(0, WorkloadSpec.BASE_ADDRESS + ((long) i << 22), false, listener));
                    assertTrue(walker.inFlight() <= walkers);
                }
                assertEquals(Math.min(n, walkers), walker.inFlight());
                assertEquals(Math.max(0, n - walkers), walker.queued());
            });
        };
        ReplicationRunner.run("page-walkers/" + mode + "/" + walkers, model, 1, 60);
        return done;
    }

    @Test
    void walkersNeverExceedTheirCountAndServeTheQueueInOrder() {
        for (String mode : new String[] {"native", "nested", "spec-shadow"}) {
            for (int walkers : new int[] {1, 2, 3}) {
                List<Long> tickets = new ArrayList<>();
                List<Done> done = walks(mode, walkers, 8, tickets);
                assertEquals(8, done.size());
                // The first 'walkers' requests start at once, the rest in the order they were made, each when a
                // walker has just become free.
                List<Long> starts = new ArrayList<>();
                List<Long> ends = new ArrayList<>();
                for (Done d : done) {
                    assertTrue(d.inFlight() <= walkers, mode + ": " + d.inFlight() + " walks in flight");
                    ends.add(d.end());
                }
                for (long t : tickets) {
                    starts.add(done.stream().filter(d -> d.ticket() == t).findFirst().orElseThrow().start());
                }
                for (int i = 0; i < tickets.size(); i++) {
                    if (i < walkers) {
                        assertEquals(0, starts.get(i), mode + " walk " + i);
                    } else {
                        assertTrue(starts.get(i) >= starts.get(i - 1), mode + ": queued walks start in order");
                        assertTrue(ends.contains(starts.get(i)), mode + ": walk " + i + " starts when one ends");
                    }
                }
            }
        }
    }
}
