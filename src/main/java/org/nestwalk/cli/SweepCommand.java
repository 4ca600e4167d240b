package org.nestwalk.cli;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.nestwalk.experiment.SlurmArray;
import org.nestwalk.experiment.StaleRows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nestwalk sweep --emit slurm EXPERIMENT --out DIR}: an experiment's missing rows as a Slurm job array; and
 * {@code nestwalk sweep --task K ARRAY}, what each task of the array runs.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs an experiment on a Slurm cluster, as a job array of the rows it still needs.",
                "",
                "With --emit slurm: writes the rows of the experiment that are not stored in DIR yet as "
                + "DIR/slurm/array-N/rows.csv (which task runs which rows) and DIR/slurm/array-N/sweep.sbatch (one "
                + "array task per chunk of rows, at most --throttle running at once), to submit with sbatch. Each "
                + "task stores each row's result in DIR/runs/ as it ends, so DIR must be on a file system the nodes "
                + "share. 'nestwalk merge DIR' builds the summaries from whatever finished and lists what is missing; "
                + "emitting again makes an array of the missing rows only (and, with adaptive replications, of the "
                + "next round's).",
                "With --task K ARRAY: runs task K of the array (what sweep.sbatch runs on a node; any machine that "
                + "sees DIR can run a task by hand).",
                "",
                "Examples:",
                "  nestwalk sweep --emit slurm experiments/tlb-sweep.yaml --out /shared/tlb",
                "  sbatch /shared/tlb/slurm/array-1/sweep.sbatch",
                "  nestwalk merge /shared/tlb"})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT|ARRAY",
            description = "With --emit: an experiment file. With --task: an array's directory, DIR/slurm/array-N.")
    Path target;

    @Option(names = "--emit", paramLabel = "ENGINE",
            description = "Write a job array for this engine: slurm (the only one).")
    String emit;

    @Option(names = "--task", paramLabel = "K", description = "Run task K of an array ($SLURM_ARRAY_TASK_ID).")
    Integer task;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The results directory (default: results/<name> in the current directory; with --quick, "
                    + "<temporary directory>/nestwalk-<user>/<name>-quick).")
    Path outDir;

    @Option(names = "--quick", description = "The experiment's quick variant.")
    boolean quick;

    @Option(names = "--rerun-stale", description = "Put the stored rows another build of nestwalk made into the "
            + "array, to run again (by default emitting refuses to mix builds).")
    boolean rerunStale;

    @Option(names = "--reuse-stale", description = "Keep the stored rows another build made as they are.")
    boolean reuseStale;

    @Option(names = "--rows-per-task", paramLabel = "N",
            description = "Rows each task runs (default: 1, or as many as keep the array within "
                    + SlurmArray.DEFAULT_MAX_TASKS + " tasks, Slurm's default MaxArraySize).")
    Integer rowsPerTask;

    @Option(names = "--throttle", paramLabel = "N", defaultValue = "100",
            description = "At most N tasks run at once (--array=0-K%%N; default: ${DEFAULT-VALUE}).")
    int throttle;

    @Option(names = "--cpus-per-task", paramLabel = "N", defaultValue = "1",
            description = "CPUs per task; a task runs this many of its rows at once (default: ${DEFAULT-VALUE}).")
    int cpusPerTask;

    @Option(names = "--partition", paramLabel = "NAME", description = "sbatch --partition (default: the cluster's).")
    String partition;

    @Option(names = "--account", paramLabel = "NAME", description = "sbatch --account.")
    String account;

    @Option(names = "--time", paramLabel = "LIMIT",
            description = "sbatch --time of each task, e.g. 30:00 (default: the partition's).")
    String time;

    @Option(names = "--mem", paramLabel = "SIZE", description = "sbatch --mem of each task, e.g. 2G.")
    String memory;

    @Option(names = "--sbatch", paramLabel = "OPTION",
            description = "Another sbatch option for the script, e.g. --sbatch=--qos=short (repeatable).")
    List<String> directives = new ArrayList<>();

    @Option(names = "--java", paramLabel = "PATH",
            description = "The java the nodes run (default: the one running this command, by its full path).")
    String java;

    @Option(names = "--jobs", paramLabel = "N",
            description = "With --task: rows run at once (default: the number of processors).")
    Integer jobs;

    @Override
    public Integer call() {
        if ((emit == null) == (task == null)) {
            throw new ParameterException(spec.commandLine(), "give --emit slurm EXPERIMENT (to write a job array) or"
                    + " --task K ARRAY (to run a task of one); to run an experiment here, use 'nestwalk run'");
        }
        if (task != null) {
            if (spec.commandLine().getParseResult().matchedOptions().stream().map(OptionSpec::longestName)
                    .anyMatch(n -> !List.of("--task", "--jobs", "--verbose").contains(n))) {
                throw new ParameterException(spec.commandLine(), "with --task, only --jobs applies (the array "
                        + "holds everything else)");
            }
            if (task < 0) {
                throw new ParameterException(spec.commandLine(), "--task must be 0 or more, not " + task);
            }
            int threads = Jobs.resolve(jobs, spec.commandLine(), spec.commandLine().getErr());
            return ExperimentLauncher.runTask(target, task, threads, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        if (!emit.equals("slurm")) {
            throw new ParameterException(spec.commandLine(), "--emit: expected slurm (the only engine), not '"
                    + emit + "'");
        }
        if (jobs != null) {
            throw new ParameterException(spec.commandLine(), "--jobs is for --task; an array's tasks run "
                    + "--cpus-per-task rows at once");
        }
        if (rowsPerTask != null && rowsPerTask < 1) {
            throw new ParameterException(spec.commandLine(), "--rows-per-task must be at least 1, not " + rowsPerTask);
        }
        List<String> sbatch = directives.stream().map(d -> d.startsWith("-") ? d : "--" + d).toList();
        SlurmArray.Options o = new SlurmArray.Options(rowsPerTask == null ? 0 : rowsPerTask, throttle, cpusPerTask,
                partition, account, time, memory, sbatch, selfCommand(java), Path.of("").toAbsolutePath());
        if (rerunStale && reuseStale) {
            throw new ParameterException(spec.commandLine(), "give --rerun-stale or --reuse-stale, not both");
        }
        StaleRows.Policy stale = rerunStale ? StaleRows.Policy.RERUN : reuseStale ? StaleRows.Policy.REUSE
                : StaleRows.Policy.REFUSE;
        return ExperimentLauncher.emitSlurm(target, outDir, quick, stale, o, spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /**
     * The command that starts this nestwalk on a node: {@code java -jar nestwalk.jar}, or, when it runs from classes
     * (tests, an IDE), java with its class path and the main class.
     */
    static List<String> selfCommand(String java) {
        String j = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path code;
        try {
            code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException x) {
            code = null;
        }
        if (code != null && Files.isRegularFile(code)) {
            return List.of(j, "-jar", code.toAbsolutePath().toString());
        }
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return List.of(j, "-cp", String.join(File.pathSeparator, entries), Main.class.getName());
    }
}
