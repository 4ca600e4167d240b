package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.hypervisor.ShadowPaging;

/**
 * Shadow paging with the threads of one address space on several vCPUs: one shadow table for them all, and the
 * hypervisor's shadow work serialized by the VM's shadow lock, whose waits are counted.
 */
class ShadowSmpTest {
    private static RunSpec threads(String mode, String... more) {
        String[] base = {"machine.vcpus", "4", "workload.threads", "4", "workload.footprint", "4MiB",
            "workload.mprotectEvery", "1000", "workload.mmapEvery", "3000", "workload.mmapSize", "64KiB"};
        String[] kv = new String[base.length + more.length];
        System.arraycopy(base, 0, kv, 0, base.length);
        System.arraycopy(more, 0, kv, base.length, more.length);
        return TestSpecs.spec(mode, "random", 20_000, 0, 13, kv);
    }

    @Test
    void theVcpusOfOneAddressSpaceShareItsShadowTable() {
        MachineRun run = MachineRun.of(threads("shadow"));
        assertEquals(4, run.machine().vcpus());
        long root = run.machine().registers().shadowRoot();
        for (int c = 1; c < 4; c++) {
            assertEquals(root, run.machine().registers(c).shadowRoot(), "vCPU " + c + " walks another shadow");
        }
        assertEquals(1, ((ShadowPaging) run.machine().platform()).shadowsBuilt());
    }

    @Test
    void shadowWorkIsSerializedAndTheWaitsAreCounted() {
        RunResult r = Simulation.run(threads("shadow"));
        LockCounts lock = r.interval().shadowLock();
        assertTrue(lock.acquisitions() > 100, lock.acquisitions() + " acquisitions");
        assertTrue(lock.contended() > 0 && lock.waitCycles() > 0, "four vCPUs' exits never met: " + lock);
        // One holder at a time: the holds, end to end, fit in the run.
        assertTrue(lock.holdCycles() <= r.cycles(), lock.holdCycles() + " cycles held in a run of " + r.cycles());
        RunResult unlocked = Simulation.run(threads("shadow", "hypervisor.shadowLock", "false"));
        assertEquals(LockCounts.NONE, unlocked.interval().shadowLock());
        assertTrue(unlocked.interval().cpu().exitCycles(ExitCause.INVLPG)
                < r.interval().cpu().exitCycles(ExitCause.INVLPG),
                "waiting for the lock lengthens the exits that take it");
    }

    @Test
    void nestedPagingTakesNoShadowLock() {
        assertEquals(0, Simulation.run(threads("nested")).interval().shadowLock().acquisitions());
    }
}
