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
        boolean twoD = twoDimensional(w);
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
            if (s.table().nestedDimension()) {
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
        if (twoDimensional(w)) {
            lines.add("");
            lines.addAll(grid(w).lines().filter(l -> !l.startsWith("P = ") && !l.startsWith("one flat")
                    && !l.startsWith("the d ways")).toList());
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
        if (twoDimensional(w)) {
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
     * The 2D walk as a grid: one row per nested translation (what it locates), nested levels across (for a flat
     * table its one entry, for a hashed table its ways), then the guest entry read with the located table. Each cell
     * is the step number and what served it (P PWC, N NTLB, 1 L1, 2 L2, 3 LLC, D DRAM). Rows run from the guest's
     * root (gL4, or gL5 with 5-level paging) to the data page; steps of other tables (an ISPT or POM-TLB probe, the
     * shadow entries agile paging reads before it switches) are in the listing above the grid, not in it.
     */
    public static String grid(Walk w) {
        boolean flat = w.steps().stream().anyMatch(s -> s.table() == TableKind.FLAT);
        boolean hashed = w.steps().stream().anyMatch(s -> s.table() == TableKind.HASHED);
        int guestLevels = 4;
        int nestedColumns = 4;
        for (WalkStep s : w.steps()) {
            if (s.table() == TableKind.GUEST) {
                guestLevels = Math.max(guestLevels, s.level());
            } else if (s.table().nestedDimension()) {
                guestLevels = Math.max(guestLevels, s.target());
                if (s.table() != TableKind.FLAT && s.servedBy() != ServedBy.NTLB) {
                    nestedColumns = Math.max(nestedColumns, s.level());
                }
            }
        }
        if (hashed) {
            nestedColumns = w.steps().stream().filter(s -> s.table() == TableKind.HASHED)
                    .mapToInt(WalkStep::level).max().orElse(1);
        }
        int columns = nestedColumns;
        List<String> header = new ArrayList<>(List.of("locates"));
        for (int c = 0; c < nestedColumns; c++) {
            header.add(flat ? (c == 0 ? "flat" : "") : hashed ? "way " + (c + 1) : "nL" + (nestedColumns - c));
        }
        header.add("guest entry");
        TextTable t = new TextTable("l".repeat(header.size()));
        t.row(header);
        Map<Integer, String[]> rows = new LinkedHashMap<>();
        for (WalkStep s : w.steps()) {
            if (s.table() != TableKind.GUEST && !s.table().nestedDimension()) {
                continue;
            }
            int target = s.table() == TableKind.GUEST ? s.level() : s.target();
            String[] cells = rows.computeIfAbsent(target, k -> {
                String[] empty = new String[columns + 1];
                java.util.Arrays.fill(empty, "");
                return empty;
            });
            String cell = s.number() + " " + code(s.servedBy());
            if (s.table() == TableKind.GUEST) {
                cells[nestedColumns] = cell + " (gL" + s.level() + ")";
            } else if (s.servedBy() == ServedBy.NTLB || s.table() == TableKind.FLAT) {
                cells[0] = cell;
                if (!flat) {
                    for (int c = 1; c < nestedColumns; c++) {
                        cells[c] = "~";
                    }
                }
            } else if (hashed) {
                cells[s.level() - 1] = cell;
            } else {
                cells[nestedColumns - s.level()] = cell;
            }
        }
        for (Map.Entry<Integer, String[]> e : rows.entrySet()) {
            List<String> r = new ArrayList<>();
            int target = e.getKey();
            r.add(target == 0 ? "data page" : target == guestLevels ? "gL" + target + " table (gCR3)"
                    : "gL" + target + " table");
            r.addAll(List.of(e.getValue()));
            t.row(r);
        }
        return t + (flat ? "one flat-table reference (or NTLB hit) per nested translation; " : "")
                + (hashed ? "the d ways of a nested translation are read together (or an NTLB hit); " : "")
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
        m.put("nestedReferences", w.references(TableKind.NESTED) + w.references(TableKind.FLAT)
                + w.references(TableKind.HASHED));
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
            if (s.withPrevious()) {
                step.put("issuedWithPrevious", true);
            }
            steps.add(step);
        }
        m.put("steps", steps);
        return m;
    }

    /** Whether the walk has a nested dimension (a grid to draw). */
    static boolean twoDimensional(Walk w) {
        return w.steps().stream().anyMatch(s -> s.table().nestedDimension());
    }

    private static String locates(WalkStep s) {
        if (!s.table().nestedDimension()) {
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
