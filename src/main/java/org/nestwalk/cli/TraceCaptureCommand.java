package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.capture.ToolBuilder;
import org.nestwalk.trace.capture.TraceCapture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nestwalk trace capture -o FILE -- PROG ARGS...}: records a real program's trace under Valgrind. */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Runs a Linux program under Valgrind with nestwalk's tool nwtrace and records its data "
                + "references and page-table events as a trace (docs/trace-format.md). Needs gcc and valgrind "
                + "(apt-get install gcc valgrind); the tool is built on first use into ~/.cache/nestwalk/nwtrace.",
                "Every process of the program's tree is recorded (a forked child from the fork on, a program an "
                + "execve starts from its beginning, each with its own --skip-instrs and --max-refs); the trace "
                + "holds them one after another, each after a SWITCH to its pid. --no-follow records only the "
                + "started process (forked children appear as FORK events; a successful execve ends the trace)."})
final class TraceCaptureCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The trace to write.")
    Path output;

    @Option(names = "--skip-instrs", paramLabel = "N", defaultValue = "0",
            description = "Run N instructions before recording (to a basic block; the header has the exact count).")
    long skipInstructions;

    @Option(names = "--max-refs", paramLabel = "N", defaultValue = "0",
            description = "Stop recording after N data references (in each process); the program runs on untraced "
                    + "(0: no limit).")
    long maxReferences;

    @Option(names = "--stop", description = "End the program once the --max-refs window is recorded, instead of "
            + "letting it run to its end (uninstrumented, but still under Valgrind).")
    boolean stop;

    @Option(names = "--no-follow", description = "Record only the started process, not its children.")
    boolean noFollow;

    @Parameters(arity = "1..*", paramLabel = "PROG", description = "The program and its arguments, after --.")
    List<String> command;

    @Override
    public void run() {
        if (skipInstructions < 0 || maxReferences < 0) {
            throw new ConfigException("--skip-instrs and --max-refs must be 0 or more");
        }
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        TraceCapture.Result r = new TraceCapture(ToolBuilder.standard(), line -> err.println("[capture] " + line))
                .capture(command, output, new TraceCapture.Window(skipInstructions, maxReferences, stop, !noFollow));
        double seconds = (System.nanoTime() - t0) / 1e9;
        // On standard error, like the progress lines: standard output is the traced program's.
        err.printf(Locale.ROOT, "[capture] wrote %s: %,d references and %,d events (%,d instructions skipped) in %.1f s"
                + " (%.2f M references/s)%s%s%n", output, r.references(), r.events(), r.skippedInstructions(), seconds,
                r.references() / seconds / 1e6, r.streams() == 1 ? "" : " from " + r.streams() + " process streams",
                r.exitStatus() == 0 ? "" : stop ? "; the program was stopped"
                : "; the program exited with status " + r.exitStatus());
    }
}
