package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.report.Json;

/** The command line as a user meets it: exit codes, one-line errors, and output that matches the simulator. */
class CommandLineTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLineError(CliRun o, String expected) {
        assertEquals("", o.out());
        o.assertOneLineError(expected);
    }

    @Test
    void anUnknownModeIsOneClearLine() {
        assertOneLineError(run("run", "--mode", "shadowy"),
                "unknown mode 'shadowy' (expected one of native, nested, flat-nested, shadow, spec-shadow,"
                        + " hashed-nested, pom-tlb, agile)");
        assertOneLineError(run("explain", "--mode", "flat"), "unknown mode 'flat'");
    }

    @Test
    void aNegativeSizeIsOneClearLine() {
        assertOneLineError(run("run", "--quick", "--set", "llc.size=-1"), "llc.size = '-1': expected a size");
        assertOneLineError(run("run", "--refs", "-5"), "--refs must be a positive number, not -5");
        assertOneLineError(run("explain", "--warm", "-1"), "--warm must be at least 0");
    }

    @Test
    void aNonPowerOfTwoAssociativityIsOneClearLine() {
        assertOneLineError(run("run", "--quick", "--set", "tlb.l2.ways=3"), "tlb.l2.ways = '3': expected a power of two");
        assertOneLineError(run("explain", "--set", "l1d.ways=6"), "l1d.ways = '6': expected a power of two");
    }

    @Test
    void otherBadInputIsOneClearLine() {
        assertOneLineError(run("run", "--set", "tlb.l2.way=4"), "did you mean 'tlb.l2.ways'");
        assertOneLineError(run("run", "--workload", "gupz"), "unknown workload 'gupz'");
        assertOneLineError(run("explain", "--va", "0xzz"), "--va must be an address");
        assertOneLineError(run("frobnicate"), "frobnicate");
        assertOneLineError(run("run", "--set", "memory.host=2GiB"), "more memory than the VM");
        assertOneLineError(run(), "missing command");
    }

    @Test
    void helpIsAvailableEverywhere() {
        for (String command : new String[] {"run", "explain", "bench", "params"}) {
            CliRun o = run(command, "--help");
            assertEquals(0, o.code());
            assertTrue(o.out().contains("Usage: nestwalk " + command), o.out());
        }
        assertTrue(run("--help").out().contains("explain"));
    }

    @Test
    void explainJsonGivesTheColdNestedWalk() {
        CliRun o = run("explain", "--mode", "nested", "--json", "--set", "pwc.entries=0", "--set",
                "ntlb.entries=0");
        assertEquals(0, o.code(), o.err());
        JsonNode walk = json(o.out());
        assertEquals("nested", walk.get("mode").asText(), o.out());
        assertEquals(24, walk.get("references").asInt(), o.out());
        assertEquals(24, count(o.out(), "\"servedBy\""));
        assertEquals(24, count(o.out(), "\"table\""));
        assertEquals(4, walk.get("guestReferences").asInt(), o.out());
    }

    @Test
    void explainWorksForEveryMode() {
        String[][] expected = {{"flat-nested", "9"}, {"shadow", "4"}, {"spec-shadow", "10"}};
        for (String[] e : expected) {
            CliRun o = run("explain", "--mode", e[0], "--json", "--set", "pwc.entries=0", "--set",
                    "ntlb.entries=0");
            assertEquals(0, o.code(), o.err());
            assertEquals(Integer.parseInt(e[1]), json(o.out()).get("references").asInt(), e[0] + ": " + o.out());
        }
        CliRun text = run("explain", "--mode", "flat-nested");
        assertTrue(text.out().contains("flat"), text.out());
    }

    @Test
    void explainGivesSpecShadowsCriticalReferencesAndItsIsptHitWhenWarm() {
        CliRun o = run("explain", "--mode", "spec-shadow", "--json", "--warm", "20000", "--set",
                "workload.footprint=64MiB", "--va", "0x7f00_0012_3000");
        assertEquals(0, o.code(), o.err());
        assertEquals(1, json(o.out()).get("criticalReferences").asInt(), o.out());
        assertTrue(o.out().matches("(?s).*\"table\"\\s*:\\s*\"ispt\".*"), o.out());
        CliRun text = run("explain", "--mode", "spec-shadow", "--warm", "20000", "--set",
                "workload.footprint=64MiB", "--va", "0x7f00_0012_3000");
        assertTrue(text.out().contains("1 on the critical path"), text.out());
    }

    @Test
    void explainTextShowsTheGridAndTheSummary() {
        CliRun o = run("explain", "--mode", "native");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("4 memory references"), o.out());
        CliRun nested = run("explain", "--mode", "nested", "--set", "pwc.entries=0", "--set", "ntlb.entries=0");
        assertTrue(nested.out().contains("24 memory references (4 guest + 20 nested)"), nested.out());
        assertTrue(nested.out().contains("gL4 table (gCR3)"), nested.out());
    }

    @Test
    void quickRunComparesEveryModeOnBothWorkloads() {
        CliRun o = run("run", "--quick", "--refs", "200000");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("10 runs (native,nested,flat-nested,shadow,spec-shadow x random,stream)"), o.out());
        Matcher m = Pattern.compile("nested on random: ([0-9.]+) x the runtime of native").matcher(o.out());
        assertTrue(m.find(), o.out());
        // Nested paging cannot be faster than native on a TLB-hungry workload: it walks the same guest table and more.
        assertTrue(Double.parseDouble(m.group(1)) > 1.0, m.group(1));
        for (String row : new String[] {"translation share", "L2 TLB miss rate", "mem refs / walk", "PWC hit rate",
                "NTLB hit rate", "DRAM accesses / walk"}) {
            assertTrue(o.out().contains(row), row);
        }
    }

    @Test
    void aMistakeInAnExperimentFileIsOneLineNamingFileLineAndKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "references: 10000\nreplications: 3\nmodes: [nested]\nworkloads: [gups]\n"
                + "machine:\n  pwc.entries: lots\n");
        assertOneLineError(run("run", file.toString(), "--out", dir.resolve("out").toString()),
                file + " line 6: pwc.entries = 'lots': expected a whole number");
        assertOneLineError(run("run", file.toString(), "--mode", "nested"), "with an experiment file");
        assertOneLineError(run("merge", dir.toString()), "not an experiment's results directory");
    }

    @Test
    void aMissingOrDamagedTraceIsOneLineBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.trace");
        assertOneLineError(run("run", "--trace", missing.toString(), "--refs", "1000"),
                missing + ": no such trace file");
        Path notATrace = dir.resolve("text.trace");
        Files.writeString(notATrace, "hello");
        assertOneLineError(run("run", "--trace", notATrace.toString(), "--refs", "1000", "--mode", "native"),
                notATrace + ": byte 0: not a nestwalk trace (wrong magic number)");
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, "references: 10000\nreplications: 2\nmodes: [nested]\n"
                + "workloads: [{trace: missing.trace}]\n");
        Path out = dir.resolve("out");
        assertOneLineError(run("run", file.toString(), "--out", out.toString()), missing + ": no such trace file");
        assertTrue(!Files.exists(out), "nothing is written before the traces are checked");
        assertOneLineError(run("run", dir.resolve("none.yaml").toString()), "none.yaml: no such experiment file");
    }

    @Test
    void mergeRebuildsTheSummariesFromTheStoredRuns(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                references: 20000
                warmup: 5000
                replications: 2
                modes: [nested, shadow]
                workloads:
                  - {name: zipf, preset: zipf, set: {workload.footprint: 32MiB}}
                """);
        Path out = dir.resolve("out");
        CliRun first = run("run", file.toString(), "--out", out.toString(), "--jobs", "2");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("4 runs of 20,000 references (0 already stored"), first.out());
        String summary = Files.readString(out.resolve("summary.csv"));
        Files.delete(out.resolve("summary.csv"));
        Files.delete(out.resolve("runs.csv"));
        CliRun merged = run("merge", out.toString());
        assertEquals(0, merged.code(), merged.err());
        assertEquals(summary, Files.readString(out.resolve("summary.csv")));
        assertEquals(5, Files.readAllLines(out.resolve("runs.csv")).size());
        CliRun again = run("run", file.toString(), "--out", out.toString());
        assertTrue(again.out().contains("ran 0 runs (0 failed), reused 4"), again.out());
        Files.writeString(file, Files.readString(file).replace("workloads:", "name: other\nworkloads:"));
        assertOneLineError(run("run", file.toString(), "--out", out.toString()), "holds the results of experiment"
                + " 'tiny', not 'other'");
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
