package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.nestwalk.config.Settings;
import org.nestwalk.pagetable.RadixPageTable;
import org.nestwalk.report.Json;
import org.nestwalk.report.WalkReport;
import org.nestwalk.report.WalkSvg;
import org.nestwalk.util.AtomicFiles;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.WalkProbe;
import org.nestwalk.teach.Scenario;
import org.nestwalk.teach.ScenarioReport;
import org.nestwalk.teach.ScenarioRun;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.Walk;
import org.nestwalk.workload.Presets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nestwalk explain}: one page walk, reference by reference, as the simulator makes and times it. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows the page walk a TLB miss on one virtual address causes, reference by reference: the "
                + "table and level of each entry read, its address, what served it (PWC, NTLB, L1, L2, LLC or DRAM) "
                + "and its cycles; for nested walks also the 2D grid. The page is mapped first; the machine is "
                + "fresh (every TLB, walk cache and cache empty) or has run --warm references of a workload.",
                "",
                "Examples:",
                "  nestwalk explain --mode nested",
                "  nestwalk explain --mode nested --set pwc.entries=0 --set ntlb.entries=0   (the full 24)",
                "  nestwalk explain --mode nested --warm 100000 --json",
                "  nestwalk explain --mode nested --compare cold,warm --svg walk.svg",
                "  nestwalk explain --compare nested,flat-nested --set pwc.entries=0 --set ntlb.entries=0"})
final class ExplainCommand implements Runnable {
    /**
     * The longest warm-up explain runs: 10^8 references fill every TLB, walk cache and cache many times over, and
     * take minutes; 99999999999999 ran for days without a word.
     */
    static final long MAX_WARM = 100_000_000;

    /** References a machine runs before the warm walk of {@code --compare cold,warm}, unless --warm says. */
    static final long DEFAULT_COMPARE_WARM = 100_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "nested", converter = ModeConverter.class,
            completionCandidates = ModeConverter.class,
            description = "Translation mode: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ModeKind mode;

    @Option(names = "--va", paramLabel = "HEX", defaultValue = "0x7f12_3456_7000",
            description = "Virtual address to translate (default: ${DEFAULT-VALUE}).")
    String va;

    @Option(names = "--warm", paramLabel = "N", defaultValue = "0",
            description = "References of the workload to run first (default: 0, a fresh machine).")
    long warm;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "random",
            description = "Workload preset the warm-up runs (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--json", description = "Print the walk as JSON.")
    boolean json;

    @Option(names = "--compare", paramLabel = "A,B",
            description = "Show two walks side by side: cold,warm (the same walk on a fresh machine and after "
                    + "--warm references, default 100,000), or two modes such as nested,flat-nested.")
    String compare;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "Instead of one walk, the hypervisor's side of a situation, as the sequence of walks, VM "
                    + "exits and handler steps with their cycles: page-fault, pte-write, context-switch (shadow), "
                    + "spec-verified, spec-remap (spec-shadow).")
    String scenario;

    @Option(names = "--svg", paramLabel = "FILE",
            description = "Also draw the walk's grid (or the two compared) as an SVG picture in FILE.")
    Path svg;

    @Mixin
    CommonOptions common;

    @Override
    public void run() {
        if (warm < 0 || warm > MAX_WARM) {
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--warm must be at least 0 and"
                    + " at most %,d (more than fills any TLB and cache of the machine), not %s", MAX_WARM, warm));
        }
        String name = Presets.get(workload).name();
        long address = parseAddress(va, common.settings(name).intValue("guest.pagingLevels"));
        PrintWriter out = spec.commandLine().getOut();
        if (scenario != null) {
            scenario(name, out);
            return;
        }
        if (compare != null) {
            compare(address, name, out);
            return;
        }
        Walk w = walk(mode, warm, name, address);
        if (json) {
            out.println(Json.write(WalkReport.json(w, warm)));
        } else {
            out.print(WalkReport.text(w, context(warm, name)));
        }
        writeSvg(List.of(new WalkSvg.Panel(w.mode() + " " + shortContext(warm), w)), out);
    }

    /** {@code --scenario}: runs the scenario on the simulated machine and prints what happened. */
    private void scenario(String name, PrintWriter out) {
        Scenario sc;
        try {
            sc = Scenario.parse(scenario);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scenario: " + e.getMessage());
        }
        var parse = spec.commandLine().getParseResult();
        for (String other : List.of("--compare", "--svg", "--json", "--warm", "--va", "--mode")) {
            if (parse.hasMatchedOption(other)) {
                throw new ParameterException(spec.commandLine(), "--scenario chooses its own mode, addresses and "
                        + "machine state: it cannot be combined with " + other);
            }
        }
        out.print(ScenarioReport.text(ScenarioRun.run(sc, common.settings(name), name, common.seed)));
    }

    /** {@code --compare}: the walk on a fresh and a warmed machine, or under two modes. */
    private void compare(long address, String name, PrintWriter out) {
        List<String> parts = List.of(compare.split(",", -1));
        String expected = "--compare must be cold,warm or two modes such as nested,flat-nested, not '" + compare
                + "'";
        if (parts.size() != 2) {
            throw new ParameterException(spec.commandLine(), expected);
        }
        long[] warmOf = new long[2];
        ModeKind[] modes = new ModeKind[2];
        String[] titles = new String[2];
        if (parts.get(0).trim().equals("cold") && parts.get(1).trim().equals("warm")) {
            boolean warmGiven = spec.commandLine().getParseResult().hasMatchedOption("--warm");
            long n = warmGiven ? warm : DEFAULT_COMPARE_WARM;
            if (n == 0) {
                throw new ParameterException(spec.commandLine(), "--compare cold,warm needs --warm above 0");
            }
            modes[0] = modes[1] = mode;
            warmOf[1] = n;
            titles[0] = "cold (fresh machine)";
            titles[1] = String.format(Locale.ROOT, "warm (after %,d references of %s)", n, name);
        } else {
            if (spec.commandLine().getParseResult().hasMatchedOption("--mode")) {
                throw new ParameterException(spec.commandLine(), "--compare " + compare + " names the modes: "
                        + "leave out --mode");
            }
            for (int i = 0; i < 2; i++) {
                try {
                    modes[i] = ModeKind.parse(parts.get(i).trim());
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), expected + " (" + e.getMessage() + ")");
                }
                warmOf[i] = warm;
                titles[i] = modes[i].label() + " " + shortContext(warm);
            }
        }
        Walk a = walk(modes[0], warmOf[0], name, address);
        Walk b = walk(modes[1], warmOf[1], name, address);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("compare", List.of(WalkReport.json(a, warmOf[0]), WalkReport.json(b, warmOf[1])));
            out.println(Json.write(m));
        } else {
            out.print(WalkReport.sideBySide(titles[0], a, titles[1], b));
        }
        writeSvg(List.of(new WalkSvg.Panel(titles[0], a), new WalkSvg.Panel(titles[1], b)), out);
    }

    private void writeSvg(List<WalkSvg.Panel> panels, PrintWriter out) {
        if (svg == null) {
            return;
        }
        AtomicFiles.write(svg, WalkSvg.render(panels));
        if (!json) {
            out.println("\nThe grid is drawn in " + svg + ".");
        }
    }

    /** The walk of {@code address} under {@code m}, on a fresh machine or after {@code warmRefs} references. */
    private Walk walk(ModeKind m, long warmRefs, String name, long address) {
        Settings s = common.settings(name);
        if (warmRefs == 0 && !common.assignments.stream().anyMatch(a -> a.startsWith("workload.prefault"))) {
            // A fresh machine needs only the explained page mapped, not the workload's footprint.
            s = s.with("workload.prefault", "false", "explain");
        }
        RunSpec runSpec = RunSpec.of(m, s, name, common.seed, 0, Math.max(1, warmRefs), 0);
        return WalkProbe.run(runSpec, warmRefs, List.of(address)).walks().get(0);
    }

    private static String context(long warmRefs, String name) {
        return warmRefs == 0 ? "on a fresh machine (TLBs, walk caches and caches empty)"
                : String.format(Locale.ROOT, "after %,d references of workload '%s'", warmRefs, name);
    }

    private static String shortContext(long warmRefs) {
        return warmRefs == 0 ? "(fresh machine)" : String.format(Locale.ROOT, "(after %,d references)", warmRefs);
    }

    /** The address {@code text} names, which must be in the user half of what {@code levels} levels translate. */
    private long parseAddress(String text, int levels) {
        String t = text.trim().replace("_", "").toLowerCase(Locale.ROOT);
        long top = RadixPageTable.userTop(levels);
        try {
            long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v >= top) {
                throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                        "--va must be a user-space address below 0x%x with %d-level paging, not %s", top, levels,
                        text));
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--va must be an address such as 0x7f1234567000, not "
                    + text);
        }
    }
}
