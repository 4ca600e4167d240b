package org.nestwalk.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.TestSpecs;

/**
 * The runs whose every counter the machine of commit 382d540 (one page walker, a vCPU that stops at each TLB miss,
 * the ISPT probe in front of the verification, a hashed ISPT) recorded in {@code golden/legacy-machine.tsv}: every
 * mode on every preset, short, with and without demand paging. {@link #main} wrote that file on that commit; the
 * test of {@code LegacyMachineTest} runs the same specs with the settings that select that machine and compares.
 */
final class LegacyMachine {
    static final String RESOURCE = "/golden/legacy-machine.tsv";

    private static final String[] MODES = {"native", "nested", "flat-nested", "shadow", "spec-shadow"};

    private LegacyMachine() {
    }

    /** One run: a name, a mode, a preset and settings on top of it. */
    record Case(String name, String mode, String preset, String... keyValues) {
        RunSpec spec(String... extra) {
            String[] all = new String[keyValues.length + extra.length];
            System.arraycopy(keyValues, 0, all, 0, keyValues.length);
            System.arraycopy(extra, 0, all, keyValues.length, extra.length);
            return TestSpecs.spec(mode, preset, 60_000, 10_000, 11, all);
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (String mode : MODES) {
            c.add(new Case(mode + "/random", mode, "random", "workload.footprint", "64MiB"));
            c.add(new Case(mode + "/stream", mode, "stream"));
            c.add(new Case(mode + "/chase", mode, "chase", "workload.footprint", "64MiB"));
            c.add(new Case(mode + "/zipf", mode, "zipf", "workload.footprint", "64MiB"));
            c.add(new Case(mode + "/gups", mode, "gups", "workload.footprint", "256MiB"));
            c.add(new Case(mode + "/mcf-like", mode, "mcf-like", "workload.footprint", "64MiB"));
            c.add(new Case(mode + "/canneal-like", mode, "canneal-like", "workload.footprint", "64MiB"));
            c.add(new Case(mode + "/gcc-like", mode, "gcc-like"));
            c.add(new Case(mode + "/fork-heavy", mode, "fork-heavy", "workload.forkEvery", "20000",
                    "workload.childReferences", "4000"));
            c.add(new Case(mode + "/random-demand", mode, "random", "workload.footprint", "16MiB",
                    "workload.prefault", "false"));
            c.add(new Case(mode + "/remap", mode, "random", "workload.footprint", "1MiB", "workload.remapEvery",
                    "3000"));
            c.add(new Case(mode + "/huge-pages", mode, "random", "workload.footprint", "256MiB", "guest.pageSize",
                    "2mib"));
        }
        return c;
    }

    /** Every counter of each case's measured interval, by case name. */
    static Map<String, Map<String, Long>> run(String... extra) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Case c : cases()) {
            out.put(c.name(), Simulation.run(c.spec(extra)).interval().counters());
        }
        return out;
    }

    /** Writes the golden file: {@code case, counter, value}, tab-separated. */
    public static void main(String[] args) throws IOException {
        StringBuilder b = new StringBuilder();
        run().forEach((name, counters) -> counters.forEach((k, v) -> b.append(name).append('\t').append(k)
                .append('\t').append(v).append('\n')));
        Files.writeString(Path.of(args[0]), b, StandardCharsets.UTF_8);
    }
}
