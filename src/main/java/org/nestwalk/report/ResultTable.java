package org.nestwalk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import org.nestwalk.sim.RunResult;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.walk.TableKind;

/**
 * The comparison {@code nestwalk run} prints: one column per run, one row per figure, every figure taken from the
 * measured interval (after warm-up) of a {@link RunResult}.
 */
public final class ResultTable {
    /**
     * A row of the table; an optional one ({@code applies} not null) is printed only when some run of the table has
     * the structure it describes, so that a table of the paper's modes looks as it always has.
     */
    private record Row(String label, Function<RunResult, String> value, Predicate<RunResult> applies) {
        Row(String label, Function<RunResult, String> value) {
            this(label, value, null);
        }
    }

    private static Row optional(String label, Function<RunResult, String> value, Predicate<RunResult> applies) {
        return new Row(label, r -> applies.test(r) ? value.apply(r) : "-", applies);
    }

    private static final List<Row> ROWS = List.of(
            new Row("references warmed up", r -> Long.toString(r.spec().warmupReferences())),
            new Row("references measured", r -> Long.toString(r.references())),
            new Row("runtime (Mcycles)", r -> f2(r.cycles() / 1e6)),
            new Row("instructions per cycle", r -> f3(r.ipc())),
            new Row("translation (Mcycles)", r -> f2(r.translationCycles() / 1e6)),
            new Row("translation share", r -> pct(r.translationShare())),
            new Row("L1 dTLB miss rate", r -> pct(r.l1TlbMissRate())),
            new Row("L2 TLB miss rate", r -> pct(r.l2TlbMissRate())),
            new Row("TLB misses / 1k instr.", r -> f2(r.tlbMpki())),
            new Row("iTLB misses / 1k instr.", r -> r.interval().cpu().itlbLookups() == 0 ? "-" : f2(r.itlbMpki())),
            new Row("walks", r -> Long.toString(r.walks())),
            new Row("walk latency (cycles)", r -> f1(r.walkLatency())),
            new Row("walkers busy", r -> pct(r.walkerOccupancy())),
            new Row("walk queue delay (cycles)", r -> f1(r.walkQueueDelay())),
            new Row("refs run past a walk", r -> pct(r.overlappedShare())),
            new Row("refs squashed / ref", r -> f2(r.squashedPerReference())),
            new Row("mem refs / walk", r -> f2(r.referencesPerWalk())),
            new Row("  critical (waited for)", r -> f2(r.criticalReferencesPerWalk())),
            new Row("  guest/native/shadow table", r -> f2(r.virtualDimensionReferencesPerWalk())),
            new Row("  nested/flat table", r -> nestedDimension(r) ? f2(r.nestedDimensionReferencesPerWalk()) : "-"),
            new Row("  ISPT", r -> ispt(r) ? f2(r.referencesPerWalk(TableKind.ISPT)) : "-"),
            optional("  POM-TLB", r -> f2(r.pomTlbReferencesPerWalk()), r -> r.interval().schemes().pomProbes() > 0),
            new Row("PWC hit rate", r -> pct(r.pwcHitRate())),
            new Row("NTLB hit rate", r -> nestedDimension(r) ? pct(r.ntlbHitRate()) : "-"),
            new Row("ISPT hit rate", r -> ispt(r) ? pct(r.isptHitRate()) : "-"),
            optional("POM-TLB hit rate", r -> pct(r.pomTlbHitRate()), r -> r.interval().schemes().pomProbes() > 0),
            optional("CWC hit rate", r -> pct(r.cwcHitRate()), r -> r.interval().schemes().cwcProbes() > 0),
            optional("agile pages to nested / shadow", r -> (long) r.agileToNested() + " / "
                    + (long) r.agileToShadow(), r -> r.interval().schemes().agile()),
            new Row("mis-speculations", r -> ispt(r) ? Long.toString(r.interval().cpu().misspeculations()) : "-"),
            new Row("DRAM accesses / walk", r -> f2(r.dramPerWalk())),
            new Row("data refs from DRAM", r -> pct(r.dataDramRate())),
            new Row("DRAM queue delay (cycles)", r -> f1(r.dramQueueDelay())),
            new Row("page faults", r -> Long.toString(r.pageFaults())),
            new Row("guest page-table writes", r -> Long.toString(r.interval().guest().tableWrites())),
            new Row("context switches", r -> Long.toString(r.interval().guest().contextSwitches())),
            new Row("VM exits", r -> Long.toString(r.vmExits())),
            exitRow(ExitCause.PT_WRITE), exitRow(ExitCause.CR3_WRITE), exitRow(ExitCause.INVLPG),
            exitRow(ExitCause.HIDDEN_FAULT), exitRow(ExitCause.GUEST_FAULT_INJECTION),
            exitRow(ExitCause.NESTED_FAULT),
            optional("  " + ExitCause.IPI.label() + " (Mcycles)", exitRow(ExitCause.IPI).value, r -> r.vcpus() > 1),
            optional("vCPUs", r -> Integer.toString(r.vcpus()), r -> r.vcpus() > 1),
            optional("TLB shootdowns", r -> Long.toString(r.interval().shootdowns().initiated()),
                    r -> r.vcpus() > 1),
            optional("  cycles / shootdown", r -> f1(r.interval().shootdowns().cyclesPerShootdown()),
                    r -> r.vcpus() > 1),
            optional("  IPIs", r -> Long.toString(r.interval().shootdowns().ipisSent()), r -> r.vcpus() > 1),
            optional("shadow lock wait (cycles)", r -> f1(r.interval().shadowLock().waitPerAcquisition()),
                    r -> r.interval().shadowLock().acquisitions() > 0),
            new Row("hypervisor share", r -> pct(r.hypervisorShare())),
            new Row("OS + hypervisor share", r -> pct(r.systemShare())));

    /** Exits of one cause: how many, and the cycles they and their handlers took. */
    private static Row exitRow(ExitCause cause) {
        return new Row("  " + cause.label() + " (Mcycles)", r -> r.exits(cause) == 0 ? "0"
                : r.exits(cause) + " (" + f2(r.interval().cpu().exitCycles(cause) / 1e6) + ")");
    }

    /** Whether the run's walks had a nested dimension at all (rows about it would otherwise read as zeros). */
    private static boolean nestedDimension(RunResult r) {
        return r.interval().ntlbProbes() > 0 || r.nestedDimensionReferencesPerWalk() > 0;
    }

    private static boolean ispt(RunResult r) {
        return r.interval().isptProbes() > 0;
    }

    private ResultTable() {
    }

    /**
     * The table for {@code results}, columns in the given order. Rows that are zero in every run (page faults, VM
     * exits and the like on a workload that makes none: about fifteen on the built-in comparison) are not printed
     * as rows of zeros: one line under the table names them.
     */
    public static String render(List<RunResult> results) {
        TextTable t = new TextTable();
        List<String> workload = new ArrayList<>(List.of("workload"));
        List<String> mode = new ArrayList<>(List.of("mode"));
        for (RunResult r : results) {
            workload.add(r.spec().workload().name());
            mode.add(r.spec().mode().label());
        }
        t.row(workload).row(mode);
        List<String> zero = new ArrayList<>();
        String parent = "";
        boolean parentZero = false;
        for (Row row : ROWS) {
            if (row.applies != null && results.stream().noneMatch(row.applies)) {
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(row.label));
            for (RunResult r : results) {
                cells.add(row.value.apply(r));
            }
            boolean child = row.label.startsWith("  ");
            boolean allZero = allZero(cells.subList(1, cells.size()));
            if (!child) {
                parent = row.label;
                parentZero = allZero;
            }
            if (!allZero) {
                t.row(cells);
                continue;
            }
            String name = row.label.strip().replace(" (Mcycles)", "");
            String last = zero.isEmpty() ? "" : zero.get(zero.size() - 1);
            if (child && (parentZero || last.startsWith(parent + ": "))) {
                // The causes of "VM exits" that are zero too: "VM exits (pt-write, ...)" when it is zero as well,
                // else "VM exits: cr3-write, nested-fault".
                zero.set(zero.size() - 1, parentZero ? (last.endsWith(")") ? last.substring(0, last.length() - 1)
                        + ", " + name + ")" : last + " (" + name + ")") : last + ", " + name);
            } else {
                zero.add(child ? parent + ": " + name : name);
            }
        }
        String table = t.toString();
        if (zero.isEmpty()) {
            return table;
        }
        boolean prefaulted = results.stream().allMatch(r -> r.spec().workload().prefault()
                && r.spec().settings().choice("workload.trace").equals("none"));
        // The reason is given only for what it explains: faults (and the OS work they cause).
        return table + "zero in every run: " + String.join("; ", zero) + (prefaulted && zero.contains("page faults")
                ? " (no page faults: the workloads' memory was mapped before the runs, workload.prefault)" : "")
                + "\n";
    }

    /** Whether every cell is a zero, or not applicable, and at least one a zero. */
    private static boolean allZero(List<String> cells) {
        boolean any = false;
        for (String c : cells) {
            if (c.equals("-")) {
                continue;
            }
            if (!c.matches("0(\\.0+)?%?")) {
                return false;
            }
            any = true;
        }
        return any;
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
