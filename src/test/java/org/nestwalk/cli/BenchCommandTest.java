package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.trace.capture.ToolBuilder;

/** What bench prints (its numbers depend on the host; these tests check that each part is measured and named). */
class BenchCommandTest {
    @Test
    void printsTheCostOfAnEventAndOnlyTheSelectedCases() {
        CliRun r = CliRun.of("bench", "--scale", "0.001", "--repeat", "1", "--only", "events,gups");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gups nested"), r.out());
        assertFalse(r.out().contains("tlb-hits"), r.out());
        assertFalse(r.out().contains("Live heap"), r.out());
        for (String pending : new String[] {"    1 pending:", "   16 pending:", "1,000 pending:"}) {
            assertTrue(r.out().matches("(?s).*" + pending + " +[0-9.]+ ns/event.*"), pending + " in " + r.out());
        }
    }

    @Test
    void theRealTraceCaseReplaysACapturedProgramOrSaysWhyItCouldNot() {
        CliRun r = CliRun.of("bench", "--scale", "0.002", "--repeat", "1", "--only", "real");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("real trace native") && r.out().contains("real trace nested"), r.out());
        ToolBuilder tools = ToolBuilder.standard();
        boolean canCapture = System.getProperty("os.name").startsWith("Linux") && tools.find("gcc") != null
                && tools.find("valgrind") != null;
        if (canCapture) {
            assertTrue(r.out().contains("captured with nwtrace"), r.out());
            assertTrue(r.out().contains("10,000 references"), "scale 0.002 of 5 M: " + r.out());
        } else {
            assertTrue(r.out().contains("a synthetic trace") && r.out().contains("could not be captured"), r.out());
        }
    }
}
