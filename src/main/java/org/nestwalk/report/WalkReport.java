package org.nestwalk.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nestwalk.pagetable.IsptProbe;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.TableKind;
import org.nestwalk.walk.Walk;
import org.nestwalk.walk.WalkStep;

/**
 * A walk shown for teaching: every step numbered in order with its table, level, address, what served it and its
 * cycles; for a 2D walk also the grid it forms (guest levels down, nested levels across); and the same as JSON.
 */
public final class WalkReport {
    private WalkReport() {
    }

    /** The step-by-step listing and a summary. */
    public static String text(Walk w, String context) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s walk of 0x%x %s%n%n", w.mode(), w.va(), context));
        boolean twoD = w.steps().stream().anyMatch(s -> s.table() == TableKind.NESTED || s.table() == TableKind.FLAT);
        TextTable t = new TextTable(twoD ? "rllllllr" : "rllllr");
        t.row(twoD ? List.of("#", "table", "level", "locates", "address", "gPA", "served by", "cycles")
                : List.of("#", "table", "level", "address", "served by", "cycles"));
        for (WalkStep s : w.steps()) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(s.number()), s.table().label(),
                    s.level() == 0 ? "all" : "L" + s.level()));
            if (twoD) {
                cells.add(locates(s));
            }
            cells.add(hex(s.address()));
            if (twoD) {
                cells.add(s.guestAddress() < 0 ? "" : hex(s.guestAddress()));
            }
            cells.add(s.servedBy().name());
            cells.add(Long.toString(s.latency()));
            t.row(cells);
        }
        sb.append(t);
        sb.append('\n').append(summary(w)).append('\n');
        String probe = isptProbe(w);
        if (!probe.isEmpty()) {
            sb.append(probe).append('\n');
        }
        if (twoD) {
            sb.append('\n').append(grid(w));
        }
        return sb.toString();
    }

    /**
     * Two walks side by side, as a terminal shows them: each column the walk's steps (table, level, what served
     * it, cycles), its totals and, for a 2D walk, its grid; then one line on how the second differs.
     */
    public static String sideBySide(String titleA, Walk a, String titleB, Walk b) {
        List<String> left = compact(titleA, a);
        List<String> right = compact(titleB, b);
        int width = left.stream().mapToInt(String::length).max().orElse(0) + 4;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            sb.append((l + " ".repeat(width - l.length()) + r).stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%n%s: %d memory references and %d cycles; %s: %d and %d (%+d "
                        + "references, %+d cycles)%n", titleA, a.references(), a.latency(), titleB, b.references(),
                b.latency(), b.references() - a.references(), b.latency() - a.latency()));
        return sb.toString();
    }

    /** One walk as a narrow column of lines. */
    static List<String> compact(String title, Walk w) {
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.add(String.format(Locale.ROOT, "%s walk of 0x%x", w.mode(), w.va()));
        lines.add("");
        TextTable t = new TextTable("rlllr");
        t.row(List.of("#", "table", "level", "served by", "cycles"));
        for (WalkStep s : w.steps()) {
            String level = s.level() == 0 ? "all" : "L" + s.level();
            if (s.table() == TableKind.NESTED || s.table() == TableKind.FLAT) {
                level += " (" + locates(s) + ")";
            }
            t.row(List.of(Integer.toString(s.number()), s.table().label(), level, s.servedBy().name(),
                    Long.toString(s.latency())));
        }
        lines.addAll(t.toString().lines().toList());
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%d memory references (%d waited for)", w.references(),
                w.criticalReferences()));
        lines.add(String.format(Locale.ROOT, "%d PWC hits, %d NTLB hits, %d from DRAM", w.servedBy(ServedBy.PWC),
                w.servedBy(ServedBy.NTLB), w.servedBy(ServedBy.DRAM)));
        lines.add(String.format(Locale.ROOT, "%d cycles (%d waited for)", w.latency(),
                w.criticalEnd() - w.startTime()));
        if (w.steps().stream().anyMatch(s -> s.table() == TableKind.NESTED || s.table() == TableKind.FLAT)) {
            lines.add("");
            lines.addAll(grid(w).lines().filter(l -> !l.startsWith("P = ") && !l.startsWith("one flat")).toList());
        }
        return lines;
    }

    /** One line: references by table, what the walk caches saved, DRAM, cycles, outcome. */
    public static String summary(Walk w) {
        StringBuilder sb = new StringBuilder();
        sb.append(w.references()).append(" memory references");
        List<String> parts = new ArrayList<>();
        for (TableKind t : TableKind.values()) {
            if (w.references(t) > 0) {
                parts.add(w.references(t) + " " + t.label());
            }
        }
        if (parts.size() > 1) {
            sb.append(" (").append(String.join(" + ", parts)).append(")");
        }
        if (w.criticalReferences() < w.references()) {
            sb.append(String.format(Locale.ROOT, "; %d on the critical path (a speculative translation after %d"
                    + " cycles, verified by the rest)", w.criticalReferences(), w.criticalEnd() - w.startTime()));
        }
        sb.append(", ").append(w.servedBy(ServedBy.PWC)).append(" PWC hits");
        if (w.steps().stream().anyMatch(s -> s.table() == TableKind.NESTED || s.table() == TableKind.FLAT)) {
            sb.append(", ").append(w.servedBy(ServedBy.NTLB)).append(" NTLB hits");
        }
        sb.append(", ").append(w.servedBy(ServedBy.DRAM)).append(" from DRAM; ").append(w.latency())
                .append(" cycles; ");
        switch (w.outcome()) {
            case TRANSLATED -> sb.append(String.format(Locale.ROOT, "translated to 0x%x (a %s TLB entry)",
                    w.physicalAddress(), w.pageSize()));
            case PAGE_FAULT -> sb.append(String.format(Locale.ROOT, "page fault at 0x%x", w.faultAddress()));
            case NESTED_FAULT -> sb.append(String.format(Locale.ROOT, "nested page fault at gPA 0x%x",
                    w.faultAddress()));
        }
        return sb.toString();
    }

    /**
     * What the walk's probe of the inverted shadow page table read and found, and whether the verifying walk was
     * issued together with it; empty if the walk made no probe.
     */
    public static String isptProbe(Walk w) {
        if (w.isptProbe() == IsptProbe.NONE) {
            return "";
        }
        WalkStep probe = w.steps().stream().filter(s -> s.table() == TableKind.ISPT).findFirst().orElseThrow();
        boolean together = w.steps().stream().anyMatch(s -> s.table() != TableKind.ISPT && s.start() == 0);
        return String.format(Locale.ROOT, "ISPT probe (step %d): line %s, %s%s", probe.number(),
                hex(probe.address()), w.isptProbe().label(), together
                        ? "; the verifying walk was issued together with it" : "; the walk followed it");
    }

    /**
     * The 2D walk as a grid: one row per nested translation (what it locates), nested levels across, then the guest
     * entry read with the located table. Each cell is the step number and what served it (P PWC, N NTLB, 1 L1,
     * 2 L2, 3 LLC, D DRAM).
     */
    public static String grid(Walk w) {
        boolean flat = w.steps().stream().anyMatch(s -> s.table() == TableKind.FLAT);
        TextTable t = new TextTable("llllll");
        t.row(flat ? List.of("locates", "flat", "", "", "", "guest entry")
                : List.of("locates", "nL4", "nL3", "nL2", "nL1", "guest entry"));
        String[] rowName = {"data page", "gL1 table", "gL2 table", "gL3 table", "gL4 table (gCR3)"};
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        for (WalkStep s : w.steps()) {
            if (s.table() != TableKind.GUEST && s.table() != TableKind.NESTED && s.table() != TableKind.FLAT) {
                continue;
            }
            int target = s.table() == TableKind.GUEST ? s.level() : s.target();
            String[] cells = rows.computeIfAbsent(target, k -> new String[] {"", "", "", "", ""});
            String cell = s.number() + " " + code(s.servedBy());
            if (s.table() == TableKind.GUEST) {
                cells[4] = cell + " (gL" + s.level() + ")";
            } else if (s.servedBy() == ServedBy.NTLB || s.table() == TableKind.FLAT) {
                cells[0] = cell;
                if (!flat) {
                    cells[1] = cells[2] = cells[3] = "~";
                }
            } else {
                cells[4 - s.level()] = cell;
            }
        }
        for (Map.Entry<Integer, String[]> e : rows.entrySet()) {
            List<String> r = new ArrayList<>();
            r.add(rowName[e.getKey()]);
            r.addAll(List.of(e.getValue()));
            t.row(r);
        }
        return t + (flat ? "one flat-table reference (or NTLB hit) per nested translation; " : "")
                + "P = PWC, N = NTLB (a hit replaces the whole nested walk: ~), 1/2/3 = L1/L2/LLC, D = DRAM\n";
    }

    /** The walk as a JSON document. */
    public static Map<String, Object> json(Walk w, long warm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", w.mode());
        m.put("va", hex(w.va()));
        m.put("warm", warm);
        m.put("outcome", w.outcome().name().toLowerCase(Locale.ROOT));
        m.put("references", w.references());
        m.put("criticalReferences", w.criticalReferences());
        m.put("guestReferences", w.references(TableKind.GUEST) + w.references(TableKind.NATIVE)
                + w.references(TableKind.SHADOW));
        m.put("nestedReferences", w.references(TableKind.NESTED) + w.references(TableKind.FLAT));
        m.put("cycles", w.latency());
        m.put("criticalCycles", w.criticalEnd() - w.startTime());
        if (w.isptProbe() != IsptProbe.NONE) {
            m.put("isptProbe", w.isptProbe().label());
            m.put("isptLine", hex(w.steps().stream().filter(s -> s.table() == TableKind.ISPT).findFirst()
                    .orElseThrow().address()));
        }
        if (w.pageSize() != null) {
            m.put("physicalAddress", hex(w.physicalAddress()));
            m.put("pageSize", w.pageSize().toString());
        }
        List<Object> steps = new ArrayList<>();
        for (WalkStep s : w.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("number", s.number());
            step.put("table", s.table().label());
            step.put("level", s.level());
            step.put("target", s.target());
            step.put("address", hex(s.address()));
            if (s.guestAddress() >= 0) {
                step.put("guestAddress", hex(s.guestAddress()));
            }
            step.put("servedBy", s.servedBy().name());
            step.put("start", s.start());
            step.put("latency", s.latency());
            step.put("critical", s.critical());
            steps.add(step);
        }
        m.put("steps", steps);
        return m;
    }

    private static String locates(WalkStep s) {
        if (s.table() != TableKind.NESTED && s.table() != TableKind.FLAT) {
            return "";
        }
        return s.target() == 0 ? "data" : "gL" + s.target();
    }

    private static String code(ServedBy by) {
        return switch (by) {
            case PWC -> "P";
            case NTLB -> "N";
            case L1 -> "1";
            case L2 -> "2";
            case LLC -> "3";
            case DRAM -> "D";
        };
    }

    static String hex(long v) {
        return String.format(Locale.ROOT, "0x%x", v);
    }
}
