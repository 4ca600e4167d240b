package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.TestSpecs;
import org.nestwalk.sim.WalkProbe;

/** explain --compare / --svg / --scenario and run --timeline as a user meets them. */
class TeachingCommandsTest {
    private static final String[] NO_WALK_CACHES = {"--set", "pwc.entries=0", "--set", "ntlb.entries=0"};

    private static String[] args(String[] head, String... tail) {
        String[] a = new String[head.length + tail.length];
        System.arraycopy(head, 0, a, 0, head.length);
        System.arraycopy(tail, 0, a, head.length, tail.length);
        return a;
    }

    private static void assertOneLineError(CliRun o, String expected) {
        assertEquals("", o.out());
        o.assertOneLineError(expected);
    }

    @Test
    void comparingTwoModesShowsTheWalksTheWalkerCounted() throws Exception {
        CliRun o = CliRun.of(args(new String[] {"explain", "--compare", "nested,flat-nested", "--json"},
                NO_WALK_CACHES));
        assertEquals(0, o.code(), o.err());
        JsonNode walks = new ObjectMapper().readTree(o.out()).get("compare");
        assertEquals(24, walks.get(0).get("references").asInt());
        assertEquals(9, walks.get(1).get("references").asInt());
        // The same walk on the same machine, asked of the walker directly: its counters agree.
        for (int i = 0; i < 2; i++) {
            String mode = walks.get(i).get("mode").asText();
            WalkProbe.Result r = WalkProbe.run(TestSpecs.spec(mode, "random", "pwc.entries", "0", "ntlb.entries",
                    "0", "workload.prefault", "false"), 0, List.of(0x7f12_3456_7000L));
            assertEquals(r.counters().references(), walks.get(i).get("references").asLong(), mode);
        }
    }

    @Test
    void coldAndWarmSideBySideWithAPicture(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("walk.svg");
        CliRun o = CliRun.of("explain", "--compare", "cold,warm", "--warm", "20000", "--svg", svg.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("cold (fresh machine)") && o.out().contains("warm (after 20,000 references"),
                o.out());
        assertEquals("svg", DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
                .getDocumentElement().getNodeName());
    }

    @Test
    void badTeachingOptionsAreOneClearLine() {
        assertOneLineError(CliRun.of("explain", "--compare", "cold"), "--compare must be cold,warm or two modes");
        assertOneLineError(CliRun.of("explain", "--compare", "nested,flat"), "unknown mode 'flat'");
        assertOneLineError(CliRun.of("explain", "--compare", "cold,warm", "--warm", "0"), "needs --warm above 0");
        assertOneLineError(CliRun.of("explain", "--scenario", "nope"), "--scenario: unknown scenario 'nope'");
        assertOneLineError(CliRun.of("explain", "--scenario", "pte-write", "--mode", "nested"),
                "cannot be combined with --mode");
        assertOneLineError(CliRun.of("run", "--timeline", "t.csv", "--mode", "nested,shadow", "--workload",
                "random"), "--timeline records one run");
        assertOneLineError(CliRun.of("run", "--timeline", "t.csv", "--mode", "nested", "--workload", "random",
                "--timeline-limit", "0"), "--timeline-limit must be between 1 and 200000");
        assertOneLineError(CliRun.of("run", "experiments/tlb-sweep.yaml", "--timeline", "t.csv"),
                "--timeline records one run");
        assertOneLineError(CliRun.of("explain", "--compare", "nested,shadow", "--mode", "native"),
                "leave out --mode");
        assertOneLineError(CliRun.of("run", "--timeline-limit", "5"), "--timeline-limit needs --timeline");
    }

    @Test
    void aScenarioPrintsItsExitsBesideTheCounters() {
        CliRun o = CliRun.of("explain", "--scenario", "pte-write");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("VM exit: pt-write"), o.out());
        assertTrue(o.out().contains("VM exit: invlpg"), o.out());
    }

    @Test
    void aTimelineHoldsEveryWalkItReports(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("t.csv");
        CliRun o = CliRun.of("run", "--mode", "nested", "--workload", "random", "--refs", "3000", "--warmup", "1000",
                "--set", "workload.footprint=64MiB", "--timeline", csv.toString());
        assertEquals(0, o.code(), o.err());
        Matcher m = Pattern.compile("\\(([\\d,]+) walks of the ([\\d,]+) counted\\)").matcher(o.out());
        assertTrue(m.find(), o.out());
        assertEquals(m.group(1), m.group(2));
        List<String> lines = Files.readAllLines(csv);
        long walks = lines.stream().filter(l -> l.startsWith("walker,walk,")).count();
        assertEquals(Long.parseLong(m.group(1).replace(",", "")), walks);
        assertTrue(Files.exists(dir.resolve("t.svg")));
    }
}
