package org.nestwalk.teach;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.report.TextTable;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.Walk;

/**
 * A scenario's run as text: each action of the program, then what it caused in order: walks (references, what
 * served them, cycles, outcome), each VM exit with its handler's steps and cycles, guest-OS work, verifications; and
 * at the end the exits and cycles the vCPU counted, by cause, beside the sum of the steps shown.
 */
public final class ScenarioReport {
    /** Runs of more consecutive reads than this are shown as one line. */
    private static final int RUN = 4;

    private ScenarioReport() {
    }

    public static String text(ScenarioRun.Result r) {
        StringBuilder sb = new StringBuilder();
        Scenario s = r.scenario();
        sb.append(String.format(Locale.ROOT, "scenario %s under %s%n", s.label(), s.mode().label()));
        sb.append(wrap(s.description(), 100)).append('\n');
        boolean multi = s.processes().size() > 1;
        for (ScenarioRun.Entry e : r.entries()) {
            if (e instanceof ScenarioRun.ActionEntry a) {
                sb.append(String.format(Locale.ROOT, "%n%s%s%n", multi ? "process " + a.process() + ": "
                        : "the program: ", a.action().what()));
            } else if (e instanceof ScenarioRun.WalkEntry w) {
                sb.append("  ").append(walk(w.walk())).append('\n');
            } else if (e instanceof ScenarioRun.VerificationEntry v) {
                sb.append(String.format(Locale.ROOT, "  verification of 0x%x, cycles %,d-%,d: %s%n", v.va(),
                        v.start(), v.end(), v.agreed() ? "agrees; the work done meanwhile stands"
                                : "DISAGREES: the vCPU squashes what it did since and replays with the right "
                                + "translation"));
            } else if (e instanceof ScenarioRun.HandlerEntry h) {
                handler(sb, h);
            }
        }
        sb.append(String.format(Locale.ROOT, "%nDone at cycle %,d. What the vCPU counted (the run's own "
                + "counters) against the steps above:%n", r.end()));
        TextTable t = new TextTable("lrrr");
        t.row(List.of("account", "exits", "cycles counted", "cycles of the steps shown"));
        for (ExitCause c : ExitCause.values()) {
            long exits = r.counters().exits()[c.ordinal()];
            long shown = shown(r, c);
            if (exits > 0 || shown > 0) {
                t.row(List.of("VM exit: " + c.label(), Long.toString(exits),
                        String.format(Locale.ROOT, "%,d", r.counters().exitCycles()[c.ordinal()]),
                        String.format(Locale.ROOT, "%,d", shown)));
            }
        }
        t.row(List.of("guest OS", "", String.format(Locale.ROOT, "%,d", r.counters().guestOsCycles()),
                String.format(Locale.ROOT, "%,d", shown(r, null))));
        sb.append(t);
        if (r.counters().speculations() > 0) {
            sb.append(String.format(Locale.ROOT, "speculations %d, mis-speculations %d, squash cycles %,d%n",
                    r.counters().speculations(), r.counters().misspeculations(), r.counters().squashCycles()));
        }
        return sb.toString();
    }

    /** Cycles of the handler steps charged to {@code cause} (null: the guest OS). */
    static long shown(ScenarioRun.Result r, ExitCause cause) {
        long n = 0;
        for (ScenarioRun.Entry e : r.entries()) {
            if (e instanceof ScenarioRun.HandlerEntry h) {
                for (ScenarioRun.HandlerStep s : h.steps()) {
                    if (Objects.equals(s.cause(), cause)) {
                        n += s.cycles();
                    }
                }
            }
        }
        return n;
    }

    private static String walk(Walk w) {
        String outcome = switch (w.outcome()) {
            case TRANSLATED -> String.format(Locale.ROOT, "translated to 0x%x", w.physicalAddress());
            case PAGE_FAULT -> "page fault";
            case NESTED_FAULT -> String.format(Locale.ROOT, "nested fault at gPA 0x%x", w.faultAddress());
        };
        String critical = w.criticalReferences() < w.references()
                ? String.format(Locale.ROOT, " (%d waited for: a speculative translation after %d cycles)",
                w.criticalReferences(), w.criticalEnd() - w.startTime()) : "";
        return String.format(Locale.ROOT, "TLB miss: %s walk of 0x%x, cycles %,d-%,d: %d memory reference%s%s, "
                        + "%d from DRAM, %d PWC hits: %s", w.mode(), w.va(), w.startTime(), w.endTime(),
                w.references(), w.references() == 1 ? "" : "s", critical, w.servedBy(ServedBy.DRAM),
                w.servedBy(ServedBy.PWC), outcome);
    }

    private static void handler(StringBuilder sb, ScenarioRun.HandlerEntry h) {
        List<ScenarioRun.HandlerStep> steps = h.steps();
        int i = 0;
        while (i < steps.size()) {
            ExitCause cause = steps.get(i).cause();
            int j = i;
            long cycles = 0;
            while (j < steps.size() && Objects.equals(steps.get(j).cause(), cause)
                    && (j == i || cause == null || steps.get(j).kind() != HandlerWork.StepKind.EXIT)) {
                cycles += steps.get(j).cycles();
                j++;
            }
            sb.append(String.format(Locale.ROOT, "  %s, cycles %,d-%,d (%,d cycles)%n",
                    cause == null ? "guest OS" : "VM exit: " + cause.label(), steps.get(i).start(),
                    steps.get(j - 1).end(), cycles));
            TextTable t = new TextTable("lllr");
            for (List<String> row : rows(steps.subList(i, j))) {
                t.row(row);
            }
            t.toString().lines().forEach(l -> sb.append("      ").append(l).append('\n'));
            i = j;
        }
    }

    private static List<List<String>> rows(List<ScenarioRun.HandlerStep> steps) {
        List<List<String>> rows = new ArrayList<>();
        int i = 0;
        while (i < steps.size()) {
            ScenarioRun.HandlerStep s = steps.get(i);
            int j = i + 1;
            if (s.kind() == HandlerWork.StepKind.READ) {
                while (j < steps.size() && steps.get(j).kind() == HandlerWork.StepKind.READ
                        && steps.get(j).address() == steps.get(j - 1).address() + 64) {
                    j++;
                }
            }
            if (j - i > RUN) {
                long dram = steps.subList(i, j).stream().filter(x -> x.servedBy() == org.nestwalk.memory
                        .MemoryLevel.DRAM).count();
                rows.add(List.of(String.format(Locale.ROOT, "read %d lines", j - i), hex(s.address()) + "-"
                        + hex(steps.get(j - 1).address()), dram + " from DRAM",
                        Long.toString(steps.get(j - 1).end() - s.start())));
                i = j;
                continue;
            }
            String what = switch (s.kind()) {
                case EXIT -> "exit and entry";
                case COMPUTE -> s.cause() == null ? "guest handler" : "hypervisor handler";
                case READ -> "read";
                case WRITE -> "write";
            };
            boolean memory = s.servedBy() != null;
            rows.add(List.of(what, memory ? hex(s.address()) : "", memory ? s.servedBy().name() : "",
                    Long.toString(s.cycles())));
            i++;
        }
        return rows;
    }

    private static String hex(long v) {
        return String.format(Locale.ROOT, "0x%x", v);
    }

    private static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n');
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
