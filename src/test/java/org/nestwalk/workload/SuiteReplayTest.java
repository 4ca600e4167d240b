package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.cli.CliRun;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.trace.capture.ToolBuilder;
import org.nestwalk.trace.capture.TraceCapture;

/**
 * The workload suite (experiments/workloads/make-suite.sh) at its test scale: the script itself builds every program,
 * makes its input, counts its initialization and captures a window after it; each window, and the first references
 * of each program from its start (where the dynamic loader maps, protects and unmaps), then replays with exactly the
 * data references, instructions and mapping events that {@code trace info} reports. Needs Linux with gcc and
 * valgrind; the SQLite and Redis workloads also need sqlite3 and redis-server (.ci/run installs them all).
 */
class SuiteReplayTest {
    private static final long WINDOW = 100_000;
    private static final long START = 20_000;

    @TempDir
    static Path dir;
    static Path traces;
    static String log;

    @BeforeAll
    static void captureTheSuite() throws IOException, InterruptedException {
        ToolBuilder tools = ToolBuilder.standard();
        boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
        boolean ready = linux && tools.find("gcc") != null && tools.find("valgrind") != null
                && tools.find("bash") != null;
        if (!ready) {
            System.err.println("SuiteReplayTest: skipped, needs Linux with bash, gcc and valgrind in PATH");
        }
        Assumptions.assumeTrue(ready, "needs Linux with bash, gcc and valgrind");
        traces = dir.resolve("suite");
        Path script = Path.of("experiments/workloads/make-suite.sh").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "--scale", "test", "--refs",
                Long.toString(WINDOW), "--out", traces.toString());
        // The script runs this build of nestwalk, from the test's own class path.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        pb.environment().put("NESTWALK", java + " -cp " + System.getProperty("java.class.path")
                + " org.nestwalk.cli.Main");
        pb.environment().put("SKIP_MISSING", "1");
        Path output = dir.resolve("make-suite.log");
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        log = Files.readString(output);
        assertTrue(ended && p.exitValue() == 0, "make-suite.sh --scale test failed:\n" + log);
    }

    /** What {@code trace info} says of a trace. */
    private record Info(long references, long instructions, Map<String, Long> events, long presentPages) {
        long events(String kind) {
            return events.getOrDefault(kind, 0L);
        }
    }

    private static final Pattern COUNTS = Pattern.compile("  ([0-9,]+) references \\([0-9,]+ stores\\) over ([0-9,]+) "
            + "instructions");
    private static final Pattern EVENT = Pattern.compile("([0-9,]+) ([a-z][a-z ]*[a-z])");
    private static final Pattern PRESENT = Pattern.compile("  ([0-9,]+) pages \\([^)]*\\) present when recording "
            + "started");

    private static Info info(Path trace) {
        CliRun r = CliRun.of("trace", "info", trace.toString());
        assertEquals(0, r.code(), r.err());
        Matcher m = COUNTS.matcher(r.out());
        assertTrue(m.find(), r.out());
        Map<String, Long> events = new TreeMap<>();
        String line = r.out().lines().filter(l -> l.startsWith("  events: ")).findFirst().orElseThrow();
        Matcher e = EVENT.matcher(line);
        while (e.find()) {
            // "754,265 instruction page, 12 mmap, 1 brk": counts in words, as trace info prints them.
            events.put(e.group(2), Long.parseLong(e.group(1).replace(",", "")));
        }
        Matcher p = PRESENT.matcher(r.out());
        return new Info(Long.parseLong(m.group(1).replace(",", "")), Long.parseLong(m.group(2).replace(",", "")),
                events, p.find() ? Long.parseLong(p.group(1).replace(",", "")) : 0);
    }

    /**
     * The mapping events of a trace that change nothing, which replay passes over: a BRK that leaves the break
     * where it was, and mappings of no whole page.
     */
    private static long emptyMappingEvents(Path trace) {
        long empty = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind != TraceReader.EVENT) {
                    continue;
                }
                TraceEvent e = r.event();
                long length = e instanceof TraceEvent.Brk b ? Math.abs(b.newBreak() - b.oldBreak())
                        : e instanceof TraceEvent.Mmap m ? m.length()
                        : e instanceof TraceEvent.Munmap m ? m.length()
                        : e instanceof TraceEvent.Mprotect m ? m.length() : -1;
                empty += length == 0 ? 1 : 0;
            }
        }
        return empty;
    }

    /** The pages the kernel's accesses touch: replay turns each into one reference (TraceStream). */
    private static long kernelTouchedPages(Path trace) {
        long pages = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind == TraceReader.EVENT && r.event() instanceof TraceEvent.KernelTouch k && k.length() > 0) {
                    long end = k.address() + Math.min(k.length(), TraceStream.MAX_KERNEL_PAGES << 12);
                    pages += (end - 1 >>> 12) - (k.address() >>> 12) + 1;
                }
            }
        }
        return pages;
    }

    /** Replays {@code trace} to its end and checks it against {@code trace info}; returns the mapping events. */
    private static long replaysExactly(Path trace) {
        Info info = info(trace);
        RunResult r = Simulation.run(TestSpecs.spec("native", "random", 1_000_000_000L, 0, 1, "workload.trace",
                trace.toString()));
        assertEquals(info.references() + kernelTouchedPages(trace), r.references(),
                trace + ": every data reference, and one per page the kernel touched for the program");
        assertEquals(info.instructions(), r.instructions(), trace + ": every instruction");
        long mapping = info.events("mmap") + info.events("munmap") + info.events("mprotect") + info.events("brk")
                + 2 * info.events("mremap") + info.events("fork") + info.events("exec") + info.events("exit");
        assertEquals(mapping - emptyMappingEvents(trace), r.interval().cpu().systemCalls(),
                trace + ": every mapping event reaches the guest (" + info.events() + ")");
        return mapping;
    }

    private static Path trace(String name) {
        Path t = traces.resolve(name + ".trace");
        if (!Files.exists(t) && (name.equals("sqlite") || name.equals("kv"))) {
            Assumptions.assumeTrue(log.contains(name + ": left out"), name + " was not captured:\n" + log);
            Assumptions.abort(name + " needs " + (name.equals("kv") ? "redis-server" : "sqlite3"));
        }
        assertTrue(Files.exists(t), name + " was not captured:\n" + log);
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bfs", "pr", "hashjoin", "sqlite", "kv", "xsbench", "canneal", "gups", "chase"})
    void aWindowAfterTheInitializationReplaysExactly(String name) {
        Path t = trace(name);
        Info info = info(t);
        assertEquals(WINDOW, info.references(), name);
        long present = 0;
        try (TraceReader r = TraceReader.open(t)) {
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind == TraceReader.EVENT && r.event() instanceof TraceEvent.Present p) {
                    present += p.length() >>> 12;
                }
            }
        }
        assertTrue(present > 0, name + ": a window after the start knows the pages already present");
        assertEquals(present, info.presentPages(), name + ": trace info counts the PRESENT pages");
        try (TraceReader r = TraceReader.open(t)) {
            assertTrue(r.header().skippedInstructions() > 100_000, name + " was fast-forwarded past its start");
        }
        replaysExactly(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bfs", "pr", "hashjoin", "sqlite", "kv", "xsbench", "canneal", "gups", "chase"})
    void itsStartWithTheLoadersMappingsReplaysExactly(String name) {
        List<String> command;
        try (TraceReader r = TraceReader.open(trace(name))) {
            command = r.header().commandLine();
        }
        Path start = dir.resolve(name + "-start.trace");
        new TraceCapture(ToolBuilder.standard(), line -> { }).capture(command, start,
                new TraceCapture.Window(0, START, true, true));
        long mapping = replaysExactly(start);
        assertTrue(mapping >= 5, name + ": the loader maps the program's libraries (" + info(start).events() + ")");
    }
}
