package org.nestwalk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceIndex;
import org.nestwalk.trace.TraceIndexBuilder;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.util.LongIntHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nestwalk trace info FILE}: reads a whole trace, checks it, and says what is in it. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Reads a trace from start to end, checking every record, and prints its header, its counts "
                + "of references and events, the pages it touches, and whether it has an index (checked against "
                + "the records)."})
final class TraceInfoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A trace file.")
    Path file;

    /** An event kind as docs/trace-format.md names it: "KERNEL_TOUCH" is "kernel touch". */
    private static String name(org.nestwalk.trace.TraceEvent e) {
        if (e instanceof org.nestwalk.trace.TraceEvent.Unknown u) {
            return "unknown kind " + u.kind();
        }
        return switch (e.kind()) {
            case org.nestwalk.trace.TraceEvent.KERNEL_TOUCH -> "kernel touch";
            case org.nestwalk.trace.TraceEvent.IPAGE -> "instruction page";
            default -> e.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    /** "754,265 instruction page, 12 mmap, 1 brk": most frequent first. */
    private static String describe(Map<String, Long> events) {
        return String.join(", ", events.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey())).toList());
    }

    /**
     * The index line: what the trace's index holds, checked against the one its records give; an index that passed
     * its own checks but disagrees with the records is refused (open would believe it).
     */
    private String describe(java.util.Optional<TraceIndex> stored, String damage,
                            java.util.Optional<TraceIndex> learned) {
        if (damage != null) {
            return "damaged, so runs read the whole trace first (" + damage + ")";
        }
        if (stored.isEmpty()) {
            return "none (a trace written before there were indexes, or by another tool): each run reads the whole "
                    + "trace first";
        }
        TraceIndex i = stored.get();
        long images = 0;
        long regions = 0;
        for (TraceIndex.Process p : i.processes()) {
            for (TraceIndex.Image image : p.images()) {
                images++;
                regions += image.data().size() + image.code().size();
            }
        }
        String what = String.format(Locale.ROOT, "%,d process%s, %,d program image%s, %,d regions", i.processes()
                .size(), i.processes().size() == 1 ? "" : "es", images, images == 1 ? "" : "s", regions);
        if (learned.isEmpty()) {
            return what + " (not checked: the records touch more pages than an index is made of)";
        }
        if (!learned.get().equals(i)) {
            throw new TraceFormatException(file + ": the trace's index disagrees with its records (its field '"
                    + difference(i, learned.get()) + "' is not what the records give); runs would believe it: write "
                    + "the trace again");
        }
        return what + "; agrees with the records";
    }

    /** The name of the first part of the index that differs. */
    private static String difference(TraceIndex stored, TraceIndex learned) {
        java.lang.reflect.RecordComponent[] parts = TraceIndex.class.getRecordComponents();
        for (java.lang.reflect.RecordComponent c : parts) {
            try {
                Object a = c.getAccessor().invoke(stored);
                Object b = c.getAccessor().invoke(learned);
                if (!a.equals(b)) {
                    return c.getName();
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return "parts";
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try (TraceReader r = TraceReader.open(file)) {
            TraceHeader h = r.header();
            java.util.Optional<TraceIndex> stored = java.util.Optional.empty();
            String damage = null;
            try {
                stored = TraceIndex.read(file, h);
            } catch (TraceFormatException e) {
                damage = e.getMessage();
            }
            // The index the records give, to check the stored one against.
            TraceIndexBuilder learned = new TraceIndexBuilder(h);
            long instructions = 0;
            long stores = 0;
            long present = 0;
            Map<String, Long> events = new TreeMap<>();
            LongIntHashMap pages = new LongIntHashMap(1 << 16);
            int shift = Integer.numberOfTrailingZeros(h.pageSize());
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                instructions += r.gap();
                if (kind == TraceReader.REFERENCE) {
                    stores += r.store() ? 1 : 0;
                    pages.put(r.address() >>> shift, 1);
                    learned.reference(r.gap(), r.address(), r.size());
                } else {
                    learned.event(r.gap(), r.event());
                    events.merge(name(r.event()), 1L, Long::sum);
                    if (r.event() instanceof TraceEvent.Present p) {
                        present += p.length();
                    }
                }
            }
            String index = describe(stored, damage, learned.finish(r.references(), r.events()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%s: %s%n", file, String.join(" ", h.commandLine()));
            out.printf(Locale.ROOT, "  written by %s; %d-byte pages; %,d instructions skipped before it%n",
                    h.tool(), h.pageSize(), h.skippedInstructions());
            out.printf(Locale.ROOT, "  %,d references (%,d stores) over %,d instructions; %,d distinct pages (%s)%n",
                    r.references(), stores, instructions, pages.size(),
                    org.nestwalk.config.Parameter.bytes((long) pages.size() << shift));
            out.printf(Locale.ROOT, "  events: %s%n", events.isEmpty() ? "none" : describe(events));
            if (present > 0) {
                out.printf(Locale.ROOT, "  %,d pages (%s) present when recording started%n", present >>> shift,
                        org.nestwalk.config.Parameter.bytes(present >>> shift << shift));
            }
            out.printf(Locale.ROOT, "  index: %s%n", index);
            out.printf(Locale.ROOT, "  read and checked in %.2f s (%.1f M records/s)%n", seconds,
                    (r.references() + r.events()) / seconds / 1e6);
        }
    }
}
