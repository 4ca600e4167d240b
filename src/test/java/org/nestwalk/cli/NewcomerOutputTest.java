package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;
import org.nestwalk.walk.ModeKind;

/** Issue 17, the small things a newcomer met: each output says what it means, in words and aligned. */
class NewcomerOutputTest {
    @Test
    void topLevelHelpNamesEveryMode() {
        CliRun o = CliRun.of("--help");
        assertEquals(0, o.code());
        String text = o.out().replaceAll("\\s+", " ");
        for (ModeKind m : ModeKind.values()) {
            assertTrue(text.contains(m.label() + " ("), m.label() + " in: " + o.out());
        }
    }

    /**
     * picocli passes every description through String.format when it renders help: a bare "95 % intervals" made
     * {@code run --help} print three "picocli WARN" lines (on System.err, from picocli's tracer, not the command's
     * error stream). Every command's help must render without one. Tests run one at a time, so redirecting
     * System.err here cannot catch another test's output.
     */
    @Test
    void everyHelpTextRendersWithoutPicocliWarnings() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            renderAll(new CommandLine(new Main()));
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(!warnings.contains("picocli WARN"), "help text that is not a valid format string (write %% for %): "
                + warnings);
    }

    private static void renderAll(CommandLine cl) {
        assertTrue(!cl.getUsageMessage().isBlank(), cl.getCommandName());
        cl.getSubcommands().values().forEach(NewcomerOutputTest::renderAll);
    }

    @Test
    void presetsLineUpInParams() {
        CliRun o = CliRun.of("params");
        List<String> presets = o.out().lines().dropWhile(l -> !l.startsWith("Workload presets"))
                .skip(1).takeWhile(l -> !l.isBlank()).toList();
        assertTrue(presets.size() >= 9, presets.toString());
        int column = presets.get(0).indexOf(' ', 2) + 1;
        while (presets.get(0).charAt(column) == ' ') {
            column++;
        }
        for (String l : presets) {
            assertTrue(l.charAt(column - 1) == ' ' && l.charAt(column) != ' ', "aligned at " + column + ": " + l);
        }
        assertTrue(o.out().contains("guest.pageSize") && o.out().matches("(?s).*guest\\.pageSize +4kib +4kib \\| 2mib.*"),
                "a default is spelled as the values it is one of");
    }

    @Test
    void traceInfoNamesEventsInWords(@TempDir Path dir) {
        Path t = dir.resolve("e.trace");
        try (TraceWriter w = TraceWriter.create(t, TraceHeader.of("test", List.of("events")))) {
            w.reference(1, 0x7f0000000000L, 8, true);
            w.event(1, new TraceEvent.IPage(0x400000));
            w.event(1, new TraceEvent.IPage(0x401000));
            w.event(1, new TraceEvent.KernelTouch(0x7f0000000000L, 64, false));
            w.event(1, new TraceEvent.Brk(0x600000, 0x601000));
            w.finish(0);
        }
        CliRun o = CliRun.of("trace", "info", t.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("  events: 2 instruction page, 1 brk, 1 kernel touch\n"), o.out());
    }

    @Test
    void zeroRowsOfTheQuickTableAreFoldedIntoOneLine() {
        CliRun o = CliRun.of("run", "--mode", "native,shadow", "--workload", "zipf", "--refs", "3000",
                "--set", "workload.footprint=8MiB");
        assertEquals(0, o.code(), o.err());
        assertTrue(!o.out().matches("(?s).*\\npage faults +0 +0\\n.*"), o.out());
        assertTrue(o.out().contains("zero in every run: refs squashed / ref; page faults; guest page-table writes;"
                + " context switches; VM exits (pt-write, cr3-write, invlpg, hidden-fault, guest-fault-injection,"
                + " nested-fault); hypervisor share; OS + hypervisor share (no page faults: the workloads' memory was"
                + " mapped before the runs, workload.prefault)"), o.out());
        CliRun faults = CliRun.of("run", "--mode", "native,shadow", "--workload", "zipf", "--refs", "3000",
                "--set", "workload.footprint=8MiB", "--set", "workload.prefault=false");
        assertTrue(faults.out().matches("(?s).*\\npage faults +\\d+ +\\d+\\n.*"), faults.out());
        assertTrue(faults.out().contains("zero in every run: context switches; VM exits: cr3-write, nested-fault\n"),
                faults.out());
    }

    @Test
    void oneRowIsARow(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("one.yaml");
        Files.writeString(file, """
                references: 2000
                warmup: 0
                replications: 2
                modes: [native]
                workloads: [{name: z, preset: zipf, set: {workload.footprint: 4MiB}}]
                """);
        Path out = tmp.resolve("out");
        CliRun first = CliRun.of("run", file.toString(), "--out", out.toString(), "--jobs", "1");
        assertTrue(first.out().contains(": 1 configuration x 2 replications = 2 runs of 2,000 references"),
                first.out());
        assertTrue(first.out().contains("; 1 thread\n"), first.out());
        try (Stream<Path> s = Files.walk(out.resolve("runs"))) {
            Files.delete(s.filter(p -> p.getFileName().toString().equals("r1.json")).findFirst().orElseThrow());
        }
        CliRun merged = CliRun.of("merge", out.toString());
        assertTrue(merged.out().contains("1 row missing (1 stored):"), merged.out());
        CliRun again = CliRun.of("run", file.toString(), "--out", out.toString());
        assertTrue(again.out().contains("ran 1 run (0 failed), reused 1, 0 pilot runs"), again.out());
    }
}
