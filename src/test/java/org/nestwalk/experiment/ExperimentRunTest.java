package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.experiment.Analysis.Versus;
import org.nestwalk.report.Json;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;

/** Running experiments: rows are stored once, reused, paired by replication, and summarized. */
class ExperimentRunTest {
    static final String SMALL = """
            name: small
            references: 30000
            warmup: 10000
            replications: 4
            modes: [nested, flat-nested]
            workloads:
              - {name: gups, preset: gups, set: {workload.footprint: 64MiB}}
            """;

    static final ExperimentRunner.Listener QUIET = new ExperimentRunner.Listener() {
        @Override
        public void progress(int done, int total, int failed, long elapsedNanos) {
        }

        @Override
        public void message(String text) {
        }
    };

    static ExperimentRunner.Outcome run(String text, Path dir) {
        Manifest m = Manifest.expand(ExperimentFile.parse(text, "small.yaml", "small", false));
        return new ExperimentRunner(m, new RowStore(dir), 2, QUIET).run();
    }

    @Test
    void rerunningRunsNothingAndMoreReplicationsReuseTheOldOnes(@TempDir Path dir) {
        ExperimentRunner.Outcome first = run(SMALL, dir);
        assertEquals(8, first.ran());
        assertEquals(0, first.failed());
        assertEquals(0, first.reused());
        List<Path> files = rowFiles(dir);
        assertEquals(8, files.size());
        long[] stamps = files.stream().mapToLong(ExperimentRunTest::modified).toArray();

        ExperimentRunner.Outcome again = run(SMALL, dir);
        assertEquals(0, again.ran());
        assertEquals(8, again.reused());
        assertTrue(java.util.Arrays.equals(stamps, files.stream().mapToLong(ExperimentRunTest::modified).toArray()),
                "no stored row is rewritten");

        ExperimentRunner.Outcome more = run(SMALL.replace("replications: 4", "replications: 6"), dir);
        assertEquals(4, more.ran());
        assertEquals(8, more.reused());
    }

    @Test
    void aRowMadeWithAnotherDefaultIsRunAgainButANewParameterAtItsDefaultIsNot(@TempDir Path dir) throws Exception {
        run(SMALL, dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(SMALL, "small.yaml", "small", false));
        Configuration c = m.configurations().get(0);
        RowStore store = new RowStore(dir);
        RunRecord r0 = store.read(c.id(), 0).orElseThrow();
        // As if the row predated a parameter: it is still this configuration's run.
        java.util.Map<String, String> older = new java.util.LinkedHashMap<>(r0.parameters());
        older.remove("workload.trace");
        store.write(withParameters(r0, older));
        // As if a default had changed since the row was made: it is not.
        RunRecord r1 = store.read(c.id(), 1).orElseThrow();
        java.util.Map<String, String> changed = new java.util.LinkedHashMap<>(r1.parameters());
        changed.put("tlb.l2.entries", "256");
        store.write(withParameters(r1, changed));
        ExperimentRunner.Outcome o = run(SMALL, dir);
        assertEquals(1, o.ran(), "only the row made with another value runs again");
        assertTrue(c.accepts(store.read(c.id(), 1).orElseThrow()));
    }

    private static RunRecord withParameters(RunRecord r, java.util.Map<String, String> parameters) {
        return new RunRecord(r.experiment(), r.configuration(), r.mode(), r.workload(), r.factors(), r.replication(),
                r.seed(), r.references(), r.warmup(), r.status(), r.error(), r.wallSeconds(), r.version(),
                r.build(), r.metrics(), parameters);
    }

    @Test
    void theSameRowGivesTheSameNumbers(@TempDir Path a, @TempDir Path b) {
        run(SMALL.replace("replications: 4", "replications: 2"), a);
        run(SMALL.replace("replications: 4", "replications: 2"), b);
        Manifest m = Manifest.expand(ExperimentFile.parse(SMALL, "small.yaml", "small", false));
        for (Configuration c : m.configurations()) {
            for (int r = 0; r < 2; r++) {
                assertEquals(new RowStore(a).read(c.id(), r).orElseThrow().metrics(),
                        new RowStore(b).read(c.id(), r).orElseThrow().metrics());
            }
        }
    }

    @Test
    void commonRandomNumbersMakeThePairedIntervalNarrower(@TempDir Path dir) {
        String text = SMALL.replace("replications: 4", "replications: 8");
        run(text, dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(text, "small.yaml", "small", false));
        Analysis a = Analysis.of(m, new RowStore(dir));
        assertEquals(1, a.comparisons().size());
        Versus v = a.comparisons().get(0);
        assertEquals(8, v.difference().n());
        assertEquals(v.unpairedDifference().mean(), v.difference().mean(), 1e-6 * Math.abs(v.difference().mean()));
        assertTrue(v.difference().halfWidth() < v.unpairedDifference().halfWidth(),
                "paired " + v.difference() + " vs unpaired " + v.unpairedDifference());
        // Replications differ: without spread across replications there would be nothing to pair.
        assertTrue(a.configurations().get(0).metrics().get("cycles").sd() > 0);
    }

    @Test
    void outputsCoverEveryRunAndParse(@TempDir Path dir) throws Exception {
        run(SMALL, dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(SMALL, "small.yaml", "small", false));
        ResultsDirectory results = new ResultsDirectory(dir);
        List<Path> written = results.publish(m).files();
        assertTrue(written.contains(dir.resolve("README.md")));
        List<String> runs = Files.readAllLines(dir.resolve("runs.csv"));
        assertEquals(9, runs.size(), "a header and one line per run");
        assertTrue(runs.get(0).startsWith("experiment,configuration,mode,workload,replication,seed"));
        assertTrue(runs.get(0).contains(",cycles,") && runs.get(0).contains(",tlb.l2.entries,"));
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(2, summary.get("configurations").size());
        JsonNode cycles = summary.get("configurations").get(0).get("metrics").get("cycles");
        assertEquals(4, cycles.get("n").asInt());
        assertTrue(cycles.get("ciLow").asDouble() < cycles.get("mean").asDouble());
        assertEquals(1, summary.get("comparisons").size());
        assertEquals(1, summary.get("overall").size());
        List<String> manifest = Files.readAllLines(dir.resolve("manifest.csv"));
        assertEquals(9, manifest.size(), "a header and one line per configuration and replication");
        assertTrue(manifest.get(0).endsWith("replication,seed,dsolSeed,status"), manifest.get(0));
        assertTrue(manifest.stream().skip(1).allMatch(l -> l.endsWith(",ok")), manifest.toString());
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("## Speedup over nested"), readme);
        // Tidy (issue 17): metric, comparison and baseline in columns of their own, NA as an empty cell, and the
        // aggregates in a file of their own.
        List<String> summaryCsv = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals("configuration,mode,workload,variation,metric,comparison,baseline,baselineConfiguration,n,mean,"
                + "sd,ciLow,ciHigh", summaryCsv.get(0));
        String flat = m.configurations().get(1).id();
        String nested = m.configurations().get(0).id();
        assertEquals(1, summaryCsv.stream().filter(l -> l.startsWith(flat + ",flat-nested,gups,streams; regions,"
                + "cycles,speedup,nested," + nested + ",4,")).count(), summaryCsv.toString());
        assertTrue(summaryCsv.contains(nested + ",nested,gups,streams; regions,isptHitRate,,,,0,,,,"),
                "a metric nested paging lacks is NA, n = 0: " + summaryCsv);
        assertTrue(summaryCsv.stream().noneMatch(l -> l.contains("geometric")), "aggregates are apart");
        List<String> overall = Files.readAllLines(dir.resolve("summary-overall.csv"));
        assertEquals(2, overall.size(), overall.toString());
        assertTrue(overall.get(1).startsWith("flat-nested,streams; regions,cycles,speedup,nested,geometric mean over "
                + "workloads,1,4,"), overall.get(1));
        int ispt = List.of(runs.get(0).split(",")).indexOf("isptHitRate");
        assertTrue(ispt > 0);
        for (String line : runs.subList(1, runs.size())) {
            assertEquals("", line.split(",", -1)[ispt], "NA in runs.csv: " + line);
        }
    }

    @Test
    void adaptiveReplicationsStopWhenTheIntervalIsNarrowEnough(@TempDir Path dir) {
        String text = SMALL.replace("replications: 4",
                "replications: {min: 2, max: 12, until: {metric: cycles, halfWidth: 0.5%}}");
        ExperimentRunner.Outcome o = run(text, dir);
        Manifest m = Manifest.expand(ExperimentFile.parse(text, "small.yaml", "small", false));
        Analysis a = Analysis.of(m, new RowStore(dir));
        for (Analysis.ConfigurationSummary s : a.configurations()) {
            var est = s.metrics().get("cycles");
            assertTrue(est.relativeHalfWidth() <= 0.005 || s.n() == 12,
                    s.configuration().id() + ": n = " + s.n() + ", " + est);
            assertTrue(s.n() >= 2);
        }
        assertTrue(o.ran() > 4, "the 0.5 % target needs more than the first two replications: ran " + o.ran());
    }

    @Test
    void mserWarmupIsChosenOnceFromAPilot(@TempDir Path dir) {
        String text = SMALL.replace("warmup: 10000", "warmup: {mser5: {pilot: 300000}}")
                .replace("references: 30000", "references: 60000").replace("replications: 4", "replications: 2");
        ExperimentRunner.Outcome o = run(text, dir);
        assertEquals(2, o.pilots());
        Manifest m = Manifest.expand(ExperimentFile.parse(text, "small.yaml", "small", false));
        for (Configuration c : m.configurations()) {
            Pilot p = new RowStore(dir).readPilot(c.id()).orElseThrow();
            assertTrue(p.warmupReferences() % 4096 == 0 && p.warmupReferences() <= 30000, p.toString());
            assertEquals(p.warmupReferences(), new RowStore(dir).read(c.id(), 0).orElseThrow().warmup());
        }
        assertEquals(0, run(text, dir).pilots(), "pilots are stored and reused");
    }

    @Test
    void aSampledExperimentStoresEstimatesAndNeverMixesThemWithDetailedRows(@TempDir Path dir) {
        String sampled = """
                references: 400000
                warmup: 50000
                replications: 2
                modes: [native, nested]
                workloads: [{name: z, preset: zipf, set: {workload.footprint: 16MiB}}]
                sample: {unit: 4000, warmup: 1000, period: 50000}
                """;
        Manifest m = Manifest.expand(ExperimentFile.parse(sampled, "s.yaml", "s", false));
        ExperimentRunner.Outcome o = new ExperimentRunner(m, new RowStore(dir), 2, QUIET).run();
        assertEquals(4, o.ran());
        assertEquals(0, o.failed());
        Analysis a = Analysis.of(m, new RowStore(dir));
        for (Analysis.ConfigurationSummary c : a.configurations()) {
            for (RunRecord r : c.runs().values()) {
                // Units start at 50,000 + k x 50,000 and take 5,000: k = 0..6 fit in 400,000.
                assertEquals(7, r.metric("sampledUnits"));
                assertEquals(350_000, r.metric("measuredReferences"));
                assertTrue(r.metric("cpiRelativeHalfWidth") > 0);
                assertEquals(r.metric("cycles"), r.metric("instructions") / r.metric("ipc"),
                        1e-6 * r.metric("cycles"), "cycles per instruction times the exact instructions");
            }
        }
        assertEquals(1, a.comparisons().size());
        // The same experiment without sampling is another set of configurations.
        Manifest detailed = Manifest.expand(ExperimentFile.parse(sampled.replace("sample: {unit: 4000, warmup: 1000,"
                + " period: 50000}\n", ""), "s.yaml", "s", false));
        assertTrue(detailed.configurations().stream().noneMatch(c -> m.configurations().stream()
                .anyMatch(x -> x.id().equals(c.id()))));
    }

    @Test
    void aTraceIsAWorkloadLikeAnyOther(@TempDir Path dir) throws Exception {
        Path traces = Files.createDirectories(dir.resolve("traces"));
        try (TraceWriter w = TraceWriter.create(traces.resolve("walk.trace"), TraceHeader.of("test", List.of("w")))) {
            for (int i = 0; i < 40_000; i++) {
                w.reference(2, 0x4000_0000L + (long) (i * 7919 % 8192) * 4096, 8, i % 3 == 0);
            }
            w.finish(0);
        }
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                references: 30000
                warmup: 10000
                replications: 2
                modes: [nested, flat-nested]
                workloads:
                  - {trace: traces/walk.trace}
                """);
        Experiment e = ExperimentFile.read(file, false);
        assertEquals("walk", e.workloads().get(0).name());
        Manifest m = Manifest.expand(e);
        assertEquals(traces.resolve("walk.trace").toString(),
                m.configurations().get(0).settings().choice("workload.trace"));
        ExperimentRunner.Outcome o = new ExperimentRunner(m, new RowStore(dir.resolve("out")), 2, QUIET).run();
        assertEquals(4, o.ran());
        assertEquals(0, o.failed());
        Analysis a = Analysis.of(m, new RowStore(dir.resolve("out")));
        // 8192 distinct pages touched without prefaulting: each faults in once, before or during warm-up.
        assertTrue(a.configurations().get(0).metrics().get("walks").mean() > 0);
        assertEquals(1, a.comparisons().size());
    }

    private static List<Path> rowFiles(Path dir) {
        try (var s = Files.walk(dir.resolve("runs"))) {
            return new ArrayList<>(s.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
