package org.nestwalk.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.MachineRun;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.sim.Snapshot;

/** Shadow paging's synchronisation, against what the guest OS did. */
class ShadowPagingTest {
    private static Snapshot run(String mode, String preset, String... more) {
        String[] kv = new String[more.length];
        System.arraycopy(more, 0, kv, 0, more.length);
        return Simulation.run(TestSpecs.spec(mode, preset, 300_000, 0, 2, kv)).interval();
    }

    @Test
    void trappingEveryWriteExitsOncePerGuestPageTableWrite() {
        for (String preset : new String[] {"gcc-like", "fork-heavy"}) {
            Snapshot s = run("shadow", preset, "hypervisor.shadowSync", "trap");
            assertTrue(s.guest().tableWrites() > 1000, preset);
            assertEquals(s.guest().tableWrites(), s.cpu().exits(ExitCause.PT_WRITE), preset);
        }
    }

    @Test
    void hardwareAssistedModesNeverTrapPageTableWrites() {
        for (String mode : new String[] {"nested", "flat-nested", "spec-shadow"}) {
            Snapshot s = run(mode, "gcc-like");
            assertTrue(s.guest().tableWrites() > 1000);
            assertEquals(0, s.cpu().exits(ExitCause.PT_WRITE), mode);
            assertEquals(0, s.cpu().exits(ExitCause.CR3_WRITE), mode);
            assertEquals(0, s.cpu().exits(ExitCause.INVLPG), mode);
            assertEquals(0, s.cpu().exits(ExitCause.HIDDEN_FAULT), mode);
        }
    }

    @Test
    void outOfSyncTablesTrapFarLessThanWriteProtectedOnes() {
        Snapshot trap = run("shadow", "fork-heavy", "hypervisor.shadowSync", "trap");
        Snapshot oos = run("shadow", "fork-heavy", "hypervisor.shadowSync", "oos");
        assertEquals(trap.guest().tableWrites(), oos.guest().tableWrites());
        assertTrue(oos.cpu().exits(ExitCause.PT_WRITE) * 2 < trap.cpu().exits(ExitCause.PT_WRITE),
                oos.cpu().exits(ExitCause.PT_WRITE) + " vs " + trap.cpu().exits(ExitCause.PT_WRITE));
        assertTrue(oos.time() < trap.time());
    }

    @Test
    void everyGuestFaultIsSeenByTheHypervisorFirst() {
        // Without the zero page a first read maps a writable, clean page, and the first store to it is a hidden
        // fault (dirty-bit emulation); with it, that store is a true fault instead.
        Snapshot s = run("shadow", "gcc-like", "hypervisor.shadowSync", "trap", "guest.zeroPage", "false");
        // True faults are reflected into the guest: one injection per fault the guest handled.
        assertEquals(s.guest().pageFaults(), s.cpu().exits(ExitCause.GUEST_FAULT_INJECTION));
        // Every CR3 load traps, and new address spaces need a new shadow.
        assertTrue(s.cpu().exits(ExitCause.CR3_WRITE) >= s.guest().contextSwitches());
        assertTrue(s.cpu().exits(ExitCause.HIDDEN_FAULT) > 0);
    }

    @Test
    void aShadowEntryNeverGivesMoreThanTheGuestAndHypervisorAllow() {
        for (String sync : new String[] {"trap", "oos"}) {
            MachineRun r = MachineRun.of(TestSpecs.spec("shadow", "fork-heavy", 300_000, 0, 3,
                    "hypervisor.shadowSync", sync));
            Machine m = r.machine();
            ShadowPaging shadow = (ShadowPaging) m.platform();
            int checked = 0;
            for (GuestProcess p : m.guest().processes()) {
                long[] seen = {0};
                p.table().forEachLeaf(0, 1L << 47, (va, at, entry, size) -> {
                    Mapping s = shadow.shadowMapping(p, va);
                    if (s == null || shadow.outOfSync(p, at)) {
                        return;
                    }
                    long expected = m.hypervisor().systemAddress(Pte.address(entry));
                    assertEquals(expected, s.pageBase(), sync + " " + Long.toHexString(va));
                    assertFalse(s.writable() && !Pte.writable(entry), "a writable shadow of a read-only page");
                    seen[0]++;
                });
                checked += (int) seen[0];
            }
            assertTrue(checked > 1000, sync + ": only " + checked + " shadow entries checked");
        }
    }

    @Test
    void onATlbHungryWorkloadWithoutPageTableUpdatesShadowRunsAtNativeSpeed() {
        RunResult shadow = Simulation.run(TestSpecs.spec("shadow", "random", 200_000, 50_000, 4,
                "workload.footprint", "256MiB"));
        RunResult nat = Simulation.run(TestSpecs.spec("native", "random", 200_000, 50_000, 4,
                "workload.footprint", "256MiB"));
        assertEquals(0, shadow.vmExits() - shadow.exits(ExitCause.CR3_WRITE));
        assertEquals(nat.cycles(), shadow.cycles(), nat.cycles() * 0.01);
    }
}
