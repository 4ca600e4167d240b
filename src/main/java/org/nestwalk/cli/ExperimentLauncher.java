package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.nestwalk.experiment.Analysis;
import org.nestwalk.experiment.Experiment;
import org.nestwalk.experiment.ExperimentFile;
import org.nestwalk.experiment.ExperimentRunner;
import org.nestwalk.experiment.Manifest;
import org.nestwalk.experiment.ResultsDirectory;
import org.nestwalk.trace.TraceReader;

/** What {@code nestwalk run EXPERIMENT} and {@code nestwalk merge DIR} do, between the command line and the runner. */
final class ExperimentLauncher {
    private static final long PROGRESS_EVERY_NANOS = 3_000_000_000L;

    private ExperimentLauncher() {
    }

    /** Runs what is missing of an experiment and rebuilds its outputs; returns the exit code. */
    static int run(Path file, Path outDir, int jobs, boolean quick, PrintWriter out, PrintWriter err) {
        Experiment e = ExperimentFile.read(file, quick);
        Path dir = outDir != null ? outDir : Path.of("results", e.name() + (quick ? "-quick" : ""));
        Manifest m = Manifest.expand(e);
        checkTraces(m);
        ResultsDirectory results = new ResultsDirectory(dir);
        results.claim(file, e);
        int reps = e.replications().min();
        long stored = m.rows(reps).stream().filter(r -> results.store().finished(r.configuration(),
                r.replication())).count();
        out.printf(Locale.ROOT, "nestwalk %s: experiment %s%s: %d configurations x %s replications = %d runs of %,d "
                        + "references (%d already stored in %s); %d thread(s)%n", Main.version(), e.name(),
                quick ? " (quick)" : "", m.configurations().size(), e.replications().adaptive()
                        ? reps + "-" + e.replications().max() : Integer.toString(reps), m.rows(reps).size(),
                e.references(), stored, dir, jobs);
        out.flush();
        ExperimentRunner.Outcome o = new ExperimentRunner(m, results.store(), jobs, listener(e.name(), err)).run();
        out.printf(Locale.ROOT, "ran %d runs (%d failed), reused %d, %d pilot runs, in %s%n", o.ran(), o.failed(),
                o.reused(), o.pilots(), duration(o.elapsedNanos()));
        publish(m, results, out);
        if (o.failed() > 0) {
            err.printf("nestwalk: %d runs failed (their errors are in runs.csv); run the experiment again to retry "
                    + "them%n", o.failed());
            return Main.FAILED;
        }
        return 0;
    }

    /**
     * Opens every trace the experiment replays, so that a missing or damaged one is reported before anything runs
     * rather than by every run of it. (Merging needs no traces: it only reads stored rows.)
     */
    private static void checkTraces(Manifest m) {
        m.configurations().stream().map(c -> c.settings().choice("workload.trace")).filter(t -> !t.equals("none"))
                .distinct().forEach(t -> TraceReader.open(Path.of(t)).close());
    }

    /** Rebuilds an experiment's outputs from the rows in its results directory. */
    static int merge(Path dir, PrintWriter out) {
        ResultsDirectory results = new ResultsDirectory(dir);
        Manifest m = Manifest.expand(results.load());
        publish(m, results, out);
        return 0;
    }

    private static void publish(Manifest m, ResultsDirectory results, PrintWriter out) {
        ResultsDirectory.Published p = results.publish(m);
        for (Analysis.Overall o : p.analysis().overall()) {
            out.printf(Locale.ROOT, "%s%s: %.3f x the speed of %s %s (95 %% CI %.3f-%.3f, n = %d)%n",
                    o.mode().label(), o.factors().isEmpty() ? "" : " " + o.factors(), o.speedup().mean(),
                    m.experiment().baseline().label(), o.workloads() == 1 ? "on its workload"
                            : "over " + o.workloads() + " workloads (geometric mean)",
                    o.speedup().low(), o.speedup().high(), o.speedup().n());
        }
        out.printf("wrote %d files; see %s%n", p.files().size(), results.path().resolve("README.md"));
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

    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        return s < 60 ? s + " s" : s < 3600 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
