package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.nestwalk.config.Settings;
import org.nestwalk.report.ResultTable;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.nestwalk.timeline.TimelineCsv;
import org.nestwalk.timeline.TimelineEvent;
import org.nestwalk.timeline.TimelineRecording;
import org.nestwalk.timeline.TimelineSvg;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.workload.Presets;
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
            description = "Where an experiment's results go (default: results/<name>, or results/<name>-quick).")
    Path outDir;

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
            description = "Runs simulated at once (default: the number of processors).")
    Integer jobs;

    @Option(names = "--timeline", paramLabel = "FILE",
            description = "Record the measured interval's events (vCPU bursts, walks, DRAM accesses, VM exits, "
                    + "verifications) with their simulated times as CSV in FILE, and draw them in FILE with .svg: "
                    + "one mode and one workload, a short run (default --refs " + TIMELINE_REFERENCES + ").")
    Path timeline;

    @Option(names = "--timeline-limit", paramLabel = "N", defaultValue = "" + TIMELINE_LIMIT,
            description = "Most events the timeline keeps, at most " + TIMELINE_MAX + " (default: "
                    + "${DEFAULT-VALUE}); later ones are counted, not kept.")
    int timelineLimit;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1, not " + threads);
        }
        if (experiment != null) {
            if (timeline != null) {
                throw new ParameterException(spec.commandLine(), "--timeline records one run: give --mode and "
                        + "--workload instead of an experiment file");
            }
            if (modes != null || workloads != null || trace != null || references != null || warmup != null
                    || !common.assignments.isEmpty() || spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
                throw new ParameterException(spec.commandLine(), "with an experiment file, give modes, workloads, "
                        + "references, warm-up, seed and parameters in the file (only --out, --jobs and --quick apply)");
            }
            return ExperimentLauncher.run(experiment, outDir, threads, quick, out, err);
        }
        if (outDir != null) {
            throw new ParameterException(spec.commandLine(), "--out needs an experiment file");
        }
        if (timeline == null && spec.commandLine().getParseResult().hasMatchedOption("--timeline-limit")) {
            throw new ParameterException(spec.commandLine(), "--timeline-limit needs --timeline FILE");
        }
        if (timeline != null && (timelineLimit < 1 || timelineLimit > TIMELINE_MAX)) {
            throw new ParameterException(spec.commandLine(), "--timeline-limit must be between 1 and "
                    + TIMELINE_MAX + ", not " + timelineLimit);
        }
        long refs = references != null ? references : timeline != null ? TIMELINE_REFERENCES
                : quick ? QUICK_REFERENCES : FULL_REFERENCES;
        if (refs <= 0) {
            throw new ParameterException(spec.commandLine(), "--refs must be a positive number, not " + refs);
        }
        long warm = warmup != null ? warmup : refs / 5;
        if (warm < 0 || warm >= refs) {
            throw new ParameterException(spec.commandLine(), "--warmup must be at least 0 and less than --refs ("
                    + refs + "), not " + warm);
        }
        List<ModeKind> ms = modes != null ? modes : ModeKind.defaultComparison();
        if (trace != null && workloads != null) {
            throw new ParameterException(spec.commandLine(), "give either --trace or --workload, not both");
        }
        if (trace != null) {
            // A missing or damaged trace is reported before anything is printed or run.
            TraceReader.open(trace).close();
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
        out.printf(Locale.ROOT, "nestwalk %s: %d runs (%s x %s), %,d references each, the first %,d discarded as "
                        + "warm-up; seed %d%n%n", Main.version(), specs.size(),
                String.join(",", ms.stream().map(ModeKind::label).toList()), String.join(",", ws), refs, warm,
                common.seed);
        long start = System.nanoTime();
        TimelineRecording recording = timeline == null ? null : new TimelineRecording(timelineLimit);
        List<RunResult> results = recording == null ? runAll(specs, threads, err)
                : List.of(Simulation.run(specs.get(0), null, recording));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.print(ResultTable.render(results));
        out.println();
        printComparisons(out, results, ms);
        if (recording != null) {
            writeTimeline(recording, results.get(0), out);
        }
        out.printf(Locale.ROOT, "%nSimulated %,d references in %.1f s of wall-clock time on %d thread(s).%n",
                refs * specs.size(), seconds, Math.min(threads, specs.size()));
        return 0;
    }

    private static List<RunResult> runAll(List<RunSpec> specs, int threads, PrintWriter err) {
        AtomicLongArray done = new AtomicLongArray(specs.size());
        long total = specs.stream().mapToLong(RunSpec::references).sum();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, specs.size()), r -> {
            Thread t = new Thread(r, "replication");
            t.setDaemon(true);
            return t;
        });
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
            List<RunResult> results = new ArrayList<>();
            for (Future<RunResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
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
        String title = String.format(Locale.ROOT, "%s on %s: cycles %,d to %,d (the measured interval)%s",
                r.spec().mode().label(), r.spec().workload().name(), recording.intervalStart(),
                recording.intervalEnd(), recording.leftOut() > 0 ? ", first " + events.size() + " events" : "");
        AtomicFiles.write(picture, TimelineSvg.render(events, title));
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
