package org.nestwalk.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nestwalk trace}: capturing, converting and inspecting traces of real programs. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Traces of real programs: every data reference and page-table event, in nestwalk's compact "
                + "format (docs/trace-format.md)."},
        subcommands = {TraceInfoCommand.class, TraceConvertCommand.class, TraceCaptureCommand.class})
final class TraceCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (nestwalk trace --help lists them)");
    }
}
