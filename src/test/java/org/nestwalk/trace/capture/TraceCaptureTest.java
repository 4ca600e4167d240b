package org.nestwalk.trace.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.config.ConfigException;
import org.nestwalk.sim.RunResult;
import org.nestwalk.sim.Simulation;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

class TraceCaptureTest {
    private static final int PAGES = 64;
    private static final int LOADS = 1000;

    /**
     * mmaps 64 pages, stores once to each, loads 1000 times from page 0; then, with "fork", forks a child that stores
     * to them again, or with "exec", forks a child that runs the program afresh (without arguments).
     */
    private static final String PROGRAM = """
            #include <sys/mman.h>
            #include <sys/wait.h>
            #include <unistd.h>
            int main(int argc, char **argv) {
                volatile char *p = mmap(0, %d * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                if (p == MAP_FAILED) return 3;
                for (int i = 0; i < %d; i++) p[i * 4096] = 1;
                long s = 0;
                for (int i = 0; i < %d; i++) s += p[8];
                if (argc > 1) {
                    pid_t c = fork();
                    if (c == 0 && argv[1][0] == 'e') { char *a[] = {argv[0], 0}; execv(argv[0], a); _exit(4); }
                    if (c == 0) { for (int i = 0; i < %d; i++) p[i * 4096] = 2; _exit(0); }
                    int st; waitpid(c, &st, 0);
                }
                return s == 0 ? 0 : 1;
            }
            """.formatted(PAGES, PAGES, LOADS, PAGES);

    @TempDir
    static Path dir;
    static Path program;

    @BeforeAll
    static void compile() throws IOException, InterruptedException {
        ToolBuilder standard = ToolBuilder.standard();
        boolean linux = System.getProperty("os.name", "").toLowerCase().contains("linux");
        if (!linux || standard.find("gcc") == null || standard.find("valgrind") == null) {
            System.err.println("TraceCaptureTest: skipped, needs Linux with gcc and valgrind in PATH");
        }
        Assumptions.assumeTrue(linux, "needs Linux");
        Assumptions.assumeTrue(standard.find("gcc") != null, "gcc is not installed");
        Assumptions.assumeTrue(standard.find("valgrind") != null, "valgrind is not installed");
        program = compile("touch", PROGRAM);
    }

    /** Compiles C {@code source} into an executable called {@code name}, without optimizations that drop accesses. */
    private static Path compile(String name, String source) throws IOException, InterruptedException {
        Path c = dir.resolve(name + ".c");
        Files.writeString(c, source);
        Path binary = dir.resolve(name);
        Process p = new ProcessBuilder(ToolBuilder.standard().find("gcc").toString(), "-O0", "-o", binary.toString(),
                c.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "gcc failed on " + c);
        return binary;
    }

    /** What a trace says about the test program's region. */
    private record Seen(long loads, long stores, long mmaps, long forks, long references, long skipped) {
    }

    private static Seen read(Path trace) {
        try (TraceReader r = TraceReader.open(trace)) {
            long start = -1;
            long loads = 0;
            long stores = 0;
            long mmaps = 0;
            long forks = 0;
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind == TraceReader.EVENT) {
                    if (r.event() instanceof TraceEvent.Mmap m && m.length() == PAGES * 4096L && m.prot() == 3
                            && m.flags() == 0x22) {
                        start = m.address();
                        mmaps++;
                    }
                    if (r.event() instanceof TraceEvent.Fork) {
                        forks++;
                    }
                } else if (start >= 0 && r.address() >= start && r.address() < start + PAGES * 4096L) {
                    if (r.store()) {
                        stores++;
                    } else {
                        loads++;
                    }
                }
            }
            return new Seen(loads, stores, mmaps, forks, r.references(), r.header().skippedInstructions());
        }
    }

    /** A window that follows children, as the command line's default. */
    private static TraceCapture.Window window(long skip, long maxReferences, boolean stop) {
        return new TraceCapture.Window(skip, maxReferences, stop, true);
    }

    /**
     * Stores and loads to the test region, per process and program image ("PID.K", K counting the process's EXECs),
     * following SWITCH events; and the FORK events' child pids.
     */
    private record Processes(Map<String, long[]> accesses, List<Long> forked, long firstPid) {
    }

    private static Processes readProcesses(Path trace) {
        try (TraceReader r = TraceReader.open(trace)) {
            Map<String, long[]> accesses = new TreeMap<>();
            Map<Long, Integer> images = new HashMap<>();
            Map<String, Long> regionStart = new HashMap<>();
            List<Long> forked = new ArrayList<>();
            long pid = r.header().pid();
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                String key = pid + "." + images.getOrDefault(pid, 0);
                if (kind == TraceReader.EVENT) {
                    TraceEvent e = r.event();
                    if (e instanceof TraceEvent.Switch sw) {
                        pid = sw.pid();
                    } else if (e instanceof TraceEvent.Exec) {
                        images.merge(pid, 1, Integer::sum);
                    } else if (e instanceof TraceEvent.Fork f) {
                        forked.add(f.childPid());
                        regionStart.put(f.childPid() + ".0", regionStart.get(key));
                    } else if (e instanceof TraceEvent.Mmap m && m.length() == PAGES * 4096L) {
                        regionStart.put(key, m.address());
                    }
                    continue;
                }
                Long start = regionStart.get(key);
                if (start != null && r.address() >= start && r.address() < start + PAGES * 4096L) {
                    accesses.computeIfAbsent(key, k -> new long[2])[r.store() ? 1 : 0]++;
                }
            }
            return new Processes(accesses, forked, r.header().pid());
        }
    }

    /** The pages the kernel's accesses in {@code trace} touch: each becomes a reference when it is replayed. */
    private static long kernelTouchedPages(Path trace) {
        long pages = 0;
        try (TraceReader r = TraceReader.open(trace)) {
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind == TraceReader.EVENT && r.event() instanceof TraceEvent.KernelTouch k && k.length() > 0) {
                    long end = k.address() + Math.min(k.length(), 1024L << 12);
                    pages += (end - 1 >>> 12) - (k.address() >>> 12) + 1;
                }
            }
        }
        return pages;
    }

    @Test
    @Timeout(60)
    void followsAForkedChild() {
        Path trace = dir.resolve("follow-fork.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString(), "fork"), trace, window(0, 0, false));
        assertEquals(2, r.streams());
        Processes p = readProcesses(trace);
        assertEquals(1, p.forked().size());
        long child = p.forked().get(0);
        assertArrayEquals(new long[] {LOADS, PAGES}, p.accesses().get(p.firstPid() + ".0"), "the parent");
        // The child inherits the region (its MMAP was the parent's) and stores to each page once.
        assertArrayEquals(new long[] {0, PAGES}, p.accesses().get(child + ".0"), "the child");
        assertEquals(2, p.accesses().size(), p.accesses().keySet().toString());
    }

    @Test
    @Timeout(60)
    void followsAProgramAChildExecs() {
        Path trace = dir.resolve("follow-exec.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString(), "exec"), trace, window(0, 0, false));
        assertEquals(0, r.exitStatus());
        assertEquals(3, r.streams(), "the parent, the forked child until its execve, and the program it started");
        Processes p = readProcesses(trace);
        long child = p.forked().get(0);
        assertArrayEquals(new long[] {LOADS, PAGES}, p.accesses().get(p.firstPid() + ".0"), "the parent");
        // The program the child exec'd maps its own region and touches it as the parent did; before the execve
        // the child touched nothing of the region.
        assertArrayEquals(new long[] {LOADS, PAGES}, p.accesses().get(child + ".1"), "the exec'd program");
        assertEquals(2, p.accesses().size(), p.accesses().keySet().toString());

        // Replayed, every process runs its own records: the parent, then the child and the program it exec'd.
        RunResult sim = Simulation.run(TestSpecs.spec("nested", "random", 100_000_000, 0, 1, "workload.trace",
                trace.toString(), "workload.prefault", "false"));
        assertEquals(r.references() + kernelTouchedPages(trace), sim.interval().cpu().references(),
                "every reference of every process, and one per page the kernel touched for them");
        assertEquals(1, sim.interval().guest().forks());
        assertEquals(1, sim.interval().guest().execs());
        assertEquals(2, sim.interval().guest().exits());
    }

    private static TraceCapture capture() {
        return new TraceCapture(ToolBuilder.standard(), line -> System.err.println(line));
    }

    @Test
    @Timeout(60)
    void stopEndsTheProgramOnceItsWindowIsRecorded() throws IOException, InterruptedException {
        // A program that would run for hours under Valgrind: only --stop lets the capture end in seconds.
        Path forever = compile("forever", """
                int main(void) {
                    static volatile long x[512];
                    for (unsigned long i = 0;; i++) x[i & 511] += i;
                }
                """);
        Path trace = dir.resolve("forever.trace");
        TraceCapture.Result r = capture().capture(List.of(forever.toString()), trace, window(1000, 5000, true));
        assertEquals(5000, r.references());
        assertEquals(5000, read(trace).references());
    }

    @Test
    @Timeout(60)
    void countsExactlyTheProgramsLoadsAndStores() {
        Path trace = dir.resolve("touch.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString()), trace, window(0, 0, false));
        assertEquals(0, r.exitStatus());
        Seen s = read(trace);
        assertEquals(1, s.mmaps(), "one MMAP event of the 64-page region");
        assertEquals(PAGES, s.stores());
        assertEquals(LOADS, s.loads());
        assertEquals(r.references(), s.references());
        assertEquals(0, s.skipped());
    }

    @Test
    @Timeout(60)
    void withoutFollowingRecordsOnlyTheParentOfAFork() {
        Path trace = dir.resolve("fork.trace");
        capture().capture(List.of(program.toString(), "fork"), trace, new TraceCapture.Window(0, 0, false, false));
        Seen s = read(trace);
        assertEquals(1, s.forks());
        assertEquals(PAGES, s.stores(), "the child's stores are not recorded");
        assertEquals(LOADS, s.loads());
    }

    @Test
    @Timeout(60)
    void stopsAfterMaxReferencesAndSkipsInstructions() {
        Path limited = dir.resolve("limited.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString()), limited, window(0, 100, false));
        assertEquals(100, r.references());
        assertEquals(100, read(limited).references());
        Path skipped = dir.resolve("skipped.trace");
        TraceCapture.Result k = capture().capture(List.of(program.toString()), skipped, window(50_000, 0, false));
        assertTrue(k.skippedInstructions() >= 50_000, "skipped " + k.skippedInstructions());
        assertTrue(k.skippedInstructions() < 50_100, "skipped to the block: " + k.skippedInstructions());
        Seen s = read(skipped);
        assertEquals(k.skippedInstructions(), s.skipped());
        assertTrue(s.references() > 0);
    }

    @Test
    @Timeout(60)
    void recordsThePagesPresentWhenRecordingStarts() {
        // A first capture finds how many instructions run before the first load of the program's loop.
        Path full = dir.resolve("present-full.trace");
        capture().capture(List.of(program.toString()), full, window(0, 0, false));
        long beforeLoads = -1;
        long region = -1;
        try (TraceReader r = TraceReader.open(full)) {
            long instructions = 0;
            for (int kind = r.next(); kind != TraceReader.END && beforeLoads < 0; kind = r.next()) {
                instructions += r.gap();
                if (kind == TraceReader.EVENT && r.event() instanceof TraceEvent.Mmap m && m.length() == PAGES * 4096L) {
                    region = m.address();
                } else if (kind == TraceReader.REFERENCE && !r.store() && region >= 0 && r.address() == region + 8) {
                    beforeLoads = instructions;
                }
            }
        }
        assertTrue(beforeLoads > 0);
        // Recording from there, the 64 pages the program stored to are resident: PRESENT covers them, writable.
        // (Valgrind places a program's mappings the same way in every run, so the region is where it was.)
        Path late = dir.resolve("present-late.trace");
        capture().capture(List.of(program.toString()), late, window(beforeLoads, 0, false));
        List<TraceEvent.Present> present = new ArrayList<>();
        try (TraceReader r = TraceReader.open(late)) {
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (kind == TraceReader.EVENT && r.event() instanceof TraceEvent.Present p) {
                    assertEquals(0, r.references(), "PRESENT comes before any reference");
                    assertEquals(0, p.address() & 4095, "page-aligned: " + p);
                    assertTrue(p.length() > 0 && (p.length() & 4095) == 0, "whole pages: " + p);
                    present.add(p);
                }
            }
        }
        for (int page = 0; page < PAGES; page++) {
            long va = region + page * 4096L;
            assertTrue(present.stream().anyMatch(p -> p.writable() && va >= p.address()
                    && va < p.address() + p.length()), "page " + page + " of the region is present and writable");
        }
    }

    @Test
    void missingToolsAreOneLineNamingThePackages() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        ToolBuilder nothing = ToolBuilder.withSearchPath(List.of(empty));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TraceCapture(nothing, line -> { }).capture(List.of(program.toString()),
                        dir.resolve("never.trace"), window(0, 0, false)));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains("gcc and valgrind not found"), m);
        assertTrue(m.contains("apt-get install gcc valgrind"), m);
        assertFalse(Files.exists(dir.resolve("never.trace")));
    }

    @Test
    void missingHeadersAreOneLine() throws IOException {
        ToolBuilder noHeaders = new ToolBuilder(ToolBuilder.pathDirectories(), dir.resolve("no-include"),
                Path.of("/usr/lib/x86_64-linux-gnu/valgrind"), List.of(Path.of("/usr/libexec/valgrind")),
                dir.resolve("cache"));
        ConfigException e = assertThrows(ConfigException.class, noHeaders::build);
        assertTrue(e.getMessage().contains("headers") && e.getMessage().contains("apt-get install"), e.getMessage());
    }

    @Test
    @Timeout(60)
    void aProgramThatCannotStartIsOneLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> capture().capture(
                List.of(dir.resolve("no-such-program").toString()), dir.resolve("x.trace"), window(0, 0, false)));
        assertTrue(e.getMessage().contains("not an executable"), e.getMessage());
    }
}
