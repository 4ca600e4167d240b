package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding ahead on another thread changes nothing a replay sees: the same records, mixed bulk and single reads, the
 * same error after the same records; and its thread ends when the reader is closed or dropped.
 */
class ReadAheadReaderTest {
    /**
     * Every record {@code r} gives, read by a random mix of bulk and single reads, one line each, and the error that
     * ended them, if any.
     */
    private static List<String> records(TraceRecords r, long seed) {
        Random choice = new Random(seed);
        long[] a = new long[300];
        int[] g = new int[300];
        byte[] f = new byte[300];
        List<String> out = new ArrayList<>();
        try {
            while (true) {
                if (choice.nextBoolean()) {
                    int n = r.nextReferences(a, g, f, 0, 1 + choice.nextInt(a.length), (byte) 3);
                    for (int k = 0; k < n; k++) {
                        out.add("R " + a[k] + " " + g[k] + " " + (f[k] == 3));
                    }
                    if (n > 0) {
                        out.add("last " + r.address() + " " + r.gap() + " " + r.store());
                    }
                    continue;
                }
                int kind = r.next();
                if (kind == TraceReader.END) {
                    out.add("END " + r.gap());
                    assertEquals(TraceReader.END, r.next(), "END stays END");
                    return out;
                }
                out.add(kind == TraceReader.REFERENCE ? "R " + r.address() + " " + r.gap() + " " + r.store()
                        : "E " + r.gap() + " " + describe(r.event()));
            }
        } catch (TraceFormatException e) {
            out.add("error: " + e.getMessage());
            return out;
        }
    }

    private static String describe(TraceEvent e) {
        return e instanceof TraceEvent.Unknown u ? u.kind() + Arrays.toString(u.payload()) : e.toString();
    }

    /** The records of {@code file} as a plain reader and a reader decoding ahead give them, each read its own way. */
    private static String compare(Path file, long seed) {
        List<String> plain;
        List<String> ahead;
        try (TraceReader r = TraceReader.open(file)) {
            plain = records(r, seed);
        }
        try (ReadAheadReader r = ReadAheadReader.open(file)) {
            assertEquals(TraceReader.open(file).header(), r.header());
            ahead = records(r, seed + 1000);
        }
        // The "last" lines say what the accessors give after a bulk read; where bulk reads stop differs.
        List<String> p = plain.stream().filter(x -> !x.startsWith("last")).toList();
        List<String> a = ahead.stream().filter(x -> !x.startsWith("last")).toList();
        for (int i = 0; i < Math.min(p.size(), a.size()); i++) {
            assertEquals(p.get(i), a.get(i), "record " + i + " of " + file.getFileName());
        }
        assertEquals(p.size(), a.size(), "records of " + file.getFileName());
        for (List<String> l : List.of(plain, ahead)) {
            for (int i = 1; i < l.size(); i++) {
                if (l.get(i).startsWith("last")) {
                    assertEquals(l.get(i - 1).replace("R ", "last "), l.get(i), "the accessors after a bulk read");
                }
            }
        }
        return plain.get(plain.size() - 1);
    }

    @Test
    void givesTheRecordsAndErrorsOfAPlainReader(@TempDir Path dir) throws IOException {
        Path file = TraceFormatTest.write(dir, TraceFormatTest.randomRecords(5, 3 * ReadAheadReader.BATCH + 777));
        for (long seed = 1; seed <= 3; seed++) {
            assertEquals("END 17", compare(file, seed));
        }
        // Cut short: both fail at the same record, with the same message, after the same records.
        byte[] whole = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.trace");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        assertTrue(compare(cut, 4).startsWith("error: "), "a cut trace fails");
    }

    private static Thread decoderOf(Path file) {
        String name = "read-ahead " + file;
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElse(null);
    }

    @Test
    void closingEndsTheDecodingThread(@TempDir Path dir) throws InterruptedException {
        Path file = TraceFormatTest.write(dir, TraceFormatTest.randomRecords(6, 10 * ReadAheadReader.BATCH));
        ReadAheadReader r = ReadAheadReader.open(file);
        assertEquals(null, decoderOf(file), "no thread before the first read");
        r.next();
        Thread t = decoderOf(file);
        assertTrue(t != null && t.isDaemon());
        r.close();
        t.join(10_000);
        assertFalse(t.isAlive(), "the decoder ended with close()");
    }

    @Test
    void aReaderDroppedUnclosedEndsItsThreadOnceCollected(@TempDir Path dir) throws InterruptedException {
        Path file = TraceFormatTest.write(dir, TraceFormatTest.randomRecords(7, 10 * ReadAheadReader.BATCH));
        startAndDrop(file);
        Thread t = decoderOf(file);
        assertTrue(t != null, "the decoder runs");
        for (int i = 0; i < 200 && t.isAlive(); i++) {
            System.gc();
            t.join(100);
        }
        assertFalse(t.isAlive(), "the decoder of a dropped reader ended");
    }

    /** Reads one record from a new reader and lets go of it, unclosed. */
    private static void startAndDrop(Path file) {
        ReadAheadReader r = ReadAheadReader.open(file);
        assertEquals(List.of(TraceReader.REFERENCE, TraceReader.EVENT).contains(r.next()), true);
    }
}
