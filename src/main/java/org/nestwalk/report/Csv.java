package org.nestwalk.report;

import java.util.List;

/** Comma-separated text (RFC 4180): fields with commas, quotes or line breaks are quoted; NaN is an empty field. */
public final class Csv {
    private final StringBuilder text = new StringBuilder();

    public void row(List<?> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(field(fields.get(i)));
        }
        text.append('\n');
    }

    public String text() {
        return text.toString();
    }

    private static String field(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "";
            }
            // Whole numbers (counts, cycles) without a trailing ".0"; others in Java's shortest exact form.
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
        }
        String s = v.toString();
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
