package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.nestwalk.trace.convert.InputFormat;
import org.nestwalk.trace.convert.TraceConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nestwalk trace convert}: turns a lackey log or a ChampSim trace into a nestwalk trace. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Converts a trace recorded by another tool into nestwalk's format: a Valgrind lackey log "
                + "(valgrind --tool=lackey --trace-mem=yes --log-file=FILE) or a ChampSim trace (.champsimtrace.xz). "
                + "Plain, .gz and .xz inputs are read. Neither tool records system calls, so the trace has data "
                + "references and instruction-page changes but no page-table events."})
final class TraceConvertCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The trace or log to convert.")
    Path input;

    @Option(names = "--from", paramLabel = "FORMAT",
            description = "lackey or champsim; guessed from the file name when omitted (*champsim* is ChampSim; "
                    + "*lackey*, *.log and *.txt are lackey).")
    String from;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The trace to write.")
    Path output;

    @Option(names = "--max-refs", paramLabel = "N",
            description = "Stop after N data references (default: convert the whole input).")
    long maxRefs = Long.MAX_VALUE;

    @Override
    public void run() {
        InputFormat format = from == null ? InputFormat.guess(input) : InputFormat.parse(from);
        TraceConverter.Result r = TraceConverter.convert(format, input, output, maxRefs);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %,d instructions, %,d references and %,d IPAGE events from %s %s%s%n", output,
                r.instructions(), r.references(), r.events(), format.cliName(), input,
                r.stoppedAtMax() ? " (stopped at --max-refs)" : "");
        out.printf(Locale.ROOT, "  converted in %.2f s (%.2f M %s/s)%n", r.seconds(),
                r.inputRecords() / Math.max(r.seconds(), 1e-9) / 1e6,
                format == InputFormat.LACKEY ? "lines" : "records");
    }
}
