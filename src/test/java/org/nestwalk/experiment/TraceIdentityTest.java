package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.config.Settings;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;
import org.nestwalk.walk.ModeKind;

/** A stored row of a trace workload is reused only for the trace it was made from. */
class TraceIdentityTest {
    private static void capture(Path file, int references) {
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("prog")))) {
            for (int i = 0; i < references; i++) {
                w.reference(1, 0x10_0000L + 64L * i, 8, false);
            }
            w.finish(0);
        }
    }

    private static RunRecord row(Configuration c) {
        return new RunRecord("x", c.id(), c.mode().label(), c.workload(), Map.of(), 0, 1, 100, 0, RunRecord.OK, null,
                0, "test", "test", Map.of(), c.recordedParameters());
    }

    @Test
    void aTraceCapturedAgainAtTheSamePathIsAnotherWorkload(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("prog.trace");
        capture(trace, 1000);
        Configuration c = new Configuration("nested-prog", ModeKind.NESTED, "prog", Map.of(),
                Settings.defaults().with("workload.trace", trace.toString(), "test"));
        RunRecord stored = row(c);
        assertTrue(stored.parameters().get(Configuration.TRACE_IDENTITY).contains("prog"));
        assertTrue(c.accepts(stored));

        capture(trace, 2000);
        assertFalse(c.accepts(stored), "the trace at the same path is not the one the row was made from");
        assertTrue(c.accepts(row(c)));

        // Without the trace (results merged elsewhere) nothing can tell: the rows are taken as they are.
        Files.delete(trace);
        assertTrue(c.accepts(stored));
    }

    @Test
    void aVmsOwnTraceCapturedAgainIsAnotherWorkloadToo(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("neighbour.trace");
        capture(trace, 1000);
        Configuration c = new Configuration("nested-zipf", ModeKind.NESTED, "zipf", Map.of(), Settings.defaults()
                .with("machine.vms", "2", "test").with("machine.vmWorkloads", "-,trace:" + trace, "test"));
        RunRecord stored = row(c);
        assertTrue(stored.parameters().get(Configuration.TRACE_IDENTITY + ".vm1").contains("prog"));
        assertFalse(stored.parameters().containsKey(Configuration.TRACE_IDENTITY), "VM 0 runs no trace");
        assertTrue(c.accepts(stored));

        capture(trace, 2000);
        assertFalse(c.accepts(stored), "VM 1's trace at the same path is not the one the row was made from");
        assertTrue(c.accepts(row(c)));
    }
}
