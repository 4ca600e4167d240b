package org.nestwalk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nestwalk merge DIR}: rebuilds an experiment's summaries, plots and README from the rows it has. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Rebuilds an experiment's runs.csv, summary.csv, summary.json, plots and README.md from the "
                + "run results stored in its directory (runs/), whichever exist: after an interrupted run, or after "
                + "rows were computed elsewhere (a Slurm job array: 'nestwalk sweep --emit slurm') or copied in. Then "
                + "lists the rows the experiment still needs: never run, failed (with the error), or made with other "
                + "parameters, each with the array task that had it.",
                "",
                "Example:",
                "  nestwalk merge results/paper-headline"})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "An experiment's results directory.")
    Path dir;

    @Override
    public Integer call() {
        return ExperimentLauncher.merge(dir, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
