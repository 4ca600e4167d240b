package org.nestwalk.trace.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

/** A converted trace read back as one line per record, so tests can compare whole traces at once. */
final class Records {
    private Records() {
    }

    static String load(long gap, long address, int size) {
        return String.format(Locale.ROOT, "gap %d load %x %d", gap, address, size);
    }

    static String store(long gap, long address, int size) {
        return String.format(Locale.ROOT, "gap %d store %x %d", gap, address, size);
    }

    static String ipage(long gap, long page) {
        return String.format(Locale.ROOT, "gap %d IPAGE %x", gap, page);
    }

    static String end(long gap) {
        return "gap " + gap + " END";
    }

    static List<String> read(Path trace) {
        List<String> out = new ArrayList<>();
        try (TraceReader r = TraceReader.open(trace)) {
            for (int kind = r.next(); ; kind = r.next()) {
                if (kind == TraceReader.END) {
                    out.add(end(r.gap()));
                    return out;
                }
                if (kind == TraceReader.REFERENCE) {
                    out.add(r.store() ? store(r.gap(), r.address(), r.size()) : load(r.gap(), r.address(), r.size()));
                } else if (r.event() instanceof TraceEvent.IPage p) {
                    out.add(ipage(r.gap(), p.address()));
                } else {
                    out.add("gap " + r.gap() + " unexpected " + r.event());
                }
            }
        }
    }
}
