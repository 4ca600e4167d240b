package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nestwalk.experiment.Analysis;
import org.nestwalk.experiment.DirectoryLock;
import org.nestwalk.experiment.Experiment;
import org.nestwalk.experiment.ExperimentFile;
import org.nestwalk.experiment.ExperimentRunner;
import org.nestwalk.experiment.Manifest;
import org.nestwalk.experiment.ReplicationTargets;
import org.nestwalk.experiment.ResultsDirectory;
import org.nestwalk.experiment.RowStore;
import org.nestwalk.experiment.SlurmArray;
import org.nestwalk.experiment.StaleRows;
import org.nestwalk.util.BuildInfo;
import org.nestwalk.config.ConfigException;
import org.nestwalk.experiment.Configuration;
import org.nestwalk.workload.TraceWorkload;

/**
 * What {@code nestwalk run EXPERIMENT}, {@code merge DIR} and {@code sweep} do, between the command line and the
 * runner.
 */
final class ExperimentLauncher {
    private static final long PROGRESS_EVERY_NANOS = 3_000_000_000L;
    /** How many rows {@code merge} names one by one when listing what is missing; manifest.csv has every row. */
    private static final int LIST_AT_MOST = 20;

    private ExperimentLauncher() {
    }

    /**
     * Where an experiment's results go without --out: {@code results/<name>} under the current directory. A quick
     * variant, which is for trying things out, goes under the system's temporary directory
     * ({@code nestwalk-<user>/<name>-quick}), so that it never lands among the shipped results of a checkout. Either
     * way the command prints the directory.
     */
    static Path defaultResults(Experiment e, boolean quick) {
        if (!quick) {
            return Path.of("results", e.name());
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "nestwalk-" + user, e.name() + "-quick");
    }

    /** Runs what is missing of an experiment and rebuilds its outputs; returns the exit code. */
    static int run(Path file, Path outDir, int jobs, boolean quick, StaleRows.Policy stale, PrintWriter out,
                   PrintWriter err) {
        Experiment e = ExperimentFile.read(file, quick);
        Path dir = outDir != null ? outDir : defaultResults(e, quick);
        Manifest m = Manifest.expand(e);
        checkTraces(m);
        try (DirectoryLock lock = DirectoryLock.exclusive(dir, "nestwalk run " + file)) {
            return run(file, e, m, dir, lock, jobs, stale, out, err);
        }
    }

    private static int run(Path file, Experiment e, Manifest m, Path dir, DirectoryLock lock, int jobs,
                           StaleRows.Policy stale, PrintWriter out, PrintWriter err) {
        boolean quick = e.quick();
        ResultsDirectory results = new ResultsDirectory(dir, warnings(err));
        results.claim(file, e);
        cleanUp(lock, dir, err);
        RowStore store = StaleRows.storeFor(m, results.store(), BuildInfo.build(), stale, dir);
        reportOtherBuilds(m, results.store(), stale == StaleRows.Policy.RERUN ? "run again with this build"
                : "kept (--reuse-stale)", err);
        int reps = e.replications().min();
        long stored = m.rows(reps).stream().filter(r -> store.finished(r.configuration(),
                r.replication())).count();
        out.printf(Locale.ROOT, "nestwalk %s: experiment %s%s: %s x %s replications = %s of %,d "
                        + "references (%d already stored in %s); %s%n", Main.version(), e.name(),
                quick ? " (quick)" : "", count(m.configurations().size(), "configuration"),
                e.replications().adaptive() ? reps + "-" + e.replications().max() : Integer.toString(reps),
                count(m.rows(reps).size(), "run"), e.references(), stored, dir.toAbsolutePath().normalize(),
                count(jobs, "thread"));
        out.flush();
        ExperimentRunner.Outcome o = new ExperimentRunner(m, store, jobs, listener(e.name(), err)).run();
        out.printf(Locale.ROOT, "ran %s (%d failed), reused %d, %s, in %s%n", count(o.ran(), "run"), o.failed(),
                o.reused(), count(o.pilots(), "pilot run"), duration(o.elapsedNanos()));
        publish(m, results, out, err);
        if (o.failed() > 0) {
            err.printf("nestwalk: %s failed (their errors are in runs.csv); run the experiment again to retry "
                    + "them%n", count(o.failed(), "run"));
            return Main.FAILED;
        }
        return 0;
    }

    /**
     * Reads every trace the experiment replays once, so that a missing or damaged one, or one that asks more of the
     * machine than it has, is reported before anything runs rather than by every run of it; and refuses a trace that
     * holds fewer references than each run asks for, whose rows could not measure what the experiment says. (Merging
     * needs no traces: it only reads stored rows.)
     */
    private static void checkTraces(Manifest m) {
        Map<String, Long> held = new java.util.HashMap<>();
        long asked = m.experiment().references();
        for (Configuration c : m.configurations()) {
            String t = c.settings().choice("workload.trace");
            if (t.equals("none")) {
                continue;
            }
            long memory = c.settings().size("memory.guest");
            long n = held.computeIfAbsent(t + "|" + memory, k -> TraceWorkload.open(Path.of(t), memory).references());
            if (n < asked) {
                throw new ConfigException(String.format(Locale.ROOT, "%s: workload '%s': the trace %s holds %,d "
                        + "references, fewer than the %,d each run asks for ('references'); ask for at most %,d",
                        c.settings().sourceOf("workload.trace"), c.workload(), t, n, asked, n));
            }
        }
    }

    /** Rebuilds an experiment's outputs from the rows in its results directory, and lists the rows still missing. */
    static int merge(Path dir, PrintWriter out, PrintWriter err) {
        ResultsDirectory results = new ResultsDirectory(dir, warnings(err));
        Manifest m = Manifest.expand(results.load());
        // Merging while a run stores rows is harmless (every file is written whole), but only a merge that has the
        // directory to itself may remove what killed writes left behind.
        DirectoryLock.tryExclusive(dir, "nestwalk merge").ifPresent(lock -> {
            try (lock) {
                cleanUp(lock, dir, err);
            }
        });
        ResultsDirectory.Published p = publish(m, results, out, err);
        reportOtherBuilds(m, results.store(), "in the summaries; 'nestwalk run --rerun-stale' runs them again", err);
        listMissing(m, results, p.analysis(), out);
        return 0;
    }

    /** Says how many finished rows other builds of nestwalk made, if any, and what happens to them. */
    private static void reportOtherBuilds(Manifest m, RowStore store, String fate, PrintWriter err) {
        StaleRows.Found f = StaleRows.find(m, store, BuildInfo.build());
        if (f.rows() > 0) {
            err.printf("nestwalk: %d stored row%s made by other builds of nestwalk than this one (%s): %s%n",
                    f.rows(), f.rows() == 1 ? " was" : "s were", f.describe(), fate);
            err.flush();
        }
    }

    /** Removes the temporary files of writes a killed process left, saying so. */
    private static void cleanUp(DirectoryLock lock, Path dir, PrintWriter err) {
        int removed = lock.removeLeftoverTemporaryFiles(dir);
        if (removed > 0) {
            err.printf("nestwalk: removed %d temporary file%s left in %s by an interrupted run%n", removed,
                    removed == 1 ? "" : "s", dir);
            err.flush();
        }
    }

    /**
     * Says which rows the experiment still needs ({@link ReplicationTargets#due}): each with why (never stored,
     * failed with its error, or made with other parameters) and, if a job array had it, which task of which array,
     * whose log says what happened.
     */
    private static void listMissing(Manifest m, ResultsDirectory results, Analysis analysis, PrintWriter out) {
        RowStore store = results.store();
        List<Manifest.Row> due = ReplicationTargets.due(m, store);
        if (due.isEmpty()) {
            out.println("every row the experiment needs is stored");
            return;
        }
        Map<String, SlurmArray.Task> tasks = SlurmArray.tasksOfRows(results.path());
        int stored = analysis.configurations().stream().mapToInt(Analysis.ConfigurationSummary::n).sum();
        out.printf(Locale.ROOT, "%s missing (%d stored)%s:%n", count(due.size(), "row"), stored,
                due.size() > LIST_AT_MOST
                ? " (the first " + LIST_AT_MOST + " below; manifest.csv gives every row's status)" : "");
        for (Manifest.Row r : due.subList(0, Math.min(due.size(), LIST_AT_MOST))) {
            String why = store.read(r.configuration().id(), r.replication())
                    .map(x -> !r.configuration().accepts(x) ? "stored with other parameters"
                            : "failed: " + (x.error() == null ? "(no error recorded)" : x.error()))
                    .orElseGet(() -> store.damage(r.configuration().id(), r.replication()).map(d -> "damaged: " + d)
                            .orElse("not run"));
            SlurmArray.Task task = tasks.get(r.label());
            out.printf("  %s  %s%s%n", r.label(), why.strip().replace('\n', ' '), task == null ? ""
                    : " (" + task + ": " + task.logs(results.path()) + ")");
        }
        String file = results.experimentFile();
        out.printf("to run them: nestwalk sweep --emit slurm %s%s --out %s (a job array of the missing rows), or "
                + "nestwalk run %s%s --out %s%n", file, m.experiment().quick() ? " --quick" : "", results.path(),
                file, m.experiment().quick() ? " --quick" : "", results.path());
    }

    /** Writes a Slurm job array of the rows of an experiment that are not stored yet; returns the exit code. */
    static int emitSlurm(Path file, Path outDir, boolean quick, StaleRows.Policy stale, SlurmArray.Options options,
                         PrintWriter out, PrintWriter err) {
        Experiment e = ExperimentFile.read(file, quick);
        Path dir = outDir != null ? outDir : defaultResults(e, quick);
        Manifest m = Manifest.expand(e);
        checkTraces(m);
        SlurmArray.check(dir);
        try (DirectoryLock lock = DirectoryLock.exclusive(dir, "nestwalk sweep --emit slurm " + file)) {
            return emitSlurm(file, e, m, dir, stale, options, out, err);
        }
    }

    private static int emitSlurm(Path file, Experiment e, Manifest m, Path dir, StaleRows.Policy stale,
                                 SlurmArray.Options options, PrintWriter out, PrintWriter err) {
        boolean quick = e.quick();
        ResultsDirectory results = new ResultsDirectory(dir, warnings(err));
        results.claim(file, e);
        RowStore store = StaleRows.storeFor(m, results.store(), BuildInfo.build(), stale, dir);
        reportOtherBuilds(m, results.store(), stale == StaleRows.Policy.RERUN ? "in the array, to run again with this"
                + " build" : "kept (--reuse-stale)", err);
        List<Manifest.Row> due = ReplicationTargets.due(m, store);
        int all = m.rows(e.replications().min()).size();
        if (due.isEmpty()) {
            out.printf("nestwalk %s: experiment %s%s: every row is stored in %s; nothing to emit ('nestwalk merge %s' "
                    + "builds the summaries)%n", Main.version(), e.name(), quick ? " (quick)" : "", dir, dir);
            return 0;
        }
        SlurmArray.Emitted a = SlurmArray.emit(results, m, due, options);
        out.printf(Locale.ROOT, "nestwalk %s: experiment %s%s: %s x %s replications; %s to run "
                        + "(%s), of %,d references%n", Main.version(), e.name(), quick ? " (quick)" : "",
                count(m.configurations().size(), "configuration"), e.replications().adaptive()
                        ? e.replications().min() + "-" + e.replications().max()
                        : Integer.toString(e.replications().min()), count(a.rows(), "row"),
                due.size() == all ? "none stored yet" : "the others are stored", e.references());
        out.printf(Locale.ROOT, "wrote %s: %s of %s, at most %d running at once (--array=0-%d%%%d)%n",
                a.dir(), count(a.tasks(), "task"), a.rowsPerTask() == 1 ? "one row" : "up to " + a.rowsPerTask() + " rows",
                options.throttle(), a.tasks() - 1, options.throttle());
        if (a.tasks() > SlurmArray.DEFAULT_MAX_TASKS) {
            out.printf("note: indices above %d need a MaxArraySize above Slurm's default of 1001 (scontrol show "
                    + "config | grep MaxArraySize); --rows-per-task makes fewer tasks%n", SlurmArray.DEFAULT_MAX_TASKS);
        }
        out.printf("submit it with:%n  sbatch %s%nthen 'nestwalk merge %s' builds the summaries from whatever "
                + "finished and lists what is missing; this command, run again, emits an array of the missing rows "
                + "only%n", a.script(), dir);
        return 0;
    }

    /** Runs task {@code task} of the job array in {@code arrayDir}; returns the exit code. */
    static int runTask(Path arrayDir, int task, int jobs, PrintWriter out, PrintWriter err) {
        ResultsDirectory results = new ResultsDirectory(SlurmArray.resultsOf(arrayDir), warnings(err));
        Experiment e = results.load();
        Manifest m = Manifest.expand(e);
        List<Manifest.Row> rows = SlurmArray.rowsOfTask(arrayDir, task, m);
        String name = e.name() + " " + arrayDir.getFileName() + " task " + task;
        out.printf(Locale.ROOT, "nestwalk %s: experiment %s%s, %s: %s, %s%n", Main.version(), e.name(),
                e.quick() ? " (quick)" : "", arrayDir.getFileName() + " task " + task, count(rows.size(), "row"),
                count(jobs, "thread"));
        out.flush();
        ExperimentRunner.Outcome o;
        try (DirectoryLock lock = DirectoryLock.shared(results.path())) {
            // The emission chose the rows; the task runs those its own build has not stored.
            o = new ExperimentRunner(m, results.store().ofBuild(BuildInfo.build()), jobs, listener(name, err))
                    .run(rows);
        }
        out.printf(Locale.ROOT, "ran %s (%d failed), %d already stored, %s, in %s%n", count(o.ran(), "row"),
                o.failed(), o.reused(), count(o.pilots(), "pilot run"), duration(o.elapsedNanos()));
        if (o.failed() > 0) {
            err.printf("nestwalk: %s failed (their errors are in their results; 'nestwalk merge %s' lists them)%n",
                    count(o.failed(), "row"), results.path());
            return Main.FAILED;
        }
        return 0;
    }

    private static ResultsDirectory.Published publish(Manifest m, ResultsDirectory results, PrintWriter out,
                                                      PrintWriter err) {
        ResultsDirectory.Published p = results.publish(m);
        List<String> zero = p.analysis().zeroWidth();
        if (!zero.isEmpty()) {
            err.printf(Locale.ROOT, "nestwalk: warning: the replications of %d configuration%s (%s%s) gave identical "
                            + "runtimes: their intervals have zero width, which says the replications did not vary, "
                            + "not that the result is certain; for a trace, memory.placement: shuffled varies them "
                            + "(experiments/README.md)%n", zero.size(), zero.size() == 1 ? "" : "s",
                    String.join(", ", zero.subList(0, Math.min(3, zero.size()))), zero.size() > 3 ? ", ..." : "");
            err.flush();
        }
        for (Analysis.Overall o : p.analysis().overall()) {
            out.printf(Locale.ROOT, "%s%s: %.3f x the speed of %s %s (95 %% CI %.3f-%.3f, n = %d)%n",
                    o.mode().label(), o.factors().isEmpty() ? "" : " " + o.factors(), o.speedup().mean(),
                    m.experiment().baseline().label(), o.workloads() == 1 ? "on its workload"
                            : "over " + o.workloads() + " workloads (geometric mean)",
                    o.speedup().low(), o.speedup().high(), o.speedup().n());
        }
        out.printf("wrote %s; see %s%n", count(p.files().size(), "file"), results.path().resolve("README.md"));
        return p;
    }

    private static ExperimentRunner.Listener listener(String name, PrintWriter err) {
        return new ExperimentRunner.Listener() {
            private long last;

            @Override
            public void progress(int done, int total, int failed, long elapsedNanos) {
                if (done < total && elapsedNanos - last < PROGRESS_EVERY_NANOS) {
                    return;
                }
                last = elapsedNanos;
                String eta = done > 0 && done < total
                        ? ", about " + duration(elapsedNanos / done * (total - done)) + " left" : "";
                err.printf(Locale.ROOT, "[%s] %d/%d runs%s after %s%s%n", name, done, total,
                        failed > 0 ? " (" + failed + " failed)" : "", duration(elapsedNanos), eta);
                err.flush();
            }

            @Override
            public void message(String text) {
                err.printf("[%s] %s%n", name, text);
                err.flush();
            }
        };
    }

    /** Where a results directory's warnings (a damaged row) go: the command's standard error, one line each. */
    private static java.util.function.Consumer<String> warnings(PrintWriter err) {
        return w -> {
            synchronized (err) {
                err.println("nestwalk: warning: " + w);
                err.flush();
            }
        };
    }

    /** "1 row", "2 rows": a count with its noun. */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s < 60 ? s + " s" : s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
