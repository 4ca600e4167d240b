package org.nestwalk.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.nestwalk.sim.VmWorkloads;
import org.nestwalk.stats.Estimate;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.util.BuildInfo;

/**
 * Writes an experiment's outputs from its stored rows: {@code manifest.csv} (every row with its seeds),
 * {@code runs.csv} (tidy: one line per run, every parameter and metric), {@code summary.csv} (tidy: one line per
 * configuration, metric and comparison: the mean, sd, n and 95 % interval, and the paired comparisons with the
 * baseline), {@code summary-overall.csv} (the geometric means over the workloads), {@code summary.json} (all of it
 * nested) and {@code README.md} ({@link ResultsReadme}, which documents every column). In the CSV files a value
 * that does not exist (a metric a mode lacks, an interval of one replication) is an empty cell, sizes are numbers
 * of bytes, and every number is a plain number. Every file is written atomically.
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
        String vms = vmsCsv();
        if (vms != null) {
            out.add(write("vms.csv", vms));
        }
        out.add(write("README.md", new ResultsReadme(analysis, dir).text(plots)));
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

    /**
     * With several VMs on a machine, each VM's own figures: one line per configuration, VM and per-VM metric, with
     * the mean over the replications and its 95 % interval (each replication's value is in the row's JSON as
     * {@code vm<k>.<metric>}); null when no configuration ran more than one VM.
     */
    String vmsCsv() {
        Csv csv = new Csv();
        List<String> header = new ArrayList<>(List.of("configuration", "mode", "workload"));
        header.addAll(factorKeys());
        header.addAll(List.of("vm", "vmWorkload", "metric", "n", "mean", "sd", "ciLow", "ciHigh"));
        csv.row(header);
        boolean any = false;
        for (ConfigurationSummary s : analysis.configurations()) {
            Configuration c = s.configuration();
            List<RunRecord> ok = new ArrayList<>(new TreeMap<>(s.runs()).values());
            int vms = 0;
            while (!ok.isEmpty() && !Double.isNaN(ok.get(0).metric("vm" + vms + ".cycles"))) {
                vms++;
            }
            List<String> named = VmWorkloads.names(c.settings(), c.workload());
            for (int v = 0; v < vms && v < named.size(); v++) {
                String w = named.get(v);
                for (String m : Metrics.PER_VM.keySet()) {
                    String key = "vm" + v + "." + m;
                    double[] values = ok.stream().mapToDouble(r -> r.metric(key)).filter(x -> !Double.isNaN(x))
                            .toArray();
                    if (values.length == 0) {
                        continue;
                    }
                    any = true;
                    Estimate e = Estimate.of(values);
                    List<Object> line = new ArrayList<>(List.of(c.id(), c.mode().label(), c.workload()));
                    factorKeys().forEach(k -> line.add(factorValue(k, c.factors().get(k))));
                    line.addAll(List.of(v, w, m, e.n(), e.mean(), e.sd(), e.mean() - e.halfWidth(),
                            e.mean() + e.halfWidth()));
                    csv.row(line);
                }
            }
        }
        return any ? csv.text() : null;
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
}
