package org.nestwalk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import org.nestwalk.config.Settings;
import org.nestwalk.config.WorkloadConfig;
import org.nestwalk.report.TextTable;
import org.nestwalk.sim.HoldModel;
import org.nestwalk.sim.ReplicationRunner;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.Simulation;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.walk.ModeKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nestwalk bench}: how fast the simulator runs, on fixed built-in workloads, one replication at a time on
 * one thread, after a JIT warm-up run; and how much heap a run holds, for two run lengths.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures simulated references (and page walks) per second of wall-clock time on fixed "
                + "built-in workloads, single-threaded, median (and range) of --repeat runs after a warm-up run; then "
                + "the live heap during runs of two lengths, which must not grow with the number of references.",
                "Wall-clock speed depends on the machine and on what else runs on its host: compare builds on the "
                + "same machine, side by side."})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--repeat", paramLabel = "K", defaultValue = "5",
            description = "Timed runs per case; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--scale", paramLabel = "X", defaultValue = "1.0",
            description = "Multiplies every case's number of references (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--only", paramLabel = "WORD", split = ",",
            description = "Runs only the cases and parts whose names contain one of these words (e.g. gups,events; "
                    + "the parts are the cases, events, trace reading, lookup floor and heap).")
    List<String> only;

    @Option(names = "--floor-trace", paramLabel = "FILE",
            description = "Measures the lookup floor (see --only floor) on these traces instead of the built-in real "
                    + "trace, each over at most 20 M references times --scale.")
    List<Path> floorTraces;

    /** One fixed workload, simulated by one run of {@code spec(scale)}. */
    private record Case(String name, String description, DoubleFunction<RunSpec> spec) {
        /** A preset workload, with settings. */
        static Case preset(String name, String description, ModeKind mode, String preset, long references,
                           String... settings) {
            return new Case(name, description, scale -> {
                Settings s = WorkloadConfig.withPreset(Settings.defaults(), preset);
                for (int i = 0; i < settings.length; i += 2) {
                    s = s.with(settings[i], settings[i + 1], "bench");
                }
                long n = Math.max(1000, Math.round(references * scale));
                return RunSpec.of(mode, s, preset, 1, 0, n, 0);
            });
        }

        /** The whole of {@code trace}, replayed as {@code run --trace} does. */
        static Case trace(String name, ModeKind mode, BenchTrace trace) {
            return new Case(name, "the real trace below, " + mode.label(), scale -> {
                Settings s = Settings.defaults().with("workload.trace", trace.path().toString(), "bench")
                        .with("workload.prefault", "false", "bench");
                return RunSpec.of(mode, s, "bench-trace", 1, 0, trace.references(), 0);
            });
        }
    }

    private static final List<Case> CASES = List.of(
            Case.preset("tlb-hits native", "sequential 8-byte stream over 2 MiB: TLB and cache hits",
                    ModeKind.NATIVE, "stream", 60_000_000, "workload.footprint", "2MiB"),
            Case.preset("tlb-hits nested", "the same under nested paging", ModeKind.NESTED, "stream", 60_000_000,
                    "workload.footprint", "2MiB"),
            Case.preset("2D walks", "nested; one reference per page (stride 4 KiB + 64 B) over 8 MiB: every "
                    + "reference misses the TLB, the tables stay in the caches", ModeKind.NESTED, "stream", 3_000_000,
                    "workload.footprint", "8MiB", "workload.stride", "4160"),
            Case.preset("gups nested", "nested; uniform random over 1 GiB: TLB and DRAM misses on every reference",
                    ModeKind.NESTED, "random", 1_000_000),
            // Several vCPUs cost about their number times one if the references per vCPU and second stay put.
            Case.preset("gups nested 2 vCPUs", "the same as two threads on two vCPUs (each makes the references)",
                    ModeKind.NESTED, "random", 500_000, "machine.vcpus", "2", "workload.threads", "2"),
            Case.preset("gups nested 4 vCPUs", "the same as four threads on four vCPUs", ModeKind.NESTED, "random",
                    250_000, "machine.vcpus", "4", "workload.threads", "4"));

    /** References of the real trace at scale 1 (the program makes about 9 M; the capture stops there). */
    private static final long REAL_TRACE_REFERENCES = 5_000_000;

    /** Events pending in the hold-model measurements of the cost of one event. */
    private static final int[] PENDING = {1, 16, 1000};

    @Override
    public void run() {
        if (repeat < 1 || !(scale > 0)) {
            throw new ParameterException(spec.commandLine(), "--repeat must be at least 1 and --scale positive");
        }
        if (floorTraces != null) {
            // A mistyped trace is refused before the cases run, not after their minutes.
            for (Path p : floorTraces) {
                TraceReader.open(p).close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "nestwalk %s bench: Java %s, %d processors, max heap %d MiB; one replication at a "
                        + "time, median of %d timed runs after one warm-up run%n%n", Main.version(),
                System.getProperty("java.version"), rt.availableProcessors(), rt.maxMemory() >> 20, repeat);
        List<Case> cases = new ArrayList<>();
        CASES.stream().filter(c -> selected(c.name)).forEach(cases::add);
        BenchTrace trace = null;
        try {
            boolean floorOnBuiltIn = selected("lookup floor") && floorTraces == null;
            if (selected("real trace native") || selected("real trace nested") || floorOnBuiltIn) {
                trace = BenchTrace.prepare(Math.max(1000, Math.round(REAL_TRACE_REFERENCES * scale)));
                for (ModeKind mode : new ModeKind[] {ModeKind.NATIVE, ModeKind.NESTED}) {
                    String name = "real trace " + mode.label();
                    if (selected(name)) {
                        cases.add(Case.trace(name, mode, trace));
                    }
                }
            }
            if (!cases.isEmpty()) {
                out.print(table(cases, out));
                if (trace != null) {
                    out.printf(Locale.ROOT, "Real trace: %s.%n", trace.description());
                }
                out.println("ns/ref: wall-clock time of the whole run (building the machine included) per reference.");
                out.println();
            }
            if (selected("lookup floor")) {
                lookupFloor(out, floorTraces != null ? floorTraces : List.of(trace.path()));
            }
        } finally {
            if (trace != null) {
                trace.close();
            }
        }
        if (selected("events")) {
            eventCost(out);
        }
        if (selected("trace reading")) {
            traceReading(out);
        }
        if (selected("heap")) {
            heap(out);
        }
    }

    /** The {@link LookupFloor} of each trace: what decoding, the dTLB and the caches alone cost per reference. */
    private void lookupFloor(PrintWriter out, List<Path> traces) {
        long max = Math.max(1000, Math.round(20_000_000 * scale));
        out.printf(Locale.ROOT, "Lookup floor: the simulator's own trace decoding, dTLB and data caches on each data "
                + "reference, without the core's timing model, the guest, walks or events (a dTLB miss is filled at "
                + "once); ns per reference, the first pass in this process (a fresh JVM's when this is the only part "
                + "run) / the median of %d more:%n", repeat);
        TextTable t = new TextTable("lrrrr").row("trace", "references", "decode", "+ dTLB", "+ caches");
        LookupFloor floor = new LookupFloor();
        for (Path p : traces) {
            LookupFloor.Floor f = floor.measure(p, max, repeat);
            double[][] ns = f.nanosPerReference();
            String[] cells = new String[ns.length];
            for (int l = 0; l < ns.length; l++) {
                cells[l] = String.format(Locale.ROOT, "%.1f / %.1f", ns[l][0], ns[l][1]);
            }
            t.row(p.getFileName().toString(), String.format(Locale.ROOT, "%,d", f.references()), cells[0], cells[1], cells[2]);
            out.flush();
        }
        out.print(t);
        out.println();
    }

    private boolean selected(String part) {
        return only == null || only.stream().anyMatch(w -> part.toLowerCase(Locale.ROOT)
                .contains(w.toLowerCase(Locale.ROOT)));
    }

    /** Runs each case (a warm-up run, then {@code repeat} timed ones) and tabulates the medians. */
    private TextTable table(List<Case> cases, PrintWriter out) {
        TextTable t = new TextTable("lrrrrrrl").row("case", "references", "M refs/s", "(min-max)", "ns/ref",
                "M walks/s", "events/ref", "workload");
        for (Case c : cases) {
            RunSpec s = c.spec.apply(scale);
            Simulation.run(s);
            double[] refRate = new double[repeat];
            double[] walkRate = new double[repeat];
            RunResult last = null;
            for (int i = 0; i < repeat; i++) {
                last = Simulation.run(s);
                refRate[i] = last.referencesPerSecond();
                walkRate[i] = last.walks() * 1e9 / last.wallNanos();
            }
            double[] sorted = refRate.clone();
            Arrays.sort(sorted);
            double rate = median(refRate);
            // Every vCPU makes the spec's references.
            long references = s.references() * s.machine().vcpus();
            t.row(c.name, String.format(Locale.ROOT, "%,d", references), fmt(rate / 1e6),
                    "(" + fmt(sorted[0] / 1e6) + "-" + fmt(sorted[sorted.length - 1] / 1e6) + ")",
                    String.format(Locale.ROOT, "%.1f", 1e9 / rate), fmt(median(walkRate) / 1e6),
                    String.format(Locale.ROOT, "%.3f", (double) last.events() / references), c.description);
            out.flush();
        }
        return t;
    }

    /**
     * What one event costs on the DSOL seam: a {@link HoldModel} with a fixed number of pending events, each running
     * entity rescheduling its own action, timed from its first event to its last.
     */
    private void eventCost(PrintWriter out) {
        long events = Math.max(1_000_000, Math.round(3_000_000 * scale));
        out.printf(Locale.ROOT, "Cost of one event on the DSOL seam (hold model: entities each rescheduling their own "
                + "action 1-200 cycles ahead, %,d events; median of %d runs after a warm-up run):%n", events, repeat);
        for (int pending : PENDING) {
            double[] ns = new double[repeat];
            for (int i = -1; i < repeat; i++) {
                HoldModel m = new HoldModel(pending, events, 1);
                ReplicationRunner.run("bench-events", m, 1, 3600);
                if (i >= 0) {
                    ns[i] = m.nanosPerEvent();
                }
            }
            double[] sorted = ns.clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "  %,5d pending: %6.1f ns/event (%.1f-%.1f)%n", pending, median(ns), sorted[0],
                    sorted[sorted.length - 1]);
            out.flush();
        }
        out.println();
    }

    /**
     * Writes a synthetic trace (70 % sequential 8-byte steps, 30 % jumps within 1 GiB, 0-9 instructions between
     * references) to a temporary file, and times reading every record back: what replaying a trace costs.
     */
    private void traceReading(PrintWriter out) {
        long n = Math.max(1000, Math.round(20_000_000 * scale));
        Path file = null;
        try {
            file = Files.createTempFile("nestwalk-bench", ".trace");
            BenchTrace.writeSynthetic(file, n);
            double[] rate = new double[repeat + 1];
            for (int i = 0; i <= repeat; i++) {
                long t0 = System.nanoTime();
                try (TraceReader r = TraceReader.open(file)) {
                    while (r.next() != TraceReader.END) {
                        // Decoding and checking every record is what is timed.
                    }
                }
                rate[i] = n * 1e9 / (System.nanoTime() - t0);
            }
            double[] timed = Arrays.copyOfRange(rate, 1, rate.length);
            out.printf(Locale.ROOT, "Trace reading: %,d references (%.2f bytes each, zstd) read and checked at %s M "
                            + "records/s (median; first read discarded)%n%n", n, (double) Files.size(file) / n,
                    fmt(median(timed) / 1e6));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary trace: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // A temporary file; the system cleans it up.
                }
            }
        }
    }

    /** Live heap (after a full GC) sampled during runs of N and 4N references of the same workload. */
    private void heap(PrintWriter out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<String> lines = new ArrayList<>();
        for (long n : new long[] {Math.round(2_000_000 * scale), Math.round(8_000_000 * scale)}) {
            Settings s = WorkloadConfig.withPreset(Settings.defaults(), "zipf");
            RunSpec spec = RunSpec.of(ModeKind.NESTED, s, "zipf", 1, 0, Math.max(1000, n), 0);
            long[] peak = {0};
            Thread sampler = new Thread(() -> {
                try {
                    while (true) {
                        System.gc();
                        peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed());
                        Thread.sleep(200);
                    }
                } catch (InterruptedException e) {
                    // done
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            Simulation.run(spec);
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.add(String.format(Locale.ROOT, "  %,12d references: %6.1f MiB", spec.references(),
                    peak[0] / 1048576.0));
        }
        out.println("Live heap during a run (nested, zipf over 1 GiB, sampled after full GCs every 200 ms):");
        lines.forEach(out::println);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
