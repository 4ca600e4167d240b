package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.CliRun;
import org.nestwalk.random.RandomStream;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.stats.Estimate;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/**
 * Issue 17, replications of traces: a trace replayed natively repeated bit for bit (sd 0, intervals of zero width).
 * With {@code memory.placement: shuffled} each replication places the 4 KiB frames differently, so replications
 * differ; summary.csv names what varies, and an interval of zero width is a warning, not a silent certainty.
 */
class TraceReplicationsTest {
    /** Random 8-byte loads and stores over 16 MiB (beyond the LLC), with a gap of 3 instructions each. */
    private static Path trace(Path file, int references) {
        RandomStream r = new RandomStreams(7, 0).stream("test");
        long base = 0x7f00_0000_0000L;
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("test", List.of("random")))) {
            for (int i = 0; i < references; i++) {
                w.reference(3, base + (r.nextLong() >>> 40 & ((16 << 20) - 8) & ~7L), 8, (i & 3) == 0);
            }
            w.finish(0);
        }
        return file;
    }

    private static String experiment(String placement) {
        return """
                name: replayed
                references: 40000
                warmup: 10000
                replications: 3
                modes: [native]
                workloads:
                  - {trace: random.trace, set: {memory.placement: %s}}
                """.formatted(placement);
    }

    private static Estimate cycles(Path out) {
        Manifest m = Manifest.expand(new ResultsDirectory(out).load());
        return Analysis.of(m, new RowStore(out)).configurations().get(0).metrics().get("cycles");
    }

    @Test
    void shuffledFramesMakeReplicationsOfATraceDifferAndSummaryCsvSaysWhatVaried(@TempDir Path dir)
            throws Exception {
        trace(dir.resolve("random.trace"), 50_000);
        Path file = dir.resolve("replayed.yaml");

        Files.writeString(file, experiment("scattered"));
        Path same = dir.resolve("scattered");
        CliRun a = CliRun.of("run", file.toString(), "--out", same.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(cycles(same).zeroWidth(), "2 MiB regions move no cache or bank index: " + cycles(same));
        assertTrue(a.err().contains("nestwalk: warning: the replications of 1 configuration (native on random) gave "
                + "identical runtimes: their intervals have zero width"), a.err());
        assertTrue(Files.readString(same.resolve("summary.csv")).contains(",native,random,regions,cycles,,"));
        assertTrue(Files.readString(same.resolve("README.md")).contains("## Intervals of zero width"));

        Files.writeString(file, experiment("shuffled"));
        Path varied = dir.resolve("shuffled");
        CliRun b = CliRun.of("run", file.toString(), "--out", varied.toString());
        assertEquals(0, b.code(), b.err());
        Estimate e = cycles(varied);
        assertEquals(3, e.n());
        assertTrue(e.sd() > 0, "shuffled 4 KiB frames vary the replications: " + e);
        assertTrue(!b.err().contains("zero width"), b.err());
        assertTrue(Files.readString(varied.resolve("summary.csv")).contains(",native,random,regions and frames,"
                + "cycles,,"));
        assertTrue(!Files.readString(varied.resolve("README.md")).contains("## Intervals of zero width"));
    }
}
