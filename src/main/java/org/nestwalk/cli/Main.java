package org.nestwalk.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import org.nestwalk.config.ConfigException;
import org.nestwalk.pagetable.OutOfFramesException;
import org.nestwalk.sim.SimulationException;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.util.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code nestwalk} command: a discrete-event simulator of address translation in virtualized systems. */
@Command(name = "nestwalk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Simulates how a virtual machine's memory references are translated, on a discrete-event "
                + "model (DSOL) of the vCPU, page walker, caches, memory controller, guest OS and hypervisor. Modes: "
                + "native (a 4-level walk, no VM), nested (2D walks with a page walk cache and a nested TLB), "
                + "flat-nested (2D walks over a flat nested table), shadow (walks of shadow tables the hypervisor "
                + "keeps in sync), spec-shadow (speculative inverted shadow paging, verified by a flat-nested walk); "
                + "and three schemes that came later: hashed-nested (the nested dimension as a cuckoo hash table), "
                + "pom-tlb (a large TLB in memory, probed before the 2D walk) and agile (a shadow walk that switches "
                + "to the 2D walk where the guest writes its tables often).",
                "",
                "Start with 'nestwalk run --quick' (the paper's five modes on two workloads, seconds), 'nestwalk explain' (one "
                + "walk, reference by reference) or 'nestwalk params' (every parameter, workload preset and "
                + "metric)."},
        subcommands = {RunCommand.class, SweepCommand.class, MergeCommand.class, TraceCommand.class,
                ExplainCommand.class, BenchCommand.class, ParamsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input. */
    static final int BAD_INPUT = 2;
    /** Exit code for a simulation that failed. */
    static final int FAILED = 1;
    /** Exit code for a bug in nestwalk. */
    static final int INTERNAL = 70;

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Log what each run does (machine set-up, events, wall time) and, on an internal error, its "
                    + "stack trace, to standard error.")
    void verbose(boolean on) {
        // tinylog's configuration is fixed at its first use; a second command in the same JVM keeps the first's.
        if (on && !Configuration.isFrozen()) {
            Configuration.set("writer.level", "debug");
        }
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing command: run, sweep, merge, trace, explain, bench or params (nestwalk --help lists them)");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line, printing to the given streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(o);
        cl.setErr(e);
        cl.setParameterExceptionHandler((ex, a) -> {
            e.println("nestwalk: " + oneLine(ex.getMessage()));
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException
                    || ex instanceof OutOfFramesException || ex instanceof TraceFormatException) {
                e.println("nestwalk: " + oneLine(ex.getMessage()));
                return BAD_INPUT;
            }
            if (ex instanceof SimulationException && (ex.getCause() instanceof OutOfFramesException
                    || ex.getCause() instanceof TraceFormatException || ex.getCause() instanceof ConfigException)) {
                // Bad input found only once a run used it (a memory too small, a trace that is missing or damaged):
                // the user's to fix, so the cause's own message, without the simulator's wrapping.
                e.println("nestwalk: " + oneLine(ex.getCause().getMessage()));
                return BAD_INPUT;
            }
            if (ex instanceof java.io.UncheckedIOException io) {
                // A results directory that cannot be written: the user's to fix, and nothing stored is lost.
                e.println("nestwalk: " + oneLine(io.getMessage()));
                return FAILED;
            }
            if (ex instanceof SimulationException) {
                e.println("nestwalk: simulation failed: " + oneLine(ex.getMessage()));
                Logger.debug(ex, "simulation failed");
                return FAILED;
            }
            e.println("nestwalk: internal error, please report it (--verbose shows where): "
                    + oneLine(String.valueOf(ex)));
            Logger.debug(ex, "internal error");
            return INTERNAL;
        });
        try {
            return cl.execute(args);
        } finally {
            o.flush();
            e.flush();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replace('\n', ' ');
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nestwalk " + version()};
        }
    }

    static String version() {
        return BuildInfo.version();
    }
}
