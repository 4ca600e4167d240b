package org.nestwalk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.nestwalk.sim.RunResult;
import org.nestwalk.walk.TableKind;

/**
 * The comparison {@code nestwalk run} prints: one column per run, one row per figure, every figure taken from the
 * measured interval (after warm-up) of a {@link RunResult}.
 */
public final class ResultTable {
    private record Row(String label, Function<RunResult, String> value) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("runtime (Mcycles)", r -> f2(r.cycles() / 1e6)),
            new Row("instructions per cycle", r -> f3(r.ipc())),
            new Row("translation (Mcycles)", r -> f2(r.translationCycles() / 1e6)),
            new Row("translation share", r -> pct(r.translationShare())),
            new Row("L1 dTLB miss rate", r -> pct(r.l1TlbMissRate())),
            new Row("L2 TLB miss rate", r -> pct(r.l2TlbMissRate())),
            new Row("TLB misses / 1k instr.", r -> f2(r.tlbMpki())),
            new Row("walks", r -> Long.toString(r.walks())),
            new Row("walk latency (cycles)", r -> f1(r.walkLatency())),
            new Row("mem refs / walk", r -> f2(r.referencesPerWalk())),
            new Row("  guest (or native) table", r -> f2(r.referencesPerWalk(TableKind.GUEST)
                    + r.referencesPerWalk(TableKind.NATIVE))),
            new Row("  nested table", r -> r.spec().mode().virtualized()
                    ? f2(r.referencesPerWalk(TableKind.NESTED)) : "-"),
            new Row("PWC hit rate", r -> pct(r.pwcHitRate())),
            new Row("NTLB hit rate", r -> r.spec().mode().virtualized() ? pct(r.ntlbHitRate()) : "-"),
            new Row("DRAM accesses / walk", r -> f2(r.dramPerWalk())),
            new Row("data refs from DRAM", r -> pct(r.dataDramRate())),
            new Row("DRAM queue delay (cycles)", r -> f1(r.dramQueueDelay())),
            new Row("page faults", r -> Long.toString(r.pageFaults())),
            new Row("VM exits", r -> Long.toString(r.vmExits())),
            new Row("OS + hypervisor share", r -> pct(r.systemShare())));

    private ResultTable() {
    }

    /** The table for {@code results}, columns in the given order. */
    public static String render(List<RunResult> results) {
        TextTable t = new TextTable();
        List<String> workload = new ArrayList<>(List.of("workload"));
        List<String> mode = new ArrayList<>(List.of("mode"));
        for (RunResult r : results) {
            workload.add(r.spec().workload().name());
            mode.add(r.spec().mode().label());
        }
        t.row(workload).row(mode);
        for (Row row : ROWS) {
            List<String> cells = new ArrayList<>(List.of(row.label));
            for (RunResult r : results) {
                cells.add(row.value.apply(r));
            }
            t.row(cells);
        }
        return t.toString();
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
