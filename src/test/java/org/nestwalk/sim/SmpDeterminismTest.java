package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;

/**
 * Same seed, same results: two VMs of four vCPUs each, exchanging shootdowns, under shadow paging with its lock and
 * under nested paging, give the same counters run alone or while other runs go on beside them on a thread pool, as
 * {@code --jobs} runs them.
 */
class SmpDeterminismTest {
    private static RunSpec spec(String mode) {
        return TestSpecs.spec(mode, "random", 20_000, 5_000, 21, "machine.vms", "2", "machine.vcpus", "4",
                "workload.threads", "4",
                "workload.footprint", "8MiB", "workload.mprotectEvery", "1500", "workload.mmapEvery", "4000",
                "workload.mmapSize", "64KiB");
    }

    @Test
    void twoVmsOfFourVcpusGiveTheSameCountersAloneAndOnAThreadPool() throws Exception {
        List<RunSpec> specs = List.of(spec("shadow"), spec("nested"), spec("shadow"), spec("nested"));
        List<Map<String, Long>> alone = new ArrayList<>();
        for (RunSpec s : specs) {
            alone.add(Simulation.run(s).interval().counters());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Map<String, Long>>> together = new ArrayList<>();
            for (RunSpec s : specs) {
                together.add(pool.submit(() -> Simulation.run(s).interval().counters()));
            }
            for (int i = 0; i < specs.size(); i++) {
                assertEquals(alone.get(i), together.get(i).get(), specs.get(i).label());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(alone.get(0), alone.get(2), "the same spec twice");
    }
}
