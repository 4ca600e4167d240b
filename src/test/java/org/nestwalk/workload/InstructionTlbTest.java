package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.cpu.VCpuStats;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/** Instruction fetch through the L1 iTLB, which shares the L2 TLB and the walkers with the data side. */
class InstructionTlbTest {
    private static final long CODE = 0x40_0000L;
    private static final long DATA = 0x1000_0000L;
    private static final int ROUNDS = 200;

    /**
     * A program whose code runs through {@code pages} pages, 16 pages apart, in a cycle, one data load (always the
     * same word) after each page change; every page present from the start. With {@code ipage} false the same
     * instructions, without the instruction-page changes.
     */
    private static Path trace(Path dir, int pages, boolean ipage) {
        Path file = dir.resolve("code-" + pages + (ipage ? "" : "-plain") + ".trace");
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("code")))) {
            w.event(0, new TraceEvent.Present(CODE, (16L * pages) << 12, false));
            w.event(0, new TraceEvent.Present(DATA, 1 << 12, true));
            for (int r = 0; r < ROUNDS; r++) {
                for (int p = 0; p < pages; p++) {
                    if (ipage) {
                        w.event(7, new TraceEvent.IPage(CODE + ((16L * p) << 12)));
                        w.reference(3, DATA, 8, false);
                    } else {
                        w.reference(10, DATA, 8, false);
                    }
                }
            }
            w.finish(0);
        }
        return file;
    }

    @Test
    void underSpecShadowAFetchRunsOnItsSpeculativeTranslation(@TempDir Path dir) {
        // The code pages are in the ISPT from the start (present pages): each iTLB miss speculates, and the
        // verification agrees.
        String[] kv = {"workload.trace", trace(dir, 5, true).toString(), "workload.prefault", "false"};
        RunResult r = Simulation.run(TestSpecs.spec("spec-shadow", "random", 5 * ROUNDS, 0, 1, kv));
        VCpuStats c = r.interval().cpu();
        assertEquals(5, c.itlbMisses());
        assertEquals(5, c.fetchWalks());
        assertEquals(0, c.misspeculations());
        assertEquals(5L * ROUNDS, c.references());
        assertEquals(r.cycles(), c.accountedCycles());
    }

    private static RunResult run(Path trace, int references, String... more) {
        String[] kv = new String[4 + more.length];
        kv[0] = "workload.trace";
        kv[1] = trace.toString();
        kv[2] = "workload.prefault";
        kv[3] = "false";
        System.arraycopy(more, 0, kv, 4, more.length);
        return Simulation.run(TestSpecs.spec("nested", "random", references, 0, 1, kv));
    }

    @Test
    void codeThatOverflowsAnIsetMissesTheL1ItlbEveryTimeAndTheL2TlbOnce(@TempDir Path dir) {
        // Five code pages 16 pages apart share one set of the 16-set, 4-way L1 iTLB: cycling through five in LRU
        // order misses every time. In the 128-set L2 TLB they fall in five sets: after the first round, hits.
        VCpuStats c = run(trace(dir, 5, true), 5 * ROUNDS).interval().cpu();
        assertEquals(5L * ROUNDS, c.itlbLookups());
        assertEquals(5L * ROUNDS, c.l1ItlbMisses());
        assertEquals(5, c.itlbMisses());
        assertEquals(5, c.fetchWalks());
        // The data side: one page, one cold miss.
        assertEquals(1, c.tlbMisses());
        assertEquals(5L * ROUNDS, c.references());
    }

    @Test
    void codeThatFitsMissesOnlyColdly(@TempDir Path dir) {
        // Four pages fit the set's four ways.
        VCpuStats c = run(trace(dir, 4, true), 4 * ROUNDS).interval().cpu();
        assertEquals(4L * ROUNDS, c.itlbLookups());
        assertEquals(4, c.l1ItlbMisses());
        assertEquals(4, c.itlbMisses());
        assertEquals(4, c.fetchWalks());
    }

    @Test
    void withTheItlbOffInstructionPageChangesChangeNothing(@TempDir Path dir) {
        Map<String, Long> off = run(trace(dir, 5, true), 5 * ROUNDS, "itlb.enabled", "false").interval().counters();
        Map<String, Long> plain = run(trace(dir, 5, false), 5 * ROUNDS).interval().counters();
        assertEquals(plain, off);
        assertEquals(0, off.get("cpu.itlbLookups"));
        // And turned on, the misses cost the core: five walks it waited for at the front end.
        RunResult on = run(trace(dir, 5, true), 5 * ROUNDS);
        assertEquals(plain.get("walk.walks") + 5, on.walks());
    }
}
