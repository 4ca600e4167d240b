package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;

/**
 * TLB shootdowns between the vCPUs of one address space: the initiator sends an IPI to each other vCPU running it,
 * each target exits (unless interrupts are posted), invalidates and acknowledges, and the initiator waits for all.
 */
class TlbShootdownTest {
    /** k threads on k vCPUs; each write-protects one page once, at its 2,000th reference, and never again. */
    private static RunSpec oneMprotectEach(String mode, int k, String... more) {
        String[] kv = new String[10 + more.length];
        String[] base = {"machine.vcpus", Integer.toString(k), "workload.threads", Integer.toString(k),
            "workload.footprint", "8MiB", "workload.mprotectEvery", "2000", "workload.writeFraction", "0.3"};
        System.arraycopy(base, 0, kv, 0, 10);
        System.arraycopy(more, 0, kv, 10, more.length);
        return TestSpecs.spec(mode, "random", 3_000, 0, 7, kv);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void aShootdownOnKVcpusMakesKMinusOneIpisAndKMinusOneIpiExits(int k) {
        RunResult r = Simulation.run(oneMprotectEach("nested", k));
        ShootdownCounts s = r.interval().shootdowns();
        assertEquals(k, s.initiated(), "one write-protect per thread");
        assertEquals((long) k * (k - 1), s.ipisSent());
        assertEquals((long) k * (k - 1), s.ipisTaken());
        assertEquals((long) k * (k - 1), r.exits(ExitCause.IPI));
        for (CpuSnapshot c : r.interval().vcpus()) {
            assertEquals(1, c.shootdowns().initiated());
            assertEquals(k - 1, c.shootdowns().ipisSent());
            assertEquals(k - 1, c.cpu().exits(ExitCause.IPI), "vCPU " + c.index() + " takes one IPI per other");
        }
        // The initiator waits at least for the IPI to go and the acknowledgement to come back.
        assertTrue(s.cyclesPerShootdown() >= 2 * 500, s.cyclesPerShootdown() + " cycles per shootdown");
    }

    @Test
    void postedInterruptsReachTheTargetsWithoutExits() {
        RunResult posted = Simulation.run(oneMprotectEach("nested", 4, "hypervisor.postedInterrupts", "true"));
        RunResult exiting = Simulation.run(oneMprotectEach("nested", 4));
        assertEquals(12, posted.interval().shootdowns().ipisTaken());
        assertEquals(0, posted.exits(ExitCause.IPI));
        assertTrue(posted.interval().shootdowns().cyclesPerShootdown()
                < exiting.interval().shootdowns().cyclesPerShootdown());
    }

    @Test
    void bareMetalIpisMakeNoExits() {
        RunResult r = Simulation.run(oneMprotectEach("native", 4));
        assertEquals(12, r.interval().shootdowns().ipisTaken());
        assertEquals(0, r.exits(ExitCause.IPI));
    }

    @Test
    void oneVcpuSendsNothing() {
        RunResult r = Simulation.run(oneMprotectEach("nested", 1));
        assertEquals(0, r.interval().shootdowns().initiated());
        assertEquals(0, r.exits(ExitCause.IPI));
    }

    /** Threads that churn mappings, remap and write-protect shared pages, all at once. */
    private static RunSpec churning(String mode, String... more) {
        String[] base = {"machine.vcpus", "4", "workload.threads", "4", "workload.footprint", "2MiB",
            "workload.mprotectEvery", "700", "workload.remapEvery", "900", "workload.mmapEvery", "1500",
            "workload.mmapSize", "64KiB", "workload.writeFraction", "0.5"};
        String[] kv = new String[base.length + more.length];
        System.arraycopy(base, 0, kv, 0, base.length);
        System.arraycopy(more, 0, kv, base.length, more.length);
        return TestSpecs.spec(mode, "random", 30_000, 0, 9, kv);
    }

    private static StaleTranslationCheck checked(RunSpec spec) {
        StaleTranslationCheck[] check = new StaleTranslationCheck[1];
        MachineRun.of(spec, (m, s) -> check[0] = m.checkTranslations());
        return check[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "nested", "shadow"})
    void noVcpuUsesAStaleTranslationOnceTheInitiatorResumes(String mode) {
        StaleTranslationCheck c = checked(churning(mode));
        assertTrue(c.checked() > 50_000, c.checked() + " translations checked");
        assertTrue(c.staleDuringShootdown() > 0, "the targets do use stale translations before they take the IPI");
        assertEquals(0, c.violations(), c.firstViolation());
        assertNull(c.firstViolation());
    }

    @Test
    void withoutShootdownsTheCheckCatchesStaleTranslations() {
        // The control case: an OS that invalidates only its own TLB leaves the other vCPUs' translations stale.
        StaleTranslationCheck c = checked(churning("nested", "guest.tlbShootdowns", "false"));
        assertTrue(c.violations() > 0, "no stale translation found");
    }
}
