package org.nestwalk.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.nestwalk.config.Parameters;
import org.nestwalk.experiment.Analysis.ConfigurationSummary;
import org.nestwalk.experiment.Analysis.Overall;
import org.nestwalk.experiment.Analysis.Versus;
import org.nestwalk.experiment.Experiment.Factor;
import org.nestwalk.random.RandomStreams;
import org.nestwalk.report.Csv;
import org.nestwalk.report.Json;
import org.nestwalk.report.Metrics;
import org.nestwalk.stats.Estimate;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.util.BuildInfo;
import org.nestwalk.walk.ModeKind;

/**
 * Writes an experiment's outputs from its stored rows: {@code manifest.csv} (every row with its seeds),
 * {@code runs.csv} (tidy: one line per run, every parameter and metric), {@code summary.csv} (tidy: one line per
 * configuration, metric and comparison: the mean, sd, n and 95 % interval, and the paired comparisons with the
 * baseline), {@code summary-overall.csv} (the geometric means over the workloads), {@code summary.json} (all of it
 * nested) and {@code README.md}, which documents every column. In the CSV files a value that does not exist (a
 * metric a mode lacks, an interval of one replication) is an empty cell, sizes are numbers of bytes, and every
 * number is a plain number. Every file is written atomically; a hand-written {@code NOTES.md} in the directory is
 * kept and included in the README.
 */
public final class ResultsWriter {
    private final Analysis analysis;
    private final Path dir;
    private final RowStore store;

    public ResultsWriter(Analysis analysis, Path dir, RowStore store) {
        this.analysis = analysis;
        this.dir = dir;
        this.store = store;
    }

    /** Writes every output and returns the files written. */
    public List<Path> writeAll(List<Path> plots) {
        List<Path> out = new ArrayList<>();
        out.add(write("manifest.csv", manifestCsv()));
        out.add(write("runs.csv", runsCsv()));
        out.add(write("summary.csv", summaryCsv()));
        out.add(write("summary-overall.csv", overallCsv()));
        out.add(write("summary.json", summaryJson()));
        out.add(write("README.md", readme(plots)));
        return out;
    }

    private Path write(String name, String text) {
        Path f = dir.resolve(name);
        AtomicFiles.write(f, text);
        return f;
    }

    private Experiment experiment() {
        return analysis.manifest().experiment();
    }

    private List<String> factorKeys() {
        return experiment().factors().stream().map(Factor::key).toList();
    }

    /**
     * A factor's value as a number where it is one: sizes in bytes ("32KiB" is 32768), whole and real numbers as
     * such, a choice as {@code nestwalk params} spells it; so that a column can be sorted and plotted as it is.
     */
    static Object factorValue(String key, String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Parameters.get(key, "factor").parse(raw, "factor");
        } catch (RuntimeException e) {
            return raw;
        }
    }

    /**
     * Every row of the experiment: the replications its rule asks for (or more, when stored), each with its seeds
     * and whether its result is stored. Every random stream of a row derives from the experiment seed, the
     * replication and the stream's name; the DSOL seed is given as an example of such a derived seed.
     */
    String manifestCsv() {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("row", "configuration", "mode", "workload"));
        header.addAll(factorKeys());
        header.addAll(List.of("replication", "seed", "dsolSeed", "status"));
        csv.row(header);
        for (Configuration c : analysis.manifest().configurations()) {
            Map<Integer, String> status = new TreeMap<>();
            for (int r = 0; r < experiment().replications().min(); r++) {
                status.put(r, "missing");
            }
            Predicate<RunRecord> accepted = c.acceptor();
            store.rows(c.id()).forEach(r -> status.put(r.replication(), accepted.test(r) ? r.status() : "stale"));
            for (var e : status.entrySet()) {
                int r = e.getKey();
                List<Object> line = new ArrayList<>(List.of(new Manifest.Row(c, r).label(), c.id(),
                        c.mode().label(), c.workload()));
                factorKeys().forEach(k -> line.add(c.factors().get(k)));
                line.addAll(List.of(r, experiment().seed(),
                        new RandomStreams(experiment().seed(), r).seedOf("dsol"), e.getValue()));
                csv.row(line);
            }
        }
        return csv.text();
    }

    String runsCsv() {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("experiment", "configuration", "mode", "workload"));
        header.addAll(factorKeys());
        header.addAll(List.of("replication", "seed", "references", "warmup", "status", "error", "wallSeconds",
                "version", "build"));
        header.addAll(Metrics.names());
        header.addAll(Parameters.keys());
        csv.row(header);
        for (RunRecord r : rowsInOrder()) {
            List<Object> line = new ArrayList<>(List.of(r.experiment(), r.configuration(), r.mode(), r.workload()));
            factorKeys().forEach(k -> line.add(factorValue(k, r.factors().get(k))));
            line.addAll(List.of(r.replication(), r.seed(), r.references(), r.warmup(), r.status(),
                    r.error() == null ? "" : r.error(), r.wallSeconds(), r.version(), r.build() == null ? ""
                            : r.build()));
            Metrics.names().forEach(m -> line.add(r.reported(m)));
            Parameters.keys().forEach(k -> line.add(r.parameters() == null ? "" : factorValue(k,
                    r.parameters().get(k))));
            csv.row(line);
        }
        return csv.text();
    }

    /** Every row the analysis counted, failed ones included: configurations in manifest order, then replications. */
    private List<RunRecord> rowsInOrder() {
        List<RunRecord> rows = new ArrayList<>();
        for (ConfigurationSummary s : analysis.configurations()) {
            Map<Integer, RunRecord> all = new TreeMap<>(s.runs());
            all.putAll(s.failures());
            rows.addAll(all.values());
        }
        return rows;
    }

    /** The comparisons with the baseline, as {@code summary.csv}'s {@code comparison} column names them. */
    static final String SPEEDUP = "speedup";
    static final String RATIO = "ratio";
    static final String DIFFERENCE = "difference";
    static final String UNPAIRED_DIFFERENCE = "unpaired-difference";

    /**
     * One line per configuration and metric (comparison empty), and per configuration and comparison with its
     * baseline (metric {@code cycles}): tidy, so that a data-frame library reads it as it is.
     */
    String summaryCsv() {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("configuration", "mode", "workload"));
        header.addAll(factorKeys());
        header.addAll(List.of("variation", "metric", "comparison", "baseline", "baselineConfiguration", "n", "mean",
                "sd", "ciLow", "ciHigh"));
        csv.row(header);
        for (ConfigurationSummary s : analysis.configurations()) {
            for (var m : s.metrics().entrySet()) {
                csv.row(estimateLine(s.configuration(), m.getKey(), "", null, m.getValue()));
            }
        }
        for (Versus v : analysis.comparisons()) {
            Configuration c = v.configuration();
            csv.row(estimateLine(c, Analysis.RUNTIME, SPEEDUP, v.baseline(), v.speedup()));
            csv.row(estimateLine(c, Analysis.RUNTIME, RATIO, v.baseline(), v.normalizedRuntime()));
            csv.row(estimateLine(c, Analysis.RUNTIME, DIFFERENCE, v.baseline(), v.difference()));
            csv.row(estimateLine(c, Analysis.RUNTIME, UNPAIRED_DIFFERENCE, v.baseline(), v.unpairedDifference()));
        }
        return csv.text();
    }

    private List<Object> estimateLine(Configuration c, String metric, String comparison, Configuration baseline,
                                      Estimate e) {
        List<Object> line = new ArrayList<>(List.of(c.id(), c.mode().label(), c.workload()));
        factorKeys().forEach(k -> line.add(factorValue(k, c.factors().get(k))));
        line.addAll(List.of(c.variation(), metric, comparison, baseline == null ? "" : baseline.mode().label(),
                baseline == null ? "" : baseline.id()));
        line.addAll(estimateCells(e));
        return line;
    }

    /** n, mean, sd and the interval; empty cells for what is not defined (no run, one run). */
    private static List<Object> estimateCells(Estimate e) {
        return java.util.Arrays.asList(e.n(), e.mean(), e.sd(), e.low(), e.high());
    }

    /**
     * The aggregates, apart from the configurations: per mode and factor values, the geometric mean over the
     * workloads of the per-replication speedup over the baseline.
     */
    String overallCsv() {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("mode"));
        header.addAll(factorKeys());
        header.addAll(List.of("variation", "metric", "comparison", "baseline", "aggregate", "workloads", "n", "mean",
                "sd", "ciLow", "ciHigh"));
        csv.row(header);
        for (Overall o : analysis.overall()) {
            List<Object> line = new ArrayList<>(List.of(o.mode().label()));
            factorKeys().forEach(k -> line.add(factorValue(k, o.factors().get(k))));
            Set<String> variations = new TreeSet<>();
            for (Configuration c : analysis.manifest().configurations()) {
                if (c.mode() == o.mode() && c.factors().equals(o.factors())) {
                    variations.add(c.variation());
                }
            }
            line.addAll(List.of(String.join(" / ", variations), Analysis.RUNTIME, SPEEDUP,
                    experiment().baseline().label(), "geometric mean over workloads", o.workloads()));
            line.addAll(estimateCells(o.speedup()));
            csv.row(line);
        }
        return csv.text();
    }

    String summaryJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Experiment e = experiment();
        doc.put("experiment", e.name());
        doc.put("description", e.description());
        doc.put("quick", e.quick());
        doc.put("version", BuildInfo.version());
        doc.put("seed", e.seed());
        doc.put("references", e.references());
        doc.put("warmup", e.warmup().rule());
        doc.put("baseline", e.baseline().label());
        doc.put("confidence", Estimate.CONFIDENCE);
        List<Object> configs = new ArrayList<>();
        for (ConfigurationSummary s : analysis.configurations()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", s.configuration().id());
            c.put("mode", s.configuration().mode().label());
            c.put("workload", s.configuration().workload());
            c.put("factors", s.configuration().factors());
            c.put("variation", s.configuration().variation());
            c.put("n", s.n());
            c.put("failed", s.failed());
            Map<String, Object> metrics = new LinkedHashMap<>();
            s.metrics().forEach((k, v) -> metrics.put(k, estimate(v)));
            c.put("metrics", metrics);
            configs.add(c);
        }
        doc.put("configurations", configs);
        List<Object> comparisons = new ArrayList<>();
        for (Versus v : analysis.comparisons()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("configuration", v.configuration().id());
            c.put("mode", v.configuration().mode().label());
            c.put("workload", v.configuration().workload());
            c.put("factors", v.configuration().factors());
            c.put("baseline", v.baseline().id());
            c.put("speedup", estimate(v.speedup()));
            c.put("normalizedRuntime", estimate(v.normalizedRuntime()));
            c.put("cyclesDifference", estimate(v.difference()));
            c.put("cyclesDifferenceUnpaired", estimate(v.unpairedDifference()));
            comparisons.add(c);
        }
        doc.put("comparisons", comparisons);
        List<Object> overall = new ArrayList<>();
        for (Overall o : analysis.overall()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("mode", o.mode().label());
            c.put("factors", o.factors());
            c.put("workloads", o.workloads());
            c.put("geometricMeanSpeedup", estimate(o.speedup()));
            if (e.paper() != null && e.paper().speedup().containsKey(o.mode())) {
                c.put("paperSpeedup", e.paper().speedup().get(o.mode()));
            }
            overall.add(c);
        }
        doc.put("overall", overall);
        if (e.paper() != null) {
            doc.put("paper", Map.of("source", e.paper().source(), "note", e.paper().note()));
        }
        try {
            return Json.mapper().writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private static Map<String, Object> estimate(Estimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", e.n());
        m.put("mean", e.mean());
        m.put("sd", e.sd());
        m.put("ciLow", e.low());
        m.put("ciHigh", e.high());
        return m;
    }

    String readme(List<Path> plots) {
        Experiment e = experiment();
        StringBuilder b = new StringBuilder();
        b.append("# ").append(e.name()).append(e.quick() ? " (quick variant)" : "").append("\n\n");
        if (!e.description().isEmpty()) {
            b.append(e.description().strip()).append("\n\n");
        }
        b.append("Generated by nestwalk ").append(BuildInfo.version()).append(" from `").append(e.file())
                .append("`").append(e.quick() ? " with `--quick`" : "").append(" on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(". Regenerate with `java -jar ")
                .append("target/nestwalk.jar run ").append(e.file()).append(e.quick() ? " --quick" : "")
                .append("` (finished runs are reused) or `java -jar target/nestwalk.jar merge <this directory>`."
                        + "\n\n");
        b.append("## What ran\n\n");
        int runs = 0;
        int failed = 0;
        double wall = 0;
        for (ConfigurationSummary s : analysis.configurations()) {
            runs += s.n();
            failed += s.failed();
            for (RunRecord r : s.runs().values()) {
                wall += r.wallSeconds();
            }
        }
        b.append("- Modes: ").append(String.join(", ", e.modes().stream().map(ModeKind::label).toList()))
                .append("; baseline **").append(e.baseline().label()).append("**.\n");
        b.append("- Workloads: ").append(String.join(", ", e.workloads().stream()
                .map(w -> w.preset() == null ? w.name() + " (trace " + w.settings().get("workload.trace").value()
                        + ")" : w.name().equals(w.preset()) ? w.name() : w.name() + " (preset " + w.preset() + ")")
                .toList())).append(".\n");
        for (Factor f : e.factors()) {
            b.append("- Factor `").append(f.key()).append("`: ").append(String.join(", ", f.values())).append(".\n");
        }
        e.machine().forEach((k, v) -> b.append("- Machine: `").append(k).append(" = ").append(v.value())
                .append("`.\n"));
        b.append("- ").append(analysis.configurations().size()).append(" configurations, ").append(runs)
                .append(" successful runs").append(failed > 0 ? ", **" + failed + " failed**" : "")
                .append("; replications: ").append(replicationText(e)).append(".\n");
        b.append("- Each run: ").append(String.format(Locale.ROOT, "%,d", e.references()))
                .append(" references, warm-up ").append(warmupText(e)).append(".\n");
        b.append("- Seed ").append(e.seed()).append("; replication r of every configuration uses the random streams")
                .append(" of (seed, r) — common random numbers — so comparisons with the baseline are paired by")
                .append(" replication.\n");
        Set<String> variations = new TreeSet<>();
        analysis.manifest().configurations().forEach(c -> variations.add(c.variation()));
        b.append("- What differs between replications (`variation`): ").append(String.join(", ", variations))
                .append(" (see Files below).\n");
        Set<String> versions = new TreeSet<>();
        analysis.configurations().forEach(s -> s.runs().values().forEach(r -> versions.add(r.version() + " ("
                + (r.build() == null ? "build not recorded" : r.build()) + ")")));
        b.append("- Runs made by nestwalk ").append(String.join(", ", versions)).append(versions.size() > 1
                ? " — **more than one build**: rows of other builds may differ from this one's" : "").append(".\n");
        b.append(String.format(Locale.ROOT, "- Simulation time: %.0f s summed over the runs.%n%n", wall));
        zeroWidthNote(b);
        speedupTable(b);
        metricTable(b);
        if (!plots.isEmpty()) {
            b.append("## Plots\n\n");
            for (Path p : plots) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.endsWith(".png")) {
                    b.append("![").append(p.getFileName()).append("](").append(rel).append(")\n\n");
                }
            }
        }
        Path notes = dir.resolve("NOTES.md");
        if (Files.exists(notes)) {
            try {
                b.append("## Discussion\n\n").append(Files.readString(notes).strip()).append("\n");
            } catch (java.io.IOException x) {
                b.append("(NOTES.md could not be read: ").append(x.getMessage()).append(")\n");
            }
        }
        b.append('\n');
        files(b);
        return b.toString();
    }

    /** Says which configurations' runtime intervals have zero width, and what that means. */
    private void zeroWidthNote(StringBuilder b) {
        List<String> zero = zeroWidth(analysis);
        if (zero.isEmpty()) {
            return;
        }
        b.append("## Intervals of zero width\n\n").append("The replications of ").append(zero.size())
                .append(zero.size() == 1 ? " configuration" : " configurations").append(" gave identical runtimes (")
                .append(String.join(", ", zero.subList(0, Math.min(5, zero.size()))))
                .append(zero.size() > 5 ? ", ..." : "").append("), so their 95 % intervals have zero width: that")
                .append(" measures how little the replications differ (their `variation`), not a certainty about")
                .append(" the machine. A replayed trace differs between replications only by the placement of")
                .append(" its frames; `memory.placement: shuffled` varies every cache and DRAM index bit")
                .append(" (experiments/README.md, \"Replications of traces\").\n\n");
    }

    /**
     * The configurations (mode on workload, with factors) whose runtime interval has zero width: two or more
     * replications, all alike.
     */
    public static List<String> zeroWidth(Analysis a) {
        List<String> out = new ArrayList<>();
        for (ConfigurationSummary s : a.configurations()) {
            Estimate est = s.metrics().get(Analysis.RUNTIME);
            if (est != null && est.zeroWidth()) {
                Configuration c = s.configuration();
                out.add(c.mode().label() + " on " + c.workload() + (c.factors().isEmpty() ? ""
                        : " (" + c.factorText() + ")"));
            }
        }
        return out;
    }

    /** What each output file holds, column by column. */
    private void files(StringBuilder b) {
        b.append("## Files\n\n");
        b.append("In the CSV files an empty cell is NA: a metric the run's mode lacks (native has no NTLB, shadow")
                .append(" paging no ISPT) or a value that is not defined (the sd of one replication). Sizes are")
                .append(" numbers of bytes; `nestwalk params` describes every parameter and metric.\n\n");
        b.append("- `runs.csv`: one line per run, failed ones included. `experiment`, `configuration` (its id: mode,")
                .append(" workload and a hash of every parameter off its default), `mode`, `workload`, one column per")
                .append(" factor, `replication`, `seed`, `references` (simulated, warm-up included), `warmup`")
                .append(" (references left out of every figure), `status` (ok or failed), `error`, `wallSeconds`,")
                .append(" `version` and `build` (the nestwalk that made the run), then every metric of the measured")
                .append(" interval (`measuredReferences` is its length) and every parameter.\n");
        b.append("- `summary.csv`: one line per configuration and metric, and per configuration and comparison with")
                .append(" the baseline. `configuration`, `mode`, `workload`, one column per factor, `variation`")
                .append(" (what differs between the replications: `streams`, the synthetic workload's random streams;")
                .append(" `regions`, the order of 2 MiB regions of physical memory, which moves no cache or DRAM")
                .append(" index bit below 2 MiB; `frames`, the order of the 4 KiB frames within them; `none`: the")
                .append(" replications are identical), `metric`, `comparison` (empty: the metric's mean over the")
                .append(" replications; `speedup`: baseline cycles / cycles; `ratio`: cycles / baseline cycles;")
                .append(" `difference`: cycles - baseline cycles; each per replication, paired by common random")
                .append(" numbers; `unpaired-difference`: the difference by Welch's interval, ignoring the pairing),")
                .append(" `baseline` (the baseline's mode) and `baselineConfiguration`, then `n`, `mean`, `sd`,")
                .append(" `ciLow` and `ciHigh` (the 95 % Student-t interval). n = 0: no run has the metric.\n");
        b.append("- `summary-overall.csv`: per mode and factor values, the geometric mean over the workloads")
                .append(" (`workloads` of them) of the per-replication speedup over the baseline, with its interval;")
                .append(" the same columns otherwise.\n");
        b.append("- `summary.json`: the same, nested; `manifest.csv`: every row the experiment needs, with its seeds")
                .append(" and status; `runs/`: one JSON file per run, the source of everything else; `plots/`: the")
                .append(" figures above.\n");
    }

    private static String replicationText(Experiment e) {
        var r = e.replications();
        return r.adaptive() ? String.format(Locale.ROOT, "from %d until the 95 %% CI half-width of %s is below %.3g"
                + " %% of its mean, at most %d", r.min(), r.metric(), 100 * r.relativeHalfWidth(), r.max())
                : Integer.toString(r.min());
    }

    private String warmupText(Experiment e) {
        if (e.warmup() instanceof Experiment.Warmup.Fixed f) {
            return String.format(Locale.ROOT, "%,d references (discarded)", f.references());
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (ConfigurationSummary s : analysis.configurations()) {
            for (RunRecord r : s.runs().values()) {
                min = Math.min(min, r.warmup());
                max = Math.max(max, r.warmup());
            }
        }
        return String.format(Locale.ROOT, "chosen per configuration by MSER-5 from a pilot of %,d references:"
                + " %,d to %,d references", ((Experiment.Warmup.Mser5) e.warmup()).pilotReferences(),
                min == Long.MAX_VALUE ? 0 : min, max);
    }

    private void speedupTable(StringBuilder b) {
        Experiment e = experiment();
        if (analysis.comparisons().isEmpty()) {
            return;
        }
        b.append("## Speedup over ").append(e.baseline().label()).append("\n\n");
        b.append("Baseline cycles / mode cycles, the mean over replications of the paired ratio, with its 95 %")
                .append(" t-interval; above 1 is faster than the baseline.\n\n");
        List<Map<String, String>> combos = Manifest.grid(e.factors());
        List<ModeKind> alternatives = e.modes().stream().filter(m -> m != e.baseline()).toList();
        for (Map<String, String> combo : combos) {
            if (!combo.isEmpty()) {
                b.append("### ").append(combo.toString().replaceAll("[{}]", "")).append("\n\n");
            }
            b.append("| workload |");
            alternatives.forEach(m -> b.append(' ').append(m.label()).append(" |"));
            b.append("\n|---|");
            alternatives.forEach(m -> b.append("---:|"));
            b.append('\n');
            for (var w : e.workloads()) {
                b.append("| ").append(w.name()).append(" |");
                for (ModeKind m : alternatives) {
                    Versus v = find(m, w.name(), combo);
                    b.append(' ').append(v == null ? "–" : interval(v.speedup())).append(" |");
                }
                b.append('\n');
            }
            b.append("| **geometric mean** |");
            for (ModeKind m : alternatives) {
                Overall o = analysis.overall().stream().filter(x -> x.mode() == m && x.factors().equals(combo))
                        .findFirst().orElse(null);
                b.append(' ').append(o == null ? "–" : "**" + interval(o.speedup()) + "**").append(" |");
            }
            b.append('\n');
            if (e.paper() != null) {
                b.append("| published (").append(e.paper().source()).append(") |");
                for (ModeKind m : alternatives) {
                    Double p = e.paper().speedup().get(m);
                    b.append(' ').append(p == null ? "–" : fmt(p)).append(" |");
                }
                b.append('\n');
            }
            b.append('\n');
        }
        if (e.paper() != null && !e.paper().note().isEmpty()) {
            b.append(e.paper().note().strip()).append("\n\n");
        }
    }

    private Versus find(ModeKind m, String workload, Map<String, String> factors) {
        for (Versus v : analysis.comparisons()) {
            Configuration c = v.configuration();
            if (c.mode() == m && c.workload().equals(workload) && c.factors().equals(factors)) {
                return v;
            }
        }
        return null;
    }

    private void metricTable(StringBuilder b) {
        List<String> shown = new ArrayList<>();
        for (String m : List.of("cycles", "ipc", "translationShare", "walkLatency", "refsPerWalk",
                "criticalRefsPerWalk", "hypervisorShare", experiment().outputs().sweepMetric())) {
            if (!shown.contains(m) && !analysis.configurations().isEmpty()
                    && analysis.configurations().get(0).metrics().containsKey(m)) {
                shown.add(m);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        b.append("## Metrics (mean ± 95 % half-width)\n\n| configuration | n |");
        shown.forEach(m -> b.append(' ').append(m).append(" |"));
        b.append("\n|---|---:|");
        shown.forEach(m -> b.append("---:|"));
        b.append('\n');
        for (ConfigurationSummary s : analysis.configurations()) {
            Configuration c = s.configuration();
            b.append("| ").append(c.mode().label()).append(" / ").append(c.workload())
                    .append(c.factors().isEmpty() ? "" : " / " + c.factorText()).append(" | ").append(s.n())
                    .append(" |");
            for (String m : shown) {
                Estimate est = s.metrics().get(m);
                b.append(' ').append(est == null ? "–" : fmt(est.mean()) + " ± " + fmt(est.halfWidth()))
                        .append(" |");
            }
            b.append('\n');
        }
        b.append('\n');
    }

    private static String interval(Estimate e) {
        return fmt(e.mean()) + " [" + fmt(e.low()) + ", " + fmt(e.high()) + "]";
    }

    /** Four significant digits, without exponent for everyday magnitudes. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
