package org.nestwalk.workload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.trace.TraceWriter;

/**
 * What the index saves: the time {@link TraceWorkload#open} takes on a trace with its index and on the same records
 * without it, alternately in one JVM (as a run opens its trace once more per mode and replication). Not a test: run
 * it by hand, on a quiet machine or side by side.
 *
 * <pre>
 * CP=target/classes:target/test-classes:$(cat cp.txt)    # mvn dependency:build-classpath -Dmdep.outputFile=cp.txt
 * java -cp $CP org.nestwalk.workload.TraceOpenTiming copy xz.trace xz100m.trace 100000000   # an indexed copy
 * java -cp $CP org.nestwalk.workload.TraceOpenTiming strip xz100m.trace xz100m-old.trace    # the records alone
 * java -cp $CP org.nestwalk.workload.TraceOpenTiming time 5 xz100m.trace xz100m-old.trace
 * </pre>
 *
 * {@code copy} writes the first N references of a trace through the writer, with the events among them; past the
 * trace's end it starts again from the beginning, keeping only references and instruction pages (the program goes
 * on running in the same address space), so that a longer trace of the same program is had.
 */
public final class TraceOpenTiming {
    private static final long MEMORY = 16L << 30;

    private TraceOpenTiming() {
    }

    public static void main(String[] args) throws IOException {
        switch (args.length > 0 ? args[0] : "") {
            case "copy" -> copy(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]));
            case "strip" -> strip(Path.of(args[1]), Path.of(args[2]));
            case "time" -> time(Integer.parseInt(args[1]), Arrays.stream(args, 2, args.length).map(Path::of).toList());
            default -> System.err.println("usage: copy SRC DST REFERENCES | strip SRC DST | time ROUNDS FILE...");
        }
    }

    private static void copy(Path from, Path to, long references) {
        long t0 = System.nanoTime();
        try (TraceReader first = TraceReader.open(from); TraceWriter w = TraceWriter.create(to, first.header())) {
            TraceReader r = first;
            boolean again = false;
            while (w.references() < references) {
                int kind = r.next();
                if (kind == TraceReader.REFERENCE) {
                    w.reference(r.gap(), r.address(), r.size(), r.store());
                } else if (kind == TraceReader.EVENT) {
                    if (!again || r.event() instanceof TraceEvent.IPage) {
                        w.event(r.gap(), r.event());
                    }
                } else {
                    if (r != first) {
                        r.close();
                    }
                    r = TraceReader.open(from);
                    again = true;
                }
            }
            if (r != first) {
                r.close();
            }
            w.finish(0);
        }
        System.out.printf(Locale.ROOT, "%s: %,d references, %,d bytes, written in %.1f s%n", to, references,
                size(to), (System.nanoTime() - t0) / 1e9);
    }

    /** The same file without its index: the bytes before it, as a trace written before there were indexes. */
    private static void strip(Path from, Path to) throws IOException {
        byte[] b = Files.readAllBytes(from);
        int n = b.length;
        long length = (b[n - 12] & 0xFFL) | (b[n - 11] & 0xFFL) << 8 | (b[n - 10] & 0xFFL) << 16
                | (b[n - 9] & 0xFFL) << 24;
        Files.copy(from, to);
        try (FileChannel f = FileChannel.open(to, StandardOpenOption.WRITE)) {
            f.truncate(n - length);
        }
        System.out.printf(Locale.ROOT, "%s: %,d bytes (the index was %,d)%n", to, size(to), length);
    }

    private static void time(int rounds, List<Path> files) {
        List<List<Double>> seconds = new ArrayList<>();
        files.forEach(f -> seconds.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < files.size(); i++) {
                long t0 = System.nanoTime();
                TraceWorkload w = TraceWorkload.open(files.get(i), MEMORY, true);
                double s = (System.nanoTime() - t0) / 1e9;
                seconds.get(i).add(s);
                System.out.printf(Locale.ROOT, "round %d  %-40s %10.4f s  (%,d references)%n", round,
                        files.get(i), s, w.references());
            }
        }
        for (int i = 0; i < files.size(); i++) {
            List<Double> s = new ArrayList<>(seconds.get(i));
            s.sort(null);
            System.out.printf(Locale.ROOT, "median %-40s %10.4f s  (min %.4f, max %.4f)%n", files.get(i),
                    s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
