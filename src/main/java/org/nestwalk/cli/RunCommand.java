package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.nestwalk.config.Settings;
import org.nestwalk.experiment.StaleRows;
import org.nestwalk.report.ResultTable;
import org.nestwalk.report.VmTable;
import org.nestwalk.report.RunExport;
import org.nestwalk.util.BuildInfo;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.nestwalk.timeline.TimelineCsv;
import org.nestwalk.timeline.TimelineEvent;
import org.nestwalk.timeline.TimelineRecording;
import org.nestwalk.timeline.TimelineSvg;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.Presets;
import org.nestwalk.workload.TraceWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nestwalk run}: an experiment file, or the built-in comparison of translation modes on a TLB-hungry and a
 * TLB-friendly workload.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"With an EXPERIMENT file: runs its replications on a thread pool, storing each run's result "
                + "as it finishes (a second start skips finished runs), and writes runs.csv, summaries with 95 %% "
                + "confidence intervals, plots and a README to the results directory.",
                "Without: runs the built-in comparison: the paper's five modes on a TLB-hungry (random) and a "
                + "TLB-friendly (stream) workload, one DSOL replication each, in parallel, and prints a table of the "
                + "measured interval (after warm-up).",
                "",
                "Examples:",
                "  nestwalk run --quick",
                "  nestwalk run experiments/paper-headline.yaml --jobs 2",
                "  nestwalk run experiments/tlb-sweep.yaml --quick --out /tmp/tlb",
                "  nestwalk run --mode nested --workload zipf --refs 5000000 --set pwc.entries=48"})
final class RunCommand implements Callable<Integer> {
    static final long QUICK_REFERENCES = 1_000_000;
    static final long FULL_REFERENCES = 10_000_000;
    static final long TIMELINE_REFERENCES = 20_000;
    static final int TIMELINE_LIMIT = 20_000;
    /** Bounds the files a timeline writes (about 80 bytes of CSV and 150 of SVG per event). */
    static final int TIMELINE_MAX = 200_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT",
            description = "An experiment file (experiments/*.yaml) to run instead of the built-in comparison.")
    Path experiment;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where an experiment's results go (default: results/<name> in the current directory; with "
                    + "--quick, <temporary directory>/nestwalk-<user>/<name>-quick).")
    Path outDir;

    @Option(names = "--rerun-stale", description = "With an experiment: run again the stored rows that another build"
            + " of nestwalk made (by default a run refuses to mix its rows with theirs).")
    boolean rerunStale;

    @Option(names = "--reuse-stale", description = "With an experiment: keep the stored rows another build made as "
            + "they are (the summaries then mix builds; the results README says which).")
    boolean reuseStale;

    @Option(names = "--quick", description = "Short runs (1,000,000 references each): a few seconds in all. With an "
            + "experiment: its quick variant.")
    boolean quick;

    @Option(names = "--mode", split = ",", paramLabel = "MODE", converter = ModeConverter.class,
            completionCandidates = ModeConverter.class,
            description = "Translation modes to compare (default: the paper's five, native, nested, flat-nested, "
                    + "shadow and spec-shadow; all: ${COMPLETION-CANDIDATES}).")
    List<ModeKind> modes;

    @Option(names = "--workload", split = ",", paramLabel = "NAME",
            description = "Workload presets (default: random,stream; 'nestwalk params' lists them).")
    List<String> workloads;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Replay a trace of a real program (docs/trace-format.md) instead of workload presets.")
    Path trace;

    @Option(names = "--refs", paramLabel = "N",
            description = "References per run, warm-up included (default: 1,000,000 with --quick, else 10,000,000).")
    Long references;

    @Option(names = "--warmup", paramLabel = "N",
            description = "References at the start of each run excluded from the results (default: a fifth).")
    Long warmup;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Runs simulated at once (default, and at most: the number of processors, and one per "
                    + "64 MiB of heap).")
    Integer jobs;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Also write every run's metrics and parameters as CSV, one line per run (the columns of an "
                    + "experiment's runs.csv; '-': to standard output instead of the table).")
    Path csv;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write every run as JSON: its spec, metrics (null where the mode lacks one) and "
                    + "parameters ('-': to standard output instead of the table).")
    Path json;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Record the measured interval's events (vCPU bursts, walks, DRAM accesses, VM exits, "
                    + "verifications) with their simulated times as CSV in FILE, and draw them in FILE with .svg: "
                    + "one mode and one workload, a short run (default --refs " + TIMELINE_REFERENCES + ").")
    void timeline(String file) {
        // Kept as typed as well: a Path drops the trailing '/' that says "a directory".
        timelineText = file;
        timeline = Path.of(file);
    }

    private Path timeline;
    private String timelineText;

    @Option(names = "--timeline-limit", paramLabel = "N", defaultValue = "" + TIMELINE_LIMIT,
            description = "Most events the timeline keeps, at most " + TIMELINE_MAX + " (default: "
                    + "${DEFAULT-VALUE}); later ones are counted, not kept.")
    int timelineLimit;

    @Mixin
    CommonOptions common;

    @Mixin
    SampleOptions sample;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int threads = Jobs.resolve(jobs, spec.commandLine(), err);
        if (experiment != null) {
            if (timeline != null) {
                throw new ParameterException(spec.commandLine(), "--timeline records one run: give --mode and "
                        + "--workload instead of an experiment file");
            }
            if (modes != null || workloads != null || trace != null || references != null || warmup != null
                    || !common.assignments.isEmpty() || common.machine != null || csv != null || json != null
                    || spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                throw new ParameterException(spec.commandLine(), "with an experiment file, give modes, workloads, "
                        + "references, warm-up, seed and parameters (a machine: block) in the file, which writes "
                        + "runs.csv and summaries itself (only --out, --jobs, --quick, --rerun-stale and --reuse-stale "
                        + "apply)");
            }
            if (rerunStale && reuseStale) {
                throw new ParameterException(spec.commandLine(), "give --rerun-stale or --reuse-stale, not both");
            }
            StaleRows.Policy stale = rerunStale ? StaleRows.Policy.RERUN : reuseStale ? StaleRows.Policy.REUSE
                    : StaleRows.Policy.REFUSE;
            return ExperimentLauncher.run(experiment, outDir, threads, quick, stale, out, err);
        }
        if (sample.anyGiven() && !sample.sample) {
            throw new ParameterException(spec.commandLine(), "the --sample-* options need --sample");
        }
        if (sample.sample && (experiment != null || timeline != null || csv != null || json != null)) {
            throw new ParameterException(spec.commandLine(), "--sample runs --mode and --workload (or --trace) runs "
                    + "and prints their estimates; it does not go with an experiment file, --timeline, --csv or --json");
        }
        if (rerunStale || reuseStale) {
            throw new ParameterException(spec.commandLine(), (rerunStale ? "--rerun-stale" : "--reuse-stale")
                    + " needs an experiment file: it is about the rows stored in its results directory");
        }
        if (outDir != null) {
            throw new ParameterException(spec.commandLine(), "--out needs an experiment file");
        }
        if (timeline == null && spec.commandLine().getParseResult().hasMatchedOption("--timeline-limit")) {
            throw new ParameterException(spec.commandLine(), "--timeline-limit needs --timeline FILE");
        }
        if (timeline != null && (timelineText.endsWith("/") || timelineText.endsWith(java.io.File.separator)
                || java.nio.file.Files.isDirectory(timeline))) {
            throw new ParameterException(spec.commandLine(), "--timeline expects the file to write (such as run.csv; "
                    + "its picture goes beside it), not the directory " + timeline);
        }
        if (timeline != null && (timelineLimit < 1 || timelineLimit > TIMELINE_MAX)) {
            throw new ParameterException(spec.commandLine(), "--timeline-limit must be between 1 and "
                    + TIMELINE_MAX + ", not " + timelineLimit);
        }
        long asked = references != null ? references : timeline != null ? TIMELINE_REFERENCES
                : quick ? QUICK_REFERENCES : FULL_REFERENCES;
        if (asked <= 0) {
            throw new ParameterException(spec.commandLine(), "--refs must be a positive number, not " + asked);
        }
        List<ModeKind> ms = modes != null ? modes : ModeKind.defaultComparison();
        if (ms.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--mode: expected at least one mode ("
                    + ModeKind.labels() + ")");
        }
        if (trace != null && workloads != null) {
            throw new ParameterException(spec.commandLine(), "give either --trace or --workload, not both");
        }
        if (workloads != null && workloads.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--workload: expected at least one workload preset "
                    + "('nestwalk params' lists them)");
        }
        long refs = asked;
        if (trace != null) {
            // The trace is opened before anything runs (its index, or a pass over its records when it has none): one
            // that asks more of the machine than it has is reported now, and its length bounds what a run can measure.
            long held = TraceWorkload.open(trace, common.traceSettings(trace).size("memory.guest")).references();
            if (held < asked) {
                refs = held;
                if (references != null) {
                    err.printf(Locale.ROOT, "nestwalk: %s holds %,d references, fewer than the %,d asked (--refs): "
                            + "each run replays all %,d%n", trace, held, asked, held);
                }
            }
        }
        long warm = warmup != null ? warmup : refs / 5;
        if (warm < 0 || warm >= refs) {
            throw new ParameterException(spec.commandLine(), "--warmup must be at least 0 and less than the "
                    + String.format(Locale.ROOT, "%,d", refs) + " references of each run" + (refs < asked
                    ? " (all the trace holds)" : "") + ", not " + warm);
        }
        List<String> ws = trace != null ? List.of(trace.getFileName().toString().replaceFirst("\\.trace$", ""))
                : workloads != null ? workloads : List.of("random", "stream");
        if (timeline != null && (ms.size() != 1 || ws.size() != 1)) {
            throw new ParameterException(spec.commandLine(), "--timeline records one run: give one --mode and one "
                    + "--workload (or --trace)");
        }
        List<RunSpec> specs = new ArrayList<>();
        for (String w : ws) {
            String name = trace != null ? w : Presets.get(w).name();
            Settings s = trace != null ? common.traceSettings(trace) : common.settings(name);
            for (ModeKind m : ms) {
                specs.add(RunSpec.of(m, s, name, common.seed, 0, refs, warm));
            }
        }
        if (sample.sample) {
            org.nestwalk.sim.SamplingPlan plan = sample.plan();
            out.printf(Locale.ROOT, "nestwalk %s: %s (%s x %s) sampled: %,d references each, the first %,d warmed "
                            + "functionally; then a unit of %,d measured references after %,d in detail, every %,d; "
                            + "seed %d%n%n", Main.version(), ExperimentLauncher.count(specs.size(), "run"),
                    String.join(",", ms.stream().map(ModeKind::label).toList()), String.join(",", ws), refs, warm,
                    plan.unit(), plan.warmup(), plan.period(), common.seed);
            SampledRuns.run(specs, plan, sample.check, threads, out);
            return 0;
        }
        boolean dataOnStdout = isStdout(csv) || isStdout(json);
        if (isStdout(csv) && isStdout(json)) {
            throw new ParameterException(spec.commandLine(), "only one of --csv and --json can go to standard output");
        }
        // With --csv - or --json -, standard output holds the data alone; what a person reads goes nowhere.
        PrintWriter table = dataOnStdout ? new PrintWriter(java.io.OutputStream.nullOutputStream()) : out;
        table.printf(Locale.ROOT, "nestwalk %s: %s (%s x %s), %,d references each, the first %,d discarded as "
                        + "warm-up; seed %d%n%n", Main.version(), ExperimentLauncher.count(specs.size(), "run"),
                String.join(",", ms.stream().map(ModeKind::label).toList()), String.join(",", ws), refs, warm,
                common.seed);
        long start = System.nanoTime();
        TimelineRecording recording = timeline == null ? null : new TimelineRecording(timelineLimit);
        List<RunResult> results = recording == null ? runAll(specs, threads, err)
                : List.of(Simulation.run(specs.get(0), null, recording));
        double seconds = (System.nanoTime() - start) / 1e9;
        table.print(ResultTable.render(results));
        table.println();
        printComparisons(table, results, ms);
        table.print(VmTable.render(results));
        export(csv, RunExport.csv(results, Main.version(), BuildInfo.build()), out, table);
        export(json, RunExport.json(results, Main.version(), BuildInfo.build()), out, table);
        long simulated = 0;
        for (RunResult r : results) {
            simulated += r.spec().warmupReferences() + r.references();
            long expected = r.spec().references() - r.spec().warmupReferences();
            if (r.references() < expected) {
                err.printf(Locale.ROOT, "nestwalk: %s on %s: the workload ended after %,d references: %,d warmed up"
                                + " and %,d measured, not the %,d asked; its figures are of those %,d%n",
                        r.spec().mode().label(), r.spec().workload().name(), r.spec().warmupReferences()
                                + r.references(), r.spec().warmupReferences(), r.references(), expected,
                        r.references());
            }
        }
        if (recording != null) {
            writeTimeline(recording, results.get(0), table);
        }
        table.printf(Locale.ROOT, "%nSimulated %,d references in %.1f s of wall-clock time on %s.%n",
                simulated, seconds, ExperimentLauncher.count(Math.min(threads, specs.size()), "thread"));
        table.flush();
        return 0;
    }

    private static boolean isStdout(Path p) {
        return p != null && p.toString().equals("-");
    }

    /** Writes {@code text} to {@code file} (atomically), or to standard output for '-'; says where on the table. */
    private static void export(Path file, String text, PrintWriter out, PrintWriter table) {
        if (file == null) {
            return;
        }
        if (isStdout(file)) {
            out.print(text);
            out.flush();
        } else {
            AtomicFiles.write(file, text);
            table.printf("Wrote %s.%n", file);
        }
    }

    private static List<RunResult> runAll(List<RunSpec> specs, int threads, PrintWriter err) {
        AtomicLongArray done = new AtomicLongArray(specs.size());
        long total = specs.stream().mapToLong(RunSpec::references).sum();
        ExecutorService pool = Jobs.pool(Math.min(threads, specs.size()), "replication");
        try (Progress p = new Progress(err, "run", total, () -> {
            long d = 0;
            for (int i = 0; i < done.length(); i++) {
                d += done.get(i);
            }
            return d;
        })) {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                int index = i;
                RunSpec s = specs.get(i);
                futures.add(pool.submit(() -> {
                    RunResult r = Simulation.run(s, n -> done.set(index, n));
                    done.set(index, s.references());
                    return r;
                }));
            }
            return Jobs.gather(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes the timeline's CSV and picture, and says what they hold. */
    private void writeTimeline(TimelineRecording recording, RunResult r, PrintWriter out) {
        List<TimelineEvent> events = recording.events();
        String name = timeline.getFileName().toString();
        Path picture = timeline.resolveSibling((name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name)
                + ".svg");
        AtomicFiles.write(timeline, TimelineCsv.render(events));
        String title = String.format(Locale.ROOT, "%s on %s: the measured interval, cycles %,d to %,d",
                r.spec().mode().label(), r.spec().workload().name(), recording.intervalStart(),
                recording.intervalEnd());
        String note = recording.leftOut() == 0 ? "" : String.format(Locale.ROOT, "Cut: only its first %,d events are "
                + "drawn (up to cycle %,d); %,d later ones are left out (--timeline-limit, or fewer --refs).",
                events.size(), events.stream().mapToLong(TimelineEvent::end).max().orElse(0), recording.leftOut());
        AtomicFiles.write(picture, TimelineSvg.render(events, title, note));
        long walks = events.stream().filter(e -> e.kind().equals("walk")).count();
        out.printf(Locale.ROOT, "%nTimeline: %,d events of the measured interval (%,d walks of the %,d counted) in "
                + "%s, drawn in %s", events.size(), walks, r.walks(), timeline, picture);
        if (recording.leftOut() > 0) {
            out.printf(Locale.ROOT, "; %,d later events left out (--timeline-limit %d)", recording.leftOut(),
                    recording.limit());
        }
        out.println(".");
    }

    /** Runtime of each mode relative to the first mode, per workload. */
    private static void printComparisons(PrintWriter out, List<RunResult> results, List<ModeKind> modes) {
        if (modes.size() < 2) {
            return;
        }
        ModeKind base = modes.get(0);
        for (RunResult r : results) {
            if (r.spec().mode() == base) {
                continue;
            }
            RunResult b = results.stream().filter(x -> x.spec().mode() == base
                    && x.spec().workload().name().equals(r.spec().workload().name())).findFirst().orElseThrow();
            out.printf(Locale.ROOT, "%s on %s: %.3f x the runtime of %s (translation %.1f%% vs %.1f%% of cycles)%n",
                    r.spec().mode().label(), r.spec().workload().name(), (double) r.cycles() / b.cycles(),
                    base.label(), 100 * r.translationShare(), 100 * b.translationShare());
        }
    }
}
