package org.nestwalk.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A timeline drawn as an SVG picture: one lane per entity (vCPU, guest OS, hypervisor, page walker, each DRAM
 * bank), simulated time across, each event a bar coloured by its kind (hover for its detail), so what overlaps what
 * can be seen: a DRAM access under a walk, the vCPU running on under a verification.
 */
public final class TimelineSvg {
    private static final int WIDTH = 1400;
    private static final int LABEL_W = 110;
    private static final int LANE_H = 26;
    private static final int TOP = 40;

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
        List<String> lanes = new ArrayList<>(TimelineRecording.LANES);
        events.stream().map(TimelineEvent::lane).filter(l -> !lanes.contains(l)).distinct().sorted(
                (a, b) -> Integer.compare(bankOf(a), bankOf(b))).forEach(lanes::add);
        long t0 = events.stream().mapToLong(TimelineEvent::start).min().orElse(0);
        long t1 = Math.max(t0 + 1, events.stream().mapToLong(TimelineEvent::end).max().orElse(1));
        double scale = (double) (WIDTH - LABEL_W - 20) / (t1 - t0);
        int height = TOP + lanes.size() * LANE_H + 70;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n<svg xmlns="
                + "\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        for (int i = 0; i < lanes.size(); i++) {
            int y = TOP + i * LANE_H;
            sb.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 17,
                    escape(lanes.get(i))));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>%n",
                    LABEL_W, y + LANE_H, WIDTH - 10, y + LANE_H));
        }
        for (TimelineEvent e : events) {
            int lane = lanes.indexOf(e.lane());
            double x = LABEL_W + (e.start() - t0) * scale;
            double w = Math.max(0.5, (e.end() - e.start()) * scale);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" "
                    + "fill=\"%s\"><title>%s %d-%d (%d cycles) %s</title></rect>%n", x, TOP + lane * LANE_H + 4, w,
                    LANE_H - 8, colour(e.kind()), e.kind(), e.start(), e.end(), e.end() - e.start(),
                    escape(e.detail())));
        }
        int axisY = TOP + lanes.size() * LANE_H + 16;
        for (int k = 0; k <= 5; k++) {
            long t = t0 + (t1 - t0) * k / 5;
            double x = LABEL_W + (t - t0) * scale;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>%n",
                    x, axisY, t));
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

    private static int bankOf(String lane) {
        return lane.startsWith("dram bank ") ? Integer.parseInt(lane.substring(10)) : -1;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
