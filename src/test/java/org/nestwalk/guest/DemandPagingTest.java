package org.nestwalk.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.nestwalk.workload.ReferenceBuffer;
import org.nestwalk.workload.ReferenceStream;
import org.nestwalk.workload.SyntheticWorkload;

/**
 * First touches: 16 pages of one level-1 table, touched by 200,000 uniform references, without prefaulting. The
 * guest faults once per page; under nested paging each guest frame it touches for the first time (16 data pages and
 * the 3 table nodes below the root, which was set up at boot) is one nested fault.
 */
class DemandPagingTest {
    /** Demand paging without the zero page: one fault per page, whatever touches it first. */
    private static RunResult run(String mode, String... more) {
        return Simulation.run(spec(mode, "false", more));
    }

    private static RunSpec spec(String mode, String zeroPage, String... more) {
        String[] kv = new String[more.length + 6];
        kv[0] = "workload.footprint";
        kv[1] = "64KiB";
        kv[2] = "workload.prefault";
        kv[3] = "false";
        kv[4] = "guest.zeroPage";
        kv[5] = zeroPage;
        System.arraycopy(more, 0, kv, 6, more.length);
        return TestSpecs.spec(mode, "random", 200_000, 0, 1, kv);
    }

    @Test
    void withTheZeroPageAPageFirstReadFaultsAgainWhenFirstWritten() {
        RunSpec spec = spec("native", "true");
        // Which of the 16 pages are read before they are first written, from the program's own references.
        ReferenceStream program = SyntheticWorkload.program(spec.workload(),
                new RandomStreams(spec.seed(), spec.replication()));
        ReferenceBuffer b = new ReferenceBuffer(4096);
        Map<Long, Boolean> readFirst = new HashMap<>();
        java.util.Set<Long> written = new java.util.HashSet<>();
        long seen = 0;
        while (seen < spec.references()) {
            int n = program.fill(b);
            for (int i = 0; i < n && seen < spec.references(); i++, seen++) {
                long page = b.address(i) >>> 12;
                boolean store = (b.flags(i) & ReferenceBuffer.WRITE) != 0;
                readFirst.putIfAbsent(page, !store);
                if (store) {
                    written.add(page);
                }
            }
        }
        long secondFaults = readFirst.entrySet().stream().filter(e -> e.getValue() && written.contains(e.getKey()))
                .count();
        assertEquals(16, readFirst.size());
        assertTrue(secondFaults > 0, "some page is read before it is written");
        RunResult r = Simulation.run(spec);
        assertEquals(16 + secondFaults, r.interval().cpu().pageFaults());
        assertEquals(secondFaults, r.interval().guest().zeroPageWrites());
        assertEquals(0, r.interval().guest().copyOnWriteFaults(), "a zero page is not copied");
    }

    @Test
    void everyPageFaultsOnceNatively() {
        // A core that stops at each TLB miss walks only for the references it takes: each fault is one walk.
        RunResult stalling = run("native", "core.walkOverlap", "none");
        VCpuStats cpu = stalling.interval().cpu();
        assertEquals(16, cpu.pageFaults());
        assertEquals(16, stalling.interval().walks().pageFaults());
        assertEquals(16, cpu.walkRetries());
        assertEquals(0, stalling.vmExits());
        assertTrue(cpu.guestOsCycles() >= 16 * 1500L);
        // One that runs past its misses also walks for younger references the first fault then squashes; those
        // walks may fault too, but only the faults of references the core keeps are taken.
        RunResult overlapping = run("native", "core.walkOverlap", "rob");
        VCpuStats o = overlapping.interval().cpu();
        assertEquals(16, o.pageFaults());
        assertEquals(16, o.walkRetries());
        assertEquals(16, o.faultSquashes());
        assertTrue(overlapping.interval().walks().pageFaults() >= 16);
        assertTrue(o.squashedReferences() > 0);
        assertEquals(200_000, o.references());
        assertEquals(overlapping.cycles(), o.accountedCycles());
    }

    @Test
    void everyNewGuestFrameIsANestedFault() {
        RunResult r = run("nested");
        VCpuStats cpu = r.interval().cpu();
        assertEquals(16, cpu.pageFaults());
        assertEquals(19, cpu.exits(ExitCause.NESTED_FAULT));
        // Each exit is a VM exit and entry (1000) plus the handler (2000) plus its nested-table writes.
        assertTrue(cpu.exitCycles(ExitCause.NESTED_FAULT) > 19 * 3000L);
        assertTrue(cpu.exitCycles(ExitCause.NESTED_FAULT) < 19 * 3000L + 19 * 4 * 400L);
        // The guest touched its frames in its handler: no walk ever met a missing nested entry.
        assertEquals(0, r.interval().walks().nestedFaults());
    }

    @Test
    void twoMegabyteHostPagesBackAllOfItAtBoot() {
        // The root node, allocated at boot, lies in the same 2 MiB guest region as every frame the run needs.
        RunResult r = run("nested", "hypervisor.pageSize", "2MiB", "memory.placement", "sequential");
        assertEquals(16, r.pageFaults());
        assertEquals(0, r.vmExits());
    }

    @Test
    void prefaultedPagesNeverFault() {
        RunResult r = Simulation.run(TestSpecs.spec("nested", "random", 200_000, 0, 1, "workload.footprint",
                "64KiB"));
        assertEquals(0, r.pageFaults());
        assertEquals(0, r.vmExits());
    }
}
