package org.nestwalk.trace.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

class TraceCaptureTest {
    private static final int PAGES = 64;
    private static final int LOADS = 1000;

    /** mmaps 64 pages, stores once to each, loads 1000 times from page 0, then forks a child that touches them. */
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
        TraceCapture.Result r = capture().capture(List.of(forever.toString()), trace, 1000, 5000, true);
        assertEquals(5000, r.references());
        assertEquals(5000, read(trace).references());
    }

    @Test
    @Timeout(60)
    void countsExactlyTheProgramsLoadsAndStores() {
        Path trace = dir.resolve("touch.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString()), trace, 0, 0);
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
    void recordsOnlyTheParentOfAFork() {
        Path trace = dir.resolve("fork.trace");
        capture().capture(List.of(program.toString(), "fork"), trace, 0, 0);
        Seen s = read(trace);
        assertEquals(1, s.forks());
        assertEquals(PAGES, s.stores(), "the child's stores are not recorded");
        assertEquals(LOADS, s.loads());
    }

    @Test
    @Timeout(60)
    void stopsAfterMaxReferencesAndSkipsInstructions() {
        Path limited = dir.resolve("limited.trace");
        TraceCapture.Result r = capture().capture(List.of(program.toString()), limited, 0, 100);
        assertEquals(100, r.references());
        assertEquals(100, read(limited).references());
        Path skipped = dir.resolve("skipped.trace");
        TraceCapture.Result k = capture().capture(List.of(program.toString()), skipped, 50_000, 0);
        assertTrue(k.skippedInstructions() >= 50_000, "skipped " + k.skippedInstructions());
        assertTrue(k.skippedInstructions() < 50_100, "skipped to the block: " + k.skippedInstructions());
        Seen s = read(skipped);
        assertEquals(k.skippedInstructions(), s.skipped());
        assertTrue(s.references() > 0);
    }

    @Test
    void missingToolsAreOneLineNamingThePackages() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        ToolBuilder nothing = ToolBuilder.withSearchPath(List.of(empty));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TraceCapture(nothing, line -> { }).capture(List.of(program.toString()),
                        dir.resolve("never.trace"), 0, 0));
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
                List.of(dir.resolve("no-such-program").toString()), dir.resolve("x.trace"), 0, 0));
        assertTrue(e.getMessage().contains("not an executable"), e.getMessage());
    }
}
