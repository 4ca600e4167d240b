package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.CliRun;
import org.nestwalk.util.BuildInfo;

/**
 * Issue 17, a newcomer's path: rows stored by another build of nestwalk were reused silently ("reused 150" from an
 * older commit). Every row records its build; a run refuses to mix builds unless told to run the others' rows again
 * or to keep them.
 */
class StaleRowsTest {
    private static final String EXPERIMENT = """
            name: stale
            references: 6000
            warmup: 2000
            replications: 2
            modes: [nested, shadow]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 8MiB}}
            """;

    private static List<Path> rows(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out.resolve("runs"))) {
            return s.filter(f -> f.getFileName().toString().matches("r\\d+\\.json")).sorted().toList();
        }
    }

    @Test
    void rowsOfAnotherBuildAreRefusedRerunOrKeptAsTheUserChooses(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("stale.yaml");
        Files.writeString(file, EXPERIMENT);
        Path out = tmp.resolve("out");
        String dir = out.toString();
        assertEquals(0, CliRun.of("run", file.toString(), "--out", dir).code());
        List<Path> rows = rows(out);
        assertEquals(4, rows.size());
        String build = BuildInfo.build();
        assertTrue(Files.readString(rows.get(0)).contains("\"build\" : \"" + build + "\""), "rows record the build");

        // One row from an older build that recorded none, one from a build of other classes.
        Path old = rows.get(0);
        Files.writeString(old, Files.readString(old).replaceFirst("\"version\" : \"[^\"]*\"",
                "\"version\" : \"0.1.0-SNAPSHOT (065c0b4)\"").replaceFirst(",\\s*\"build\" : \"[^\"]*\"", ""));
        Path other = rows.get(3);
        Files.writeString(other, Files.readString(other).replace(build, "classes 000000000000"));

        CliRun refused = CliRun.of("run", file.toString(), "--out", dir);
        assertEquals("", refused.out());
        refused.assertOneLineError(dir + ": 2 stored rows were made by another build of nestwalk (1 by "
                + BuildInfo.version() + " (classes 000000000000), 1 by 0.1.0-SNAPSHOT (065c0b4) (build not "
                + "recorded)), not by this one (" + BuildInfo.version() + ", " + build + "), and may hold other "
                + "numbers; give --rerun-stale to run them again with this build, --reuse-stale to keep them, or "
                + "choose another --out");

        CliRun kept = CliRun.of("run", file.toString(), "--out", dir, "--reuse-stale");
        assertEquals(0, kept.code(), kept.err());
        assertTrue(kept.out().contains("ran 0 runs (0 failed), reused 4"), kept.out());
        assertTrue(kept.err().contains("2 stored rows were made by other builds of nestwalk than this one"),
                kept.err());
        assertTrue(Files.readString(out.resolve("README.md")).contains("more than one build"));

        CliRun merged = CliRun.of("merge", dir);
        assertEquals(0, merged.code(), merged.err());
        assertTrue(merged.err().contains("'nestwalk run --rerun-stale' runs them again"), merged.err());

        CliRun rerun = CliRun.of("run", file.toString(), "--out", dir, "--rerun-stale");
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.out().contains("ran 2 runs (0 failed), reused 2"), rerun.out());
        for (Path r : rows(out)) {
            assertTrue(Files.readString(r).contains("\"build\" : \"" + build + "\""), r.toString());
        }
        CliRun again = CliRun.of("run", file.toString(), "--out", dir);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("ran 0 runs (0 failed), reused 4"), again.out());
        assertTrue(!Files.readString(out.resolve("README.md")).contains("more than one build"));

        CliRun.of("run", "--rerun-stale").assertOneLineError("--rerun-stale needs an experiment file");
        CliRun.of("run", file.toString(), "--rerun-stale", "--reuse-stale").assertOneLineError("not both");
    }
}
