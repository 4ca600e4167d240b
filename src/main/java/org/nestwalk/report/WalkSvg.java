package org.nestwalk.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nestwalk.walk.ServedBy;
import org.nestwalk.walk.TableKind;
import org.nestwalk.walk.Walk;
import org.nestwalk.walk.WalkStep;

/**
 * A walk drawn as the grid it forms, as an SVG picture: for a 2D walk, one row per nested translation (of gCR3,
 * of each guest table pointer, of the data page) with the nested levels across and the guest entry read last; for
 * a one-dimensional walk (native, shadow) one row of levels; an ISPT or POM-TLB probe on a row of its own, and
 * the shadow entries agile paging reads before it switches on another. Each cell is one
 * step, numbered in walk order and coloured by what served it; a legend names the colours. Several walks (a
 * comparison) are drawn side by side. Plain SVG text, no dependency.
 */
public final class WalkSvg {
    /** One walk and the title drawn above it. */
    public record Panel(String title, Walk walk) {
    }

    /** A placed step: its grid row and column, how many columns it spans. */
    private record Cell(int row, int col, int span, WalkStep step) {
    }

    private static final int CELL_W = 84;
    private static final int CELL_H = 40;
    private static final int LABEL_W = 120;
    private static final int MARGIN = 16;
    private static final int PANEL_GAP = 40;
    private static final int TITLE_H = 44;
    private static final int HEADER_H = 20;

    private WalkSvg() {
    }

    /** Colour of a cell served by {@code by}: greens for the walk caches, warmer as the memory level is slower. */
    static String colour(ServedBy by) {
        return switch (by) {
            case PWC -> "#66c2a5";
            case NTLB -> "#8da0cb";
            case L1 -> "#ffffb2";
            case L2 -> "#fecc5c";
            case LLC -> "#fd8d3c";
            case DRAM -> "#e31a1c";
        };
    }

    /** The SVG document for {@code panels}, left to right. */
    public static String render(List<Panel> panels) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no walk to draw");
        }
        List<Layout> layouts = new ArrayList<>();
        for (Panel p : panels) {
            layouts.add(layout(p));
        }
        int width = MARGIN;
        int height = 0;
        for (Layout l : layouts) {
            width += l.width() + PANEL_GAP;
            height = Math.max(height, l.height());
        }
        width = Math.max(width - PANEL_GAP + MARGIN, 560);
        int legendY = MARGIN + height + 16;
        int total = legendY + 40;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n<svg xmlns="
                + "\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, total, width, total));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, total));
        int x = MARGIN;
        for (int i = 0; i < panels.size(); i++) {
            draw(sb, panels.get(i), layouts.get(i), x, MARGIN);
            x += layouts.get(i).width() + PANEL_GAP;
        }
        legend(sb, MARGIN, legendY);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private record Layout(List<String> rows, List<String> cols, List<Cell> cells) {
        int width() {
            return LABEL_W + cols.size() * CELL_W;
        }

        int height() {
            return TITLE_H + HEADER_H + rows.size() * CELL_H;
        }
    }

    private static boolean flat(Walk w) {
        return w.steps().stream().anyMatch(s -> s.table() == TableKind.FLAT)
                || w.mode().contains("flat") || w.mode().contains("spec");
    }

    private static boolean twoDimensional(Walk w) {
        return w.steps().stream().anyMatch(s -> s.table() == TableKind.GUEST || s.table().nestedDimension());
    }

    /** A probe of a table of its own (ISPT, POM-TLB): one row above the walk. */
    private static boolean probe(TableKind t) {
        return t == TableKind.ISPT || t == TableKind.POM_TLB;
    }

    private static Layout layout(Panel p) {
        Walk w = p.walk();
        List<String> rows = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        int probeRow = -1;
        if (w.steps().stream().anyMatch(s -> probe(s.table()))) {
            probeRow = rows.size();
            rows.add(w.steps().stream().filter(s -> probe(s.table())).findFirst().orElseThrow().table()
                    == TableKind.ISPT ? "ISPT probe" : "POM-TLB probe");
        }
        int guestLevels = 4;
        for (WalkStep s : w.steps()) {
            guestLevels = Math.max(guestLevels, s.table().nestedDimension() ? s.target()
                    : probe(s.table()) ? 0 : s.level());
        }
        if (twoDimensional(w)) {
            boolean flat = flat(w);
            boolean hashed = w.steps().stream().anyMatch(s -> s.table() == TableKind.HASHED);
            int nested = hashed ? w.steps().stream().filter(s -> s.table() == TableKind.HASHED)
                    .mapToInt(WalkStep::level).max().orElse(1)
                    : flat ? 1 : Math.max(4, w.steps().stream().filter(s -> s.table() == TableKind.NESTED
                            && s.servedBy() != ServedBy.NTLB).mapToInt(WalkStep::level).max().orElse(4));
            for (int c = 0; c < nested; c++) {
                cols.add(flat ? "flat" : hashed ? "way " + (c + 1) : "nL" + (nested - c));
            }
            cols.add("guest entry");
            int guestCol = cols.size() - 1;
            int shadowRow = -1;
            if (w.steps().stream().anyMatch(s -> s.table() == TableKind.SHADOW)) {
                shadowRow = rows.size();
                rows.add("shadow (before the switch)");
            }
            int first = rows.size();
            for (int target = guestLevels; target >= 0; target--) {
                rows.add(target == 0 ? "data page" : target == guestLevels ? "gL" + target + " table (gCR3)"
                        : "gL" + target + " table");
            }
            for (WalkStep s : w.steps()) {
                TableKind t = s.table();
                if (probe(t)) {
                    cells.add(new Cell(probeRow, 0, 1, s));
                } else if (t == TableKind.SHADOW) {
                    cells.add(new Cell(shadowRow, Math.min(guestCol, guestLevels - s.level()), 1, s));
                } else if (t == TableKind.GUEST) {
                    cells.add(new Cell(first + guestLevels - s.level(), guestCol, 1, s));
                } else if (t.nestedDimension()) {
                    int row = first + guestLevels - s.target();
                    if (s.servedBy() == ServedBy.NTLB || flat) {
                        cells.add(new Cell(row, 0, flat ? 1 : nested, s));
                    } else if (hashed) {
                        cells.add(new Cell(row, s.level() - 1, 1, s));
                    } else {
                        cells.add(new Cell(row, nested - s.level(), 1, s));
                    }
                } else {
                    throw new IllegalStateException("a " + t + " step in a 2D walk");
                }
            }
        } else {
            for (int l = guestLevels; l >= 1; l--) {
                cols.add("L" + l);
            }
            TableKind table = w.steps().stream().map(WalkStep::table).filter(t -> !probe(t))
                    .findFirst().orElse(TableKind.NATIVE);
            int row = rows.size();
            rows.add(table.label() + " table");
            for (WalkStep s : w.steps()) {
                cells.add(probe(s.table()) ? new Cell(probeRow, 0, 1, s)
                        : new Cell(row, guestLevels - s.level(), 1, s));
            }
        }
        // Rows a short walk never reached (large pages, a fault) are left out.
        List<Integer> used = cells.stream().map(Cell::row).distinct().sorted().toList();
        List<String> keptRows = new ArrayList<>();
        List<Cell> kept = new ArrayList<>();
        for (Cell c : cells) {
            kept.add(new Cell(used.indexOf(c.row()), c.col(), c.span(), c.step()));
        }
        for (int r : used) {
            keptRows.add(rows.get(r));
        }
        return new Layout(keptRows, cols, kept);
    }

    private static void draw(StringBuilder sb, Panel p, Layout l, int x0, int y0) {
        Walk w = p.walk();
        text(sb, x0, y0 + 14, "bold", 14, p.title());
        String sub = String.format(Locale.ROOT, "%s, 0x%x: %d memory references, %d cycles", w.mode(), w.va(),
                w.references(), w.latency());
        text(sb, x0, y0 + 32, "normal", 12, sub);
        int gy = y0 + TITLE_H;
        for (int c = 0; c < l.cols().size(); c++) {
            text(sb, x0 + LABEL_W + c * CELL_W + 4, gy + 14, "bold", 12, l.cols().get(c));
        }
        int ry = gy + HEADER_H;
        for (int r = 0; r < l.rows().size(); r++) {
            text(sb, x0, ry + r * CELL_H + 24, "normal", 12, l.rows().get(r));
            for (int c = 0; c < l.cols().size(); c++) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        + "fill=\"none\" stroke=\"#dddddd\"/>%n", x0 + LABEL_W + c * CELL_W, ry + r * CELL_H,
                        CELL_W, CELL_H));
            }
        }
        for (Cell c : l.cells()) {
            int cx = x0 + LABEL_W + c.col() * CELL_W;
            int cy = ry + c.row() * CELL_H;
            WalkStep s = c.step();
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\" "
                    + "fill=\"%s\" stroke=\"#333333\"><title>step %d: %s L%d at 0x%x, %s, %d cycles</title>"
                    + "</rect>%n", cx + 2, cy + 2, c.span() * CELL_W - 4, CELL_H - 4, colour(s.servedBy()),
                    s.number(), s.table().label(), s.level(), s.address(), s.servedBy(), s.latency()));
            String ink = s.servedBy() == ServedBy.DRAM ? "white" : "black";
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\" fill=\"%s\">%d"
                    + "</text>%n", cx + 8, cy + 18, ink, s.number()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s %d cy"
                    + "</text>%n", cx + 8, cy + 32, ink, s.servedBy(), s.latency()));
        }
    }

    private static void legend(StringBuilder sb, int x, int y) {
        text(sb, x, y + 14, "bold", 12, "served by:");
        int lx = x + 76;
        for (ServedBy by : ServedBy.values()) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" "
                    + "stroke=\"#333333\"/>%n", lx, y + 3, colour(by)));
            text(sb, lx + 18, y + 14, "normal", 12, by.name());
            lx += 70;
        }
        text(sb, x, y + 34, "normal", 10, "PWC and NTLB hits are not memory references; an NTLB hit replaces a "
                + "whole nested walk. Numbers are the order of the steps.");
    }

    private static void text(StringBuilder sb, int x, int y, String weight, int size, String s) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"%s\" font-size=\"%d\">%s"
                + "</text>%n", x, y, weight, size, escape(s)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
