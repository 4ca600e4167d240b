package org.nestwalk.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.pagetable.PageSize;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.MachineRun;
import org.nestwalk.sim.Snapshot;

/** The guest OS's bookkeeping across fork, copy-on-write, spawn, exit and munmap. */
class GuestOsTest {

    /** Every guest frame allocated is a table node or a data page of a live process: none leaked, none lost. */
    private static void assertNoFrameLeaks(Machine m) {
        Set<Long> data = new HashSet<>();
        long[] nodes = {0};
        for (GuestProcess p : m.guest().processes()) {
            nodes[0]++; // the root
            p.table().forEachNode(n -> nodes[0]++);
            p.table().forEachLeaf(0, 1L << 47, (va, at, entry, size) -> {
                assertEquals(PageSize.SIZE_4K, size);
                data.add(Pte.address(entry));
            });
        }
        // The shared zero page stays allocated whether or not a process still maps it.
        if (m.guest().zeroFrame() >= 0) {
            data.add(m.guest().zeroFrame());
        }
        long expected = (nodes[0] + data.size()) * 4096;
        assertEquals(expected, m.guest().frames().allocatedBytes());
    }

    @Test
    void forkSharesEveryPageAndCopyOnWriteLeaksNothing() {
        MachineRun r = MachineRun.of(TestSpecs.spec("nested", "fork-heavy", 500_000, 0, 1));
        Snapshot s = r.end();
        assertEquals(2, s.guest().forks(), "a fork every 200,000 references");
        assertTrue(s.guest().copyOnWriteFaults() > 100);
        assertTrue(s.guest().exits() >= 1, "the first child made its 20,000 references and exited");
        assertNoFrameLeaks(r.machine());
    }

    @Test
    void shortLivedProgramsComeAndGoWithoutLeaks() {
        MachineRun r = MachineRun.of(TestSpecs.spec("native", "gcc-like", 1_500_000, 0, 1));
        Snapshot s = r.end();
        // 1,500,000 references over programs of 400,000: the driver started the next ones as the first exited.
        assertTrue(s.guest().spawns() >= 4, "spawns " + s.guest().spawns());
        assertTrue(s.guest().exits() >= 2, "exits " + s.guest().exits());
        assertTrue(s.guest().unmappedPages() > 0, "churn munmaps");
        assertTrue(r.machine().guest().processes().size() <= 3, "the driver and at most two programs");
        assertNoFrameLeaks(r.machine());
    }

    @Test
    void twoRunnableProgramsShareTheVcpuByTimeSlices() {
        Snapshot s = MachineRun.of(TestSpecs.spec("native", "gcc-like", 600_000, 0, 1)).end();
        // One switch per 3,000,000-cycle quantum while two programs are runnable, plus those on wait and exit.
        long quanta = s.time() / 3_000_000;
        assertTrue(s.guest().contextSwitches() >= quanta / 2, s.guest().contextSwitches() + " switches, "
                + quanta + " quanta");
        assertTrue(s.cpu().interrupts() >= quanta - 1);
    }

    @Test
    void exitFreesTheAddressSpace() {
        MachineRun r = MachineRun.of(TestSpecs.spec("shadow", "fork-heavy", 450_000, 0, 1,
                "workload.childReferences", "10000"));
        assertTrue(r.end().guest().exits() >= 2);
        assertEquals(1, r.machine().guest().processes().size(), "only the parent is left");
        assertNoFrameLeaks(r.machine());
    }
}
