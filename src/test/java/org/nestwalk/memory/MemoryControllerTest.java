package org.nestwalk.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.nestwalk.des.Scheduler;
import org.nestwalk.random.RandomStream;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.SimModel;

/** The memory controller against hand-computed schedules and queueing theory, on the DSOL engine. */
class MemoryControllerTest {

    /** Feeds the controller requests at given inter-arrival times and records every request's time in the system. */
    private static final class Source implements SimModel, MemoryClient {
        private final DramConfig config;
        private final int requests;
        private final LongSupplier gap;
        private final LongSupplier address;
        private final List<Long> arrivals = new ArrayList<>();
        private final List<Long> completions = new ArrayList<>();
        private Scheduler scheduler;
        private MemoryController controller;
        private int sent;
        private int done;
        private final List<Integer> queueSamples = new ArrayList<>();

        Source(DramConfig config, int requests, LongSupplier gap, LongSupplier address) {
            this.config = config;
            this.requests = requests;
            this.gap = gap;
            this.address = address;
        }

        @Override
        public void construct(Scheduler s) {
            scheduler = s;
            controller = new MemoryController(config, s);
            completions.addAll(java.util.Collections.nCopies(requests, 0L));
            s.schedule(0, this::arrive);
        }

        private void arrive() {
            long now = scheduler.now();
            arrivals.add(now);
            controller.submit(now, address.getAsLong(), false, this, sent);
            queueSamples.add(controller.queued());
            sent++;
            if (sent < requests) {
                scheduler.schedule(now + gap.getAsLong(), this::arrive);
            }
        }

        @Override
        public void memoryDone(long completionTime, int tag) {
            completions.set(tag, completionTime);
            if (++done == requests) {
                scheduler.finish();
            }
        }

        Source run() {
            ReplicationRunner.run("memory-test", this, 7, 120);
            return this;
        }

        double meanWait(int from, int to, long service) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += completions.get(i) - arrivals.get(i) - service;
            }
            return sum / (to - from);
        }
    }

    private static DramConfig oneBank(int service, DramScheduling scheduling) {
        return new DramConfig(1, service, service, 8192, scheduling);
    }

    @Test
    void requestsSpacedBeyondTheServiceTimeNeverWait() {
        DramConfig c = new DramConfig(8, 120, 200, 8192, DramScheduling.FRFCFS);
        RandomStream r = new RandomStream(3);
        Source s = new Source(c, 5000, () -> 201, () -> r.nextLong(1L << 32) & ~63L).run();
        DramStats stats = s.controller.stats();
        assertEquals(0, stats.queueDelaySum());
        assertEquals(0, stats.maxQueued());
        for (int i = 0; i < 5000; i++) {
            long latency = s.completions.get(i) - s.arrivals.get(i);
            assertTrue(latency == 120 || latency == 200, "latency " + latency);
        }
    }

    @Test
    void requestsFasterThanServiceMakeTheQueueGrow() {
        int n = 20_000;
        Source s = new Source(oneBank(200, DramScheduling.FCFS), n, () -> 150, () -> 0).run();
        // Arrivals every 150 cycles, service 200: the backlog grows by a quarter request per arrival.
        int last = s.queueSamples.get(n - 1);
        assertTrue(Math.abs(last - n / 4.0) < 3, "queue after " + n + " arrivals: " + last);
        double early = s.meanWait(0, n / 2, 200);
        double late = s.meanWait(n / 2, n, 200);
        assertTrue(late > early * 2, "waits must keep growing: " + early + " then " + late);
        // Under FCFS with deterministic service the k-th request waits exactly k*200 - k*150 = 50k cycles.
        assertEquals(50.0 * (n - 1), (double) (s.completions.get(n - 1) - s.arrivals.get(n - 1) - 200), 0.0);
    }

    @Test
    void meanWaitMatchesMd1AtModerateLoad() {
        // One bank, deterministic service D = 100, Poisson arrivals at rate lambda = 1/200: rho = 0.5.
        // M/D/1 (Pollaczek-Khinchine): Wq = rho * D / (2 (1 - rho)) = 50 cycles.
        int n = 400_000;
        RandomStream r = new RandomStream(11);
        double[] clock = {0};
        long[] last = {0};
        Source s = new Source(oneBank(100, DramScheduling.FCFS), n, () -> {
            clock[0] += r.nextExponential(200);
            long t = Math.round(clock[0]);
            long g = t - last[0];
            last[0] = t;
            return g;
        }, () -> 0).run();
        double wait = s.meanWait(0, n, 100);
        double rho = 100.0 * n / s.arrivals.get(n - 1);
        double expected = rho * 100 / (2 * (1 - rho));
        assertEquals(expected, wait, expected * 0.03, "measured rho " + rho);
        assertEquals(wait, s.controller.stats().meanQueueDelay(), 1e-9);
    }

    @Test
    void frFcfsServesTheOpenRowFirst() {
        long rowA = 0;
        long rowB = 1L << 13; // next row, same bank (one bank)
        long[] addresses = {rowA, rowB, rowA};
        int[] i = {0};
        Source frfcfs = new Source(new DramConfig(1, 120, 200, 8192, DramScheduling.FRFCFS), 3, () -> 1,
                () -> addresses[i[0]++]).run();
        // t=0 row A starts (miss, 200); at t=200 the row-A request overtakes the older row-B one (hit, 120).
        assertEquals(List.of(200L, 520L, 320L), frfcfs.completions);
        i[0] = 0;
        Source fcfs = new Source(new DramConfig(1, 120, 200, 8192, DramScheduling.FCFS), 3, () -> 1,
                () -> addresses[i[0]++]).run();
        assertEquals(List.of(200L, 400L, 600L), fcfs.completions);
    }

    @Test
    void aCapBoundsTheRowHitsServedAheadOfTheOldestRequest() {
        // One bank. t=0: a row-A request starts (miss, done at 200). t=1: a row-B request waits. t=2..6: five more
        // row-A requests wait. Uncapped, the five row hits all pass the row-B request (done 320, 440, 560, 680,
        // 800), which goes last (1000). With a cap of 2, two row hits pass it (320, 440), it goes next (640, a row
        // miss), and the other three follow as misses and hits of row A again (840, 960, 1080).
        long rowA = 0;
        long rowB = 1L << 13;
        long[] addresses = {rowA, rowB, rowA, rowA, rowA, rowA, rowA};
        for (int cap : new int[] {0, 2}) {
            int[] i = {0};
            Source s = new Source(new DramConfig(1, 120, 200, 8192, DramScheduling.FRFCFS, cap), 7, () -> 1,
                    () -> addresses[i[0]++]).run();
            List<Long> expected = cap == 0 ? List.of(200L, 1000L, 320L, 440L, 560L, 680L, 800L)
                    : List.of(200L, 640L, 320L, 440L, 840L, 960L, 1080L);
            assertEquals(expected, s.completions, "cap " + cap);
        }
    }

    @Test
    void consecutiveRowsRotateOverBanks() {
        // Eight requests to eight consecutive 8 KiB rows at the same time: all banks serve in parallel.
        long[] next = {0};
        Source s = new Source(new DramConfig(8, 120, 200, 8192, DramScheduling.FRFCFS), 8, () -> 0,
                () -> (next[0]++) << 13).run();
        assertTrue(s.completions.stream().allMatch(t -> t == 200), s.completions.toString());
    }
}
