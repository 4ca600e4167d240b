package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.memory.MemoryLevel;

/**
 * Several vCPUs of one VM, each with its own TLBs, walk caches, L1D, L2 and walkers, sharing the last-level cache
 * and the memory controller. Each runs inline only up to its horizon, and the other vCPUs are on the event list by
 * their resumes: so the interleaving is exact, and the inline quantum (a simulation artefact) changes nothing.
 */
class SeveralVcpusTest {
    private static RunSpec spec(int vcpus, String... more) {
        String[] kv = new String[4 + more.length];
        kv[0] = "machine.vcpus";
        kv[1] = Integer.toString(vcpus);
        kv[2] = "workload.footprint";
        kv[3] = "64MiB";
        System.arraycopy(more, 0, kv, 4, more.length);
        return TestSpecs.spec("nested", "random", 40_000, 0, 3, kv);
    }

    @Test
    void theInlineQuantumDoesNotChangeWhatTwoVcpusDo() {
        var longBursts = Simulation.run(spec(2, "core.quantum", "100000")).interval().counters();
        var shortBursts = Simulation.run(spec(2, "core.quantum", "97")).interval().counters();
        assertEquals(longBursts, shortBursts);
    }

    @Test
    void everyVcpuRunsTheReferencesAndEachLlcLookupIsCountedOnce() {
        RunResult r = Simulation.run(spec(3));
        Snapshot s = r.interval();
        assertEquals(3, r.vcpus());
        assertEquals(3 * 40_000, r.references());
        long llcLookups = 0;
        for (CpuSnapshot c : s.vcpus()) {
            assertEquals(40_000, c.cpu().references());
            assertTrue(c.walks().walks() > 0, "every vCPU walks its own tables");
            llcLookups += c.cacheHits()[2] + c.cacheMisses()[2];
        }
        int llc = MemoryLevel.LLC.ordinal();
        assertEquals(s.cacheHits()[llc] + s.cacheMisses()[llc], llcLookups);
    }

    @Test
    void vcpusQueueAtTheSharedMemoryController() {
        // Two copies of a DRAM-bound program on two vCPUs: the one memory controller serves twice the requests,
        // and each waits longer in its queue than one program alone.
        RunResult one = Simulation.run(spec(1));
        RunResult two = Simulation.run(spec(2));
        assertTrue(two.interval().dram().requests() > 1.8 * one.interval().dram().requests());
        assertTrue(two.dramQueueDelay() > one.dramQueueDelay(),
                two.dramQueueDelay() + " cycles queued with two vCPUs, " + one.dramQueueDelay() + " with one");
    }
}
