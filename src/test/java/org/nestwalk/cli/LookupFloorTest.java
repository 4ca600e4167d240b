package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup floor's loops read every data reference of a trace, the same way each time (their times are the host's). */
class LookupFloorTest {
    @Test
    void eachLoopReadsTheTracesReferencesAndDoesTheSameWorkEachTime(@TempDir Path dir) {
        Path trace = dir.resolve("t.trace");
        BenchTrace.writeSynthetic(trace, 30_000);
        LookupFloor floor = new LookupFloor();
        long[] sums = new long[LookupFloor.Level.values().length];
        for (LookupFloor.Level level : LookupFloor.Level.values()) {
            LookupFloor.Pass first = floor.pass(trace, level, Long.MAX_VALUE);
            LookupFloor.Pass again = floor.pass(trace, level, Long.MAX_VALUE);
            assertEquals(30_000, first.references(), level.label);
            assertEquals(first.checksum(), again.checksum(), level.label + " is deterministic");
            assertEquals(1_000, floor.pass(trace, level, 1_000).references(), level.label + " stops at its maximum");
            sums[level.ordinal()] = first.checksum();
        }
        // Each loop does different work on the references (addresses and gaps, frames, levels that served them).
        assertNotEquals(sums[0], sums[1]);
        assertNotEquals(sums[1], sums[2]);
    }

    @Test
    void aTraceThatCannotBeReadIsRefusedBeforeAnythingRuns(@TempDir Path dir) {
        CliRun r = CliRun.of("bench", "--scale", "0.001", "--repeat", "1", "--floor-trace",
                dir.resolve("missing.trace").toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("missing.trace: no such trace file"), r.err());
        assertTrue(r.out().isEmpty(), "nothing measured first: " + r.out());
    }

    @Test
    void benchPrintsTheFloorOfTheTracesItIsGiven(@TempDir Path dir) {
        Path trace = dir.resolve("given.trace");
        BenchTrace.writeSynthetic(trace, 20_000);
        CliRun r = CliRun.of("bench", "--scale", "0.001", "--repeat", "1", "--only", "floor", "--floor-trace",
                trace.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Lookup floor"), r.out());
        assertTrue(r.out().matches("(?s).*given\\.trace +20,000 +[0-9.]+ / [0-9.]+ +[0-9.]+ / [0-9.]+ +[0-9.]+ / "
                + "[0-9.]+.*"), r.out());
    }
}
