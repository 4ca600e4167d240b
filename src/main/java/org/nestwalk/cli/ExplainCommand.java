package org.nestwalk.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.nestwalk.config.Settings;
import org.nestwalk.report.Json;
import org.nestwalk.report.WalkReport;
import org.nestwalk.sim.RunSpec;
import org.nestwalk.sim.WalkProbe;
import org.nestwalk.walk.ModeKind;
import org.nestwalk.walk.Walk;
import org.nestwalk.workload.Presets;
import org.nestwalk.workload.Region;
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
                "  nestwalk explain --mode nested --warm 100000 --json"})
final class ExplainCommand implements Runnable {
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

    @Mixin
    CommonOptions common;

    @Override
    public void run() {
        long address = parseAddress(va);
        if (warm < 0) {
            throw new ParameterException(spec.commandLine(), "--warm must be at least 0, not " + warm);
        }
        String name = Presets.get(workload).name();
        Settings s = common.settings(name);
        if (warm == 0 && !common.assignments.stream().anyMatch(a -> a.startsWith("workload.prefault"))) {
            // A fresh machine needs only the explained page mapped, not the workload's footprint.
            s = s.with("workload.prefault", "false", "explain");
        }
        RunSpec runSpec = RunSpec.of(mode, s, name, common.seed, 0, Math.max(1, warm), 0);
        Walk w = WalkProbe.run(runSpec, warm, List.of(address)).walks().get(0);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(WalkReport.json(w, warm)));
        } else {
            String context = warm == 0 ? "on a fresh machine (TLBs, walk caches and caches empty)"
                    : String.format(Locale.ROOT, "after %,d references of workload '%s'", warm, name);
            out.print(WalkReport.text(w, context));
        }
    }

    private long parseAddress(String text) {
        String t = text.trim().replace("_", "").toLowerCase(Locale.ROOT);
        try {
            long v = t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v >= Region.USER_TOP) {
                throw new ParameterException(spec.commandLine(),
                        "--va must be a user-space address below 0x800000000000, not " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--va must be an address such as 0x7f1234567000, not "
                    + text);
        }
    }
}
