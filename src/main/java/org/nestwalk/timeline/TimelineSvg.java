package org.nestwalk.timeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A timeline drawn as an SVG picture: one lane per entity (vCPU, guest OS, hypervisor, page walker, each DRAM
 * bank), simulated time across, each event a bar coloured by its kind (hover for its detail), so what overlaps what
 * can be seen: a DRAM access under a walk, the vCPU running on under a verification.
 *
 * <p>A lane with more events than there are pixels to draw them in would be a solid bar (and megabytes of SVG): such
 * a lane is drawn as one bar per pixel column instead, shaded by the share of the column's cycles the lane was busy
 * and coloured by the kind that took most of them; the picture says so under its title.
 */
public final class TimelineSvg {
    private static final int WIDTH = 1400;
    private static final int LABEL_W = 110;
    private static final int RIGHT = 20;
    private static final int LANE_H = 26;
    /** Where the lanes start, below the title and {@link #NOTE_LINES} lines of notes. */
    private static final int TOP = 66;
    private static final int NOTE_LINES = 2;
    /** The pixel columns of the time axis. */
    private static final int COLUMNS = WIDTH - LABEL_W - RIGHT;
    /** A lane with more events than this is drawn per pixel column: two events per pixel can no longer be told apart. */
    static final int AGGREGATE_ABOVE = COLUMNS / 2;

    private TimelineSvg() {
    }

    static String colour(String kind) {
        return switch (kind) {
            case "burst" -> "#4daf4a";
            case "guest-os" -> "#ff7f00";
            case "vm-exit" -> "#e41a1c";
            case "walk" -> "#377eb8";
            case "verification" -> "#984ea3";
            default -> "#666666";
        };
    }

    /** The picture of {@code events}; {@code title} goes above it. */
    public static String render(List<TimelineEvent> events, String title) {
        return render(events, title, "");
    }

    /** The picture of {@code events}, with {@code title} and a line below it ({@code note}, may be empty). */
    public static String render(List<TimelineEvent> events, String title, String note) {
        List<String> lanes = new ArrayList<>(TimelineRecording.LANES);
        events.stream().map(TimelineEvent::lane).filter(l -> !lanes.contains(l)).distinct().sorted(
                (a, b) -> Integer.compare(bankOf(a), bankOf(b))).forEach(lanes::add);
        long t0 = events.stream().mapToLong(TimelineEvent::start).min().orElse(0);
        long t1 = Math.max(t0 + 1, events.stream().mapToLong(TimelineEvent::end).max().orElse(1));
        double scale = (double) COLUMNS / (t1 - t0);
        Map<String, List<TimelineEvent>> byLane = new HashMap<>();
        for (TimelineEvent e : events) {
            byLane.computeIfAbsent(e.lane(), k -> new ArrayList<>()).add(e);
        }
        boolean aggregated = byLane.values().stream().anyMatch(l -> l.size() > AGGREGATE_ABOVE);
        String shading = aggregated ? String.format(Locale.ROOT, "Lanes with more than %d events are drawn per "
                + "pixel column (%,.0f cycles each), shaded by the share of it the lane was busy.", AGGREGATE_ABOVE,
                (t1 - t0) / (double) COLUMNS) : "";
        List<String> notes = new ArrayList<>();
        for (String n : List.of(note, shading)) {
            if (!n.isBlank()) {
                notes.add(n.strip());
            }
        }
        int height = TOP + lanes.size() * LANE_H + 70;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n<svg xmlns="
                + "\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int i = 0; i < Math.min(NOTE_LINES, notes.size()); i++) {
            sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" fill=\"#444444\">%s</text>%n",
                    38 + 16 * i, escape(notes.get(i))));
        }
        for (int i = 0; i < lanes.size(); i++) {
            int y = TOP + i * LANE_H;
            sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 17,
                    escape(lanes.get(i))));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>%n",
                    LABEL_W, y + LANE_H, WIDTH - RIGHT, y + LANE_H));
        }
        for (int lane = 0; lane < lanes.size(); lane++) {
            List<TimelineEvent> l = byLane.getOrDefault(lanes.get(lane), List.of());
            int y = TOP + lane * LANE_H + 4;
            if (l.size() > AGGREGATE_ABOVE) {
                columns(sb, l, t0, t1, y);
                continue;
            }
            for (TimelineEvent e : l) {
                double x = LABEL_W + (e.start() - t0) * scale;
                double w = Math.max(0.5, (e.end() - e.start()) * scale);
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
                        + "fill=\"%s\"><title>%s %d-%d (%d cycles) %s</title></rect>%n", x, y, w, LANE_H - 8,
                        colour(e.kind()), e.kind(), e.start(), e.end(), e.end() - e.start(), escape(e.detail())));
            }
        }
        int axisY = TOP + lanes.size() * LANE_H + 16;
        for (int k = 0; k <= 5; k++) {
            long t = t0 + (t1 - t0) * k / 5;
            double x = LABEL_W + (t - t0) * scale;
            // The first and last labels are anchored inside the picture, or their ends are cut off.
            String anchor = k == 0 ? "start" : k == 5 ? "end" : "middle";
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"#999999\"/>%n", x, axisY - 14, x, axisY - 9));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%,d</text>%n",
                    x, axisY, anchor, t));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">cycle</text>%n", axisY));
        int lx = LABEL_W;
        for (String kind : List.of("burst", "guest-os", "vm-exit", "walk", "verification", "dram")) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, axisY + 18, colour(kind), lx + 18, axisY + 30,
                    kind));
            lx += 110;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /**
     * A lane drawn per pixel column: each column with any busy cycle is a 1-pixel bar, coloured by the kind of event
     * that took most of its cycles and as opaque as the share of its cycles taken (at least a fifth, to be seen).
     */
    private static void columns(StringBuilder sb, List<TimelineEvent> events, long t0, long t1, int y) {
        double perColumn = (t1 - t0) / (double) COLUMNS;
        double[] busy = new double[COLUMNS];
        Map<String, double[]> byKind = new HashMap<>();
        for (TimelineEvent e : events) {
            double[] kind = byKind.computeIfAbsent(e.kind(), k -> new double[COLUMNS]);
            double from = (e.start() - t0) / perColumn;
            double to = (e.end() - t0) / perColumn;
            for (int c = (int) Math.floor(from); c < COLUMNS && c < to; c++) {
                double overlap = Math.min(to, c + 1) - Math.max(from, c);
                if (c >= 0 && overlap > 0) {
                    busy[c] += overlap;
                    kind[c] += overlap;
                }
            }
        }
        for (int c = 0; c < COLUMNS; c++) {
            if (busy[c] <= 0) {
                continue;
            }
            String top = null;
            double most = -1;
            for (Map.Entry<String, double[]> k : byKind.entrySet()) {
                if (k.getValue()[c] > most) {
                    most = k.getValue()[c];
                    top = k.getKey();
                }
            }
            double share = Math.min(1, busy[c]);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"1\" height=\"%d\" fill=\"%s\" "
                    + "fill-opacity=\"%.2f\"/>%n", LABEL_W + c, y, LANE_H - 8, colour(top), Math.max(0.2, share)));
        }
    }

    private static int bankOf(String lane) {
        return lane.startsWith("dram bank ") ? Integer.parseInt(lane.substring(10)) : -1;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
