package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 17: command-line values a hostile user tried, each now refused or bounded in one line. */
class HostileValuesTest {
    /** Defect 6: --jobs 100000 was accepted, and --jobs 1000 ran 160 simulations at once. */
    @Test
    void jobsAreCappedByProcessorsAndHeapWithAMessage() {
        CliRun o = CliRun.of("run", "--workload", "zipf,stream", "--refs", "2000", "--warmup", "0",
                "--set", "workload.footprint=4MiB", "--jobs", "100000");
        assertEquals(0, o.code(), o.err());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(o.err().startsWith("nestwalk: --jobs 100000 is more than this machine can run at once; using "),
                o.err());
        Matcher m = Pattern.compile("on (\\d+) thread\\(s\\)").matcher(o.out());
        assertTrue(m.find(), o.out());
        int threads = Integer.parseInt(m.group(1));
        assertTrue(threads >= 1 && threads <= cores, threads + " threads on " + cores + " processors");
        CliRun.of("run", "--jobs", "0").assertOneLineError("--jobs must be at least 1, not 0");
    }
}
