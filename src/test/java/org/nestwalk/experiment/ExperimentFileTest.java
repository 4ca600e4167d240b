package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nestwalk.config.ConfigException;
import org.nestwalk.experiment.Experiment.Warmup;
import org.nestwalk.walk.ModeKind;

/** Reading experiment files: what they expand to, and that every mistake names the file, line and key. */
class ExperimentFileTest {
    private static final String BASE = """
            name: t
            references: 100000
            replications: 3
            modes: [nested, flat-nested]
            workloads: [gups]
            """;

    static Experiment parse(String text) {
        return ExperimentFile.parse(text, "t.yaml", "t", false);
    }

    @Test
    void aMinimalFileGetsItsDefaults() {
        Experiment e = parse(BASE);
        assertEquals(ModeKind.NESTED, e.baseline());
        assertEquals(new Warmup.Fixed(20000), e.warmup());
        assertEquals(3, e.replications().min());
        assertTrue(!e.replications().adaptive());
        assertEquals(1, e.seed());
        assertEquals(2, Manifest.expand(e).configurations().size());
    }

    @Test
    void rangesListsAndConstraintsExpandToTheGrid() {
        Experiment e = parse(BASE + """
                factors:
                  pwc.entries: {from: 8, to: 64, times: 2}
                  ntlb.entries: {from: 0, to: 32, step: 16}
                constraints: ["ntlb.entries <= pwc.entries"]
                """);
        assertEquals(List.of("8", "16", "32", "64"), e.factors().get(0).values());
        assertEquals(List.of("0", "16", "32"), e.factors().get(1).values());
        // 4 x 3 = 12 combinations; (8,16), (8,32) and (16,32) break the constraint: 9 remain, times 2 modes.
        Manifest m = Manifest.expand(e);
        assertEquals(18, m.configurations().size());
        for (Configuration c : m.configurations()) {
            assertTrue(c.settings().integer("ntlb.entries") <= c.settings().integer("pwc.entries"));
        }
    }

    @Test
    void laterSettingsWinAndIdsFollowTheSettings() {
        Experiment e = parse(BASE.replace("workloads: [gups]", """
                workloads:
                  - gups
                  - {name: small, preset: gups, set: {workload.footprint: 64MiB}}
                machine: {workload.footprint: 128MiB, tlb.l2.entries: 1024}
                """));
        Manifest m = Manifest.expand(e);
        Configuration gups = m.configurations().get(0);
        Configuration small = m.configurations().get(2);
        assertEquals(128L << 20, gups.settings().size("workload.footprint"));
        assertEquals(64L << 20, small.settings().size("workload.footprint"));
        assertEquals(1024, small.settings().integer("tlb.l2.entries"));
        assertTrue(!gups.id().equals(small.id()));
        assertEquals(gups.id(), Manifest.expand(parse(BASE.replace("workloads: [gups]", """
                workloads:
                  - gups
                  - {name: small, preset: gups, set: {workload.footprint: 64MiB}}
                machine: {workload.footprint: 128MiB, tlb.l2.entries: 1024}
                """))).configurations().get(0).id(), "the same file gives the same ids");
        assertEquals(m.configurations().get(0), m.baselineOf(m.configurations().get(1)));
    }

    @Test
    void adaptiveReplicationsAndMserWarmup() {
        Experiment e = parse(BASE.replace("replications: 3", """
                replications: {min: 3, max: 20, until: {metric: cycles, halfWidth: 2%}}
                warmup: {mser5: {pilot: 400000}}
                """));
        assertTrue(e.replications().adaptive());
        assertEquals(0.02, e.replications().relativeHalfWidth(), 1e-12);
        assertEquals(new Warmup.Mser5(400000), e.warmup());
    }

    @Test
    void theQuickSectionReplacesTopLevelKeys() {
        String text = BASE + """
                quick:
                  references: 5000
                  workloads: [fork-heavy]
                """;
        Experiment quick = ExperimentFile.parse(text, "t.yaml", "t", true);
        assertEquals(5000, quick.references());
        assertEquals("fork-heavy", quick.workloads().get(0).name());
        assertTrue(quick.quick());
        assertEquals(100000, parse(text).references());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(BASE + "replication: 4\n", "t.yaml line 6: replication: unknown key (did you mean"
                        + " 'replications'?)"),
                Arguments.of(BASE.replace("replications: 3", "replications: ten"),
                        "t.yaml line 3: replications: expected a whole number, not 'ten'"),
                Arguments.of(BASE.replace("replications: 3", "replications: 1"),
                        "t.yaml line 3: replications: expected a number from 2 to"),
                Arguments.of(BASE.replace("[nested, flat-nested]", "[nested, flat]"),
                        "t.yaml line 4: modes[1]: unknown mode 'flat'"),
                Arguments.of(BASE + "machine:\n  tlb.l2.entires: 1024\n",
                        "t.yaml line 7: unknown key 'tlb.l2.entires' (did you mean 'tlb.l2.entries'?)"),
                Arguments.of(BASE + "machine:\n  tlb.l2.entries: 1000\n", "t.yaml line 7"),
                Arguments.of(BASE + "warmup: 100000\n", "t.yaml line 6: warmup: expected a number from 0 to 99999"),
                Arguments.of(BASE + "baseline: shadow\n", "t.yaml line 6: baseline: the baseline 'shadow' must be"),
                Arguments.of(BASE + "factors:\n  pwc.entries: {from: 8, to: 64}\n",
                        "t.yaml line 7: factors.pwc.entries: expected 'from', 'to' and one of 'step' or 'times'"),
                Arguments.of(BASE + "constraints: ['pwc.entries <=']\n", "t.yaml line 6: constraint"),
                Arguments.of(BASE + "outputs: {sweep: cycels}\n", "t.yaml line 6: outputs.sweep: unknown metric"
                        + " 'cycels' (did you mean 'cycles'?)"),
                Arguments.of(BASE + "workloads: [gups]\n", "t.yaml line 6: workloads: written twice (first on"
                        + " line 5)"),
                Arguments.of(BASE + "seed: [1, 2\n", "t.yaml line 7: not valid YAML"),
                Arguments.of(BASE + "quick: {references: many}\n", "t.yaml line 6: quick.references: expected a"
                        + " whole number"),
                Arguments.of(BASE + "sample: {unit: 5000, warmup: 2000, period: 6000}\n", "t.yaml line 6: sample: a"
                        + " unit of 5000 references after 2000 in detail must fit its period of 6000"),
                Arguments.of(BASE + "sample: {units: 5000}\n", "t.yaml line 6: sample"),
                Arguments.of(BASE + "warmup: {mser5: {pilot: 300000}}\nsample: {unit: 5000}\n", "t.yaml line 7: "
                        + "sample: sampled simulation needs a fixed warm-up"),
                Arguments.of(BASE.replace("references: 100000\n", ""), "t.yaml: the key 'references' is missing"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void mistakesNameTheFileLineAndKey(String text, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + e.getMessage());
    }

    @Test
    void theShippedExperimentsAreValidInBothVariants() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("experiments"))) {
            List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertTrue(yaml.size() >= 4, "shipped experiments: " + yaml);
            for (Path p : yaml) {
                Experiment full = ExperimentFile.read(p, false);
                Experiment quick = ExperimentFile.read(p, true);
                assertTrue(full.references() >= quick.references(), p.toString());
                assertTrue(full.replications().min() >= quick.replications().min(), p.toString());
                assertTrue(Manifest.expand(full).configurations().size() >= Manifest.expand(quick)
                        .configurations().size());
            }
        }
    }

    /** Issue 17, defect 2: a huge file is refused by its size before the YAML scanner reads it (it was quadratic). */
    @Test
    void aHugeFileIsRefusedByItsSizeBeforeItIsRead(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("huge.yaml");
        Files.writeString(f, BASE + "description: \"" + "x".repeat(8 << 20) + "\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentFile.read(f, false));
        assertEquals(f + ": " + Files.size(f) + " bytes; experiment files may be at most 256 KiB", e.getMessage());
    }

    /** Issue 17, defect 2: a value longer than a YAML file should ever need is refused with its line. */
    @Test
    void aValueLongerThanSixteenKiBIsRefusedWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(BASE + "description: \"" + "y".repeat(20_000) + "\"\n"));
        assertEquals("t.yaml line 6: a value of 20000 characters; a value may be at most 16 KiB long",
                e.getMessage());
    }

    /** Issue 17, defect 8: text that is not UTF-8 is named by line and byte, not "Input length = 1". */
    @Test
    void textThatIsNotUtf8IsNamedByLineAndByte(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("latin1.yaml");
        byte[] head = BASE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = "description: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Files.write(f, all);
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentFile.read(f, false));
        assertEquals(f + " line 6: byte " + (head.length + 16) + " (0xE9) is not UTF-8 text; save the file as UTF-8",
                e.getMessage());
    }

    /** Issue 17, defect 8: a FIFO (or a directory) is refused at once instead of blocking the read. */
    @Test
    void aFifoIsRefusedWithoutBlocking(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("pipe.yaml");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start()
                .waitFor() == 0, "mkfifo is needed to make a FIFO");
        ConfigException e = assertThrows(ConfigException.class, () -> ExperimentFile.read(fifo, false));
        assertEquals(fifo + ": not a regular file (a FIFO, socket or device); expected a YAML experiment file",
                e.getMessage());
        e = assertThrows(ConfigException.class, () -> ExperimentFile.read(tmp, false));
        assertTrue(e.getMessage().endsWith(": not a regular file (a directory); expected a YAML experiment file"),
                e.getMessage());
    }
}
