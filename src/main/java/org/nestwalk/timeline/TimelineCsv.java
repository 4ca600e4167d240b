package org.nestwalk.timeline;

import java.util.List;

/** A timeline as CSV: one row per event, by start time; times in core cycles. */
public final class TimelineCsv {
    /** The header row. */
    public static final String HEADER = "lane,kind,start,end,cycles,detail";

    private TimelineCsv() {
    }

    public static String render(List<TimelineEvent> events) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TimelineEvent e : events) {
            sb.append(e.lane()).append(',').append(e.kind()).append(',').append(e.start()).append(',')
                    .append(e.end()).append(',').append(e.end() - e.start()).append(',').append(quote(e.detail()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
