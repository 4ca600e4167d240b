package org.nestwalk.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.guest.GuestProcess;
import org.nestwalk.pagetable.Mapping;
import org.nestwalk.pagetable.Pte;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.sim.Machine;
import org.nestwalk.sim.MachineRun;
import org.nestwalk.sim.Simulation;
import org.nestwalk.sim.Snapshot;
import org.nestwalk.sim.WalkProbe;

/** Agile paging's switching policy, counted against hand-built sequences of guest writes, and its bookkeeping. */
class AgilePagingTest {
    private static final long VA = 0x7f12_3456_7000L;

    @Test
    void thePolicyMovesAPageOnItsSecondTrappedWriteAndBackAfterAQuietInterval() {
        AgilePolicy p = new AgilePolicy(2);
        long a = 0x1000;
        long b = 0x2000;
        assertFalse(p.trappedWrite(a));
        assertTrue(p.trappedWrite(a), "the second write within the interval");
        assertFalse(p.trappedWrite(b));
        assertEquals(List.of(), p.endInterval(), "a's switching write counts for this interval");
        assertTrue(p.nested(a));
        assertFalse(p.trappedWrite(b), "b's count started afresh with the interval");
        p.nestedWrite(a);
        assertEquals(List.of(), p.endInterval(), "a was written");
        assertEquals(List.of(a), p.endInterval(), "a was not written in the last interval");
        assertFalse(p.nested(a));
        assertFalse(p.trappedWrite(a));
        assertTrue(p.trappedWrite(a));
        assertEquals(2, p.toNested());
        assertEquals(1, p.toShadow());
    }

    /**
     * The real guest writes its leaf table (by mapping pages beside VA) and loads CR3, in this order:
     * 2 writes (to nested), CR3 (stays: written), two full TLB flushes (CR3 reloads, which end no interval),
     * 1 write (its own, no exit), CR3 (stays), CR3 (quiet: to shadow), 1 write (trapped, count 1), CR3 (count
     * reset), 1 write, 1 write (to nested again).
     */
    @Test
    void switchesFollowAHandBuiltSequenceOfGuestWrites() {
        List<Long> toNested = new ArrayList<>();
        List<Long> toShadow = new ArrayList<>();
        List<Long> ptWriteExits = new ArrayList<>();
        WalkProbe.run(TestSpecs.spec("agile", "random", "workload.footprint", "64KiB", "workload.prefault",
                "false"), 0, List.of(VA), m -> {
                    AgilePaging agile = (AgilePaging) m.platform();
                    GuestProcess p = m.process();
                    long leafTable = leafTableOf(p, VA);
                    HandlerWork work = new HandlerWork();
                    int[] page = {1};
                    Runnable write = () -> m.guest().pageFault(VA + (page[0]++ << 12), true, work);
                    Runnable cr3 = () -> agile.loadCr3(p, work);
                    Runnable flush = () -> agile.flushTlb(p, work);
                    Runnable note = () -> {
                        toNested.add(agile.toNested());
                        toShadow.add(agile.toShadow());
                        ptWriteExits.add(work.exits(ExitCause.PT_WRITE));
                    };
                    write.run();
                    note.run();
                    write.run();
                    note.run();
                    assertTrue(agile.nested(p, leafTable));
                    cr3.run();
                    note.run();
                    flush.run();
                    flush.run();
                    note.run();
                    assertTrue(agile.nested(p, leafTable));
                    write.run();
                    note.run();
                    cr3.run();
                    cr3.run();
                    note.run();
                    assertFalse(agile.nested(p, leafTable));
                    write.run();
                    note.run();
                    cr3.run();
                    write.run();
                    note.run();
                    write.run();
                    note.run();
                    assertTrue(agile.nested(p, leafTable));
                });
        assertEquals(List.of(0L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 2L), toNested);
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L), toShadow);
        // Writes to the shadowed table trap; the one made while it was nested did not.
        assertEquals(List.of(1L, 2L, 2L, 2L, 2L, 2L, 3L, 4L, 5L), ptWriteExits);
    }

    @Test
    void aThresholdNoPageReachesTrapsEveryPageTableWriteAsShadowPagingDoes() {
        Snapshot s = Simulation.run(TestSpecs.spec("agile", "gcc-like", 200_000, 0, 2, "hypervisor.agileWrites",
                "1000000")).interval();
        assertTrue(s.guest().tableWrites() > 1000);
        assertEquals(s.guest().tableWrites(), s.cpu().exits(ExitCause.PT_WRITE));
        assertEquals(0, s.cpu().exits(ExitCause.INVLPG), "INVLPG runs without an exit");
    }

    @Test
    void underPageTableUpdatesAgileTrapsFewerWritesThanThereAre() {
        Snapshot s = Simulation.run(TestSpecs.spec("agile", "gcc-like", 200_000, 0, 2)).interval();
        assertTrue(s.cpu().exits(ExitCause.PT_WRITE) * 4 < s.guest().tableWrites(),
                s.cpu().exits(ExitCause.PT_WRITE) + " of " + s.guest().tableWrites());
    }

    @Test
    void shadowEntriesAndSwitchEntriesAgreeWithTheGuestAndTheHypervisor() {
        // A threshold that leaf tables being filled reach and the tables above them do not: both kinds of entry.
        MachineRun r = MachineRun.of(TestSpecs.spec("agile", "gcc-like", 300_000, 0, 3, "hypervisor.agileWrites",
                "64"));
        Machine m = r.machine();
        AgilePaging agile = (AgilePaging) m.platform();
        assertTrue(agile.toNested() > 0 && agile.toShadow() > 0, "gcc-like moves pages both ways");
        int checked = 0;
        for (GuestProcess p : m.guest().processes()) {
            long[] seen = {0};
            p.table().forEachLeaf(0, 1L << 47, (va, at, entry, size) -> {
                Mapping s = agile.shadowMapping(p, va);
                if (s == null) {
                    return;
                }
                long expected = m.hypervisor().systemAddress(Pte.address(entry));
                assertEquals(expected, s.pageBase(), Long.toHexString(va));
                assertFalse(s.writable() && !Pte.writable(entry), "a writable shadow of a read-only page");
                seen[0]++;
            });
            checked += (int) seen[0];
        }
        assertTrue(checked > 100, "only " + checked + " shadow entries checked");
    }

    private static long leafTableOf(GuestProcess p, long va) {
        long node = p.cr3();
        for (int level = p.table().levels(); level > 1; level--) {
            long entry = p.table().memory().read(RadixPageTable.entryAddress(node, va, level));
            node = Pte.address(entry);
        }
        return node;
    }
}
