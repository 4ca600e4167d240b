package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.guest.GuestProcess;

/** The threads of one synthetic program on several vCPUs: one address space, a thread on each vCPU. */
class GuestThreadsTest {
    @Test
    void fourThreadsOnFourVcpusShareOneAddressSpace() {
        MachineRun run = MachineRun.of(TestSpecs.spec("nested", "random", 20_000, 0, 5, "machine.vcpus", "4",
                "workload.threads", "4", "workload.footprint", "8MiB", "workload.prefault", "false"));
        Machine m = run.machine();
        GuestProcess leader = m.guest().running(0);
        Set<Integer> cpus = new HashSet<>();
        for (int c = 0; c < 4; c++) {
            GuestProcess t = m.guest().running(c);
            assertSame(leader, t.addressSpace());
            assertSame(leader.table(), t.table());
            assertEquals(leader.pcid(), t.pcid());
            cpus.add(t.cpu());
        }
        assertEquals(Set.of(0, 1, 2, 3), cpus);
        // Demand paging: a page is faulted in once, by whichever thread touches it first, not once per thread (and,
        // if that was a load, once more at the first store, to replace the zero page).
        long pages = 8L << 20 >>> 12;
        var g = run.end().guest();
        long firstTouches = g.pageFaults() - g.zeroPageWrites();
        assertTrue(firstTouches <= pages + 64 && firstTouches > pages / 2,
                g.pageFaults() + " page faults, " + g.zeroPageWrites() + " of them stores to the zero page, for "
                        + pages + " pages");
    }

    @Test
    void eachThreadWriteProtectsAndReenablesAPageAtItsRate() {
        // Every 1,000 references a thread takes write permission away from one page and gives it back: two leaf
        // writes (the footprint is prefaulted, so nothing else writes the tables).
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 30_000, 0, 5, "machine.vcpus", "2",
                "workload.threads", "2", "workload.footprint", "8MiB", "workload.mprotectEvery", "1000"));
        long writes = r.interval().guest().tableWrites();
        // 30 rounds per thread; the last write-enable of each may not have run when the thread stops.
        assertTrue(writes >= 2 * (2 * 30 - 2) && writes <= 2 * 2 * 30, writes + " table writes");
    }
}
