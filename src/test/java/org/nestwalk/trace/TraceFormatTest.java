package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace format: every record survives a round trip, and every kind of damage is reported, never hung on. */
class TraceFormatTest {
    private static final TraceHeader HEADER = new TraceHeader(List.of("/usr/bin/prog", "--flag", "ünïcode"),
            "test", 4096, 12345, 42);

    /** One record as the test remembers it. */
    private record Rec(long gap, long address, int size, boolean store, TraceEvent event) {
    }

    private static List<Rec> randomRecords(long seed, int n) {
        Random r = new Random(seed);
        List<Rec> out = new ArrayList<>();
        long address = 0x7fff_0000_0000L;
        List<TraceEvent> events = List.of(new TraceEvent.Mmap(0x7f00_0000_0000L, 1 << 20, 3, 0x22),
                new TraceEvent.Munmap(0x7f00_0000_0000L, 4096), new TraceEvent.Mprotect(0x400000, 8192, 1),
                new TraceEvent.Brk(0x600000, 0x621000), new TraceEvent.Mremap(1 << 30, 1 << 20, 2L << 30, 2 << 20),
                new TraceEvent.Fork(43), new TraceEvent.Exec(), new TraceEvent.Exit(43),
                new TraceEvent.Switch(42, 44), new TraceEvent.KernelTouch(0x7ffd_0000_1000L, 300, true),
                new TraceEvent.IPage(0x401000), new TraceEvent.Present(0x400000, 1 << 16, false),
                new TraceEvent.Syscall(9), new TraceEvent.Unknown(99, new byte[] {1, 2, 3}));
        for (int i = 0; i < n; i++) {
            long gap = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(7);
                case 2 -> 7 + r.nextInt(1000);
                default -> r.nextLong() >>> 20;
            };
            if (r.nextInt(50) == 0) {
                out.add(new Rec(gap, 0, 0, false, events.get(r.nextInt(events.size()))));
                continue;
            }
            address = switch (r.nextInt(3)) {
                case 0 -> address + 8;
                case 1 -> address - r.nextInt(1 << 20);
                default -> r.nextLong();
            };
            out.add(new Rec(gap, address, 1 << r.nextInt(7), r.nextBoolean(), null));
        }
        return out;
    }

    private static Path write(Path dir, List<Rec> records) {
        Path file = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            for (Rec x : records) {
                if (x.event() == null) {
                    w.reference(x.gap(), x.address(), x.size(), x.store());
                } else {
                    w.event(x.gap(), x.event());
                }
            }
            w.finish(17);
        }
        return file;
    }

    private static void readAll(Path file) {
        try (TraceReader r = TraceReader.open(file)) {
            while (r.next() != TraceReader.END) {
                // Reading is the test.
            }
        }
    }

    @Test
    void everyRecordSurvivesARoundTrip(@TempDir Path dir) {
        List<Rec> records = randomRecords(1, 200_000);
        Path file = write(dir, records);
        try (TraceReader r = TraceReader.open(file)) {
            assertEquals(HEADER, r.header());
            for (int i = 0; i < records.size(); i++) {
                Rec x = records.get(i);
                int kind = r.next();
                assertEquals(x.gap(), r.gap(), "record " + i);
                if (x.event() == null) {
                    assertEquals(TraceReader.REFERENCE, kind, "record " + i);
                    assertEquals(x.address(), r.address(), "record " + i);
                    assertEquals(x.size(), r.size(), "record " + i);
                    assertEquals(x.store(), r.store(), "record " + i);
                } else {
                    assertEquals(TraceReader.EVENT, kind, "record " + i);
                    if (x.event() instanceof TraceEvent.Unknown u) {
                        TraceEvent.Unknown got = (TraceEvent.Unknown) r.event();
                        assertEquals(u.kind(), got.kind());
                        assertArrayEquals(u.payload(), got.payload());
                    } else {
                        assertEquals(x.event(), r.event(), "record " + i);
                    }
                }
            }
            assertEquals(TraceReader.END, r.next());
            assertEquals(17, r.gap());
            assertEquals(TraceReader.END, r.next(), "END stays END");
        }
        assertEquals(List.of(file), listing(dir), "no temporary file is left");
    }

    /**
     * Bulk decoding ({@link TraceReader#nextReferences}) gives each reference as {@link TraceReader#next} does, stops
     * before every record it leaves to next() (events, gaps beyond an int), and the two can be mixed at will.
     */
    @Test
    void bulkDecodingReadsWhatNextReads(@TempDir Path dir) {
        List<Rec> records = randomRecords(2, 200_000);
        Path file = write(dir, records);
        long[] addresses = new long[64];
        int[] gaps = new int[64];
        byte[] flags = new byte[64];
        Random sizes = new Random(3);
        try (TraceReader r = TraceReader.open(file)) {
            int i = 0;
            while (i < records.size()) {
                int max = 1 + sizes.nextInt(addresses.length);
                int n = r.nextReferences(addresses, gaps, flags, 0, max, (byte) 5);
                assertTrue(n <= max);
                for (int k = 0; k < n; k++, i++) {
                    Rec x = records.get(i);
                    assertEquals(null, x.event(), "record " + i + " is an event, not a reference");
                    assertEquals(x.address(), addresses[k], "record " + i);
                    assertEquals(x.gap(), gaps[k], "record " + i);
                    assertEquals(x.store() ? 5 : 0, flags[k], "record " + i);
                }
                if (n > 0) {
                    Rec last = records.get(i - 1);
                    assertEquals(last.address(), r.address());
                    assertEquals(last.size(), r.size());
                    continue;
                }
                Rec x = records.get(i);
                // The references in the trace's last bytes (fewer than a maximal reference's) are next()'s too.
                assertTrue(x.event() != null || x.gap() > Integer.MAX_VALUE || i >= records.size() - 10,
                        "record " + i + " was left to next()");
                int kind = r.next();
                assertEquals(x.event() == null ? TraceReader.REFERENCE : TraceReader.EVENT, kind, "record " + i);
                assertEquals(x.gap(), r.gap(), "record " + i);
                i++;
            }
            assertEquals(0, r.nextReferences(addresses, gaps, flags, 0, 64, (byte) 1));
            assertEquals(TraceReader.END, r.next());
            assertEquals(records.stream().filter(x -> x.event() == null).count(), r.references());
        }
    }

    @Test
    void anUnfinishedTraceIsNeverLeftBehind(@TempDir Path dir) {
        try (TraceWriter w = TraceWriter.create(dir.resolve("t.trace"), HEADER)) {
            w.reference(1, 4096, 8, false);
            // No finish(): the capture failed.
        }
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void aTruncatedTraceSaysWhereItEnds(@TempDir Path dir) throws Exception {
        Path file = write(dir, randomRecords(2, 50_000));
        byte[] whole = Files.readAllBytes(file);
        // The records end where the index begins (a trace cut inside its index has all its records: TraceIndexTest).
        int records = recordsEnd(file);
        for (int cut : new int[] {3, 14, 20, records / 2, records - 1}) {
            Path t = dir.resolve("cut" + cut + ".trace");
            Files.write(t, Arrays.copyOf(whole, cut));
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> readAll(t));
            assertTrue(e.getMessage().startsWith(t.toString() + ": "), e.getMessage());
            assertTrue(e.getMessage().matches(".*byte \\d+.*"), e.getMessage());
        }
    }

    @Test
    void corruptionIsReportedNotHungOn(@TempDir Path dir) throws Exception {
        Path file = write(dir, randomRecords(3, 50_000));
        byte[] whole = Files.readAllBytes(file);
        Random r = new Random(4);
        int headerEnd = 16 + (int) (whole[12] & 0xFF | (whole[13] & 0xFF) << 8);
        for (int trial = 0; trial < 20; trial++) {
            byte[] bad = whole.clone();
            int at = headerEnd + r.nextInt(bad.length - headerEnd);
            bad[at] ^= (byte) (1 + r.nextInt(255));
            Path t = dir.resolve("bad" + trial + ".trace");
            Files.write(t, bad);
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> readAll(t),
                    "flipped byte " + at);
            assertTrue(e.getMessage().startsWith(t.toString()), e.getMessage());
        }
    }

    @Test
    void wrongMagicAndUnknownVersionAreNamed(@TempDir Path dir) throws Exception {
        Path file = write(dir, randomRecords(5, 10));
        byte[] whole = Files.readAllBytes(file);
        byte[] magic = whole.clone();
        magic[0] = 'X';
        Path m = dir.resolve("magic.trace");
        Files.write(m, magic);
        assertEquals(m + ": byte 0: not a nestwalk trace (wrong magic number)",
                assertThrows(TraceFormatException.class, () -> readAll(m)).getMessage());
        byte[] version = whole.clone();
        version[8] = 2;
        Path v = dir.resolve("version.trace");
        Files.write(v, version);
        assertEquals(v + ": byte 8: format version 2 is not supported (this nestwalk reads version 1)",
                assertThrows(TraceFormatException.class, () -> readAll(v)).getMessage());
        Path none = dir.resolve("none.trace");
        assertEquals(none + ": no such trace file",
                assertThrows(TraceFormatException.class, () -> readAll(none)).getMessage());
    }

    @Test
    void bareRecordsAreCheckedLikeFiles() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0b0000_0110); // load, 8 bytes, gap 0
        b.write(16);          // address +8 (zigzag)
        b.write(0x80 | TraceEvent.END);
        b.write(3);
        b.write(0);           // gap
        b.write(1);           // one reference
        b.write(0);           // no events
        try (TraceReader r = TraceReader.records(new ByteArrayInputStream(b.toByteArray()), "pipe", HEADER)) {
            assertEquals(TraceReader.REFERENCE, r.next());
            assertEquals(8, r.address());
            assertEquals(8, r.size());
            assertFalse(r.store());
            assertEquals(TraceReader.END, r.next());
        }
        b.write(0); // data after END
        TraceFormatException after = assertThrows(TraceFormatException.class, () -> {
            try (TraceReader r = TraceReader.records(new ByteArrayInputStream(b.toByteArray()), "pipe", HEADER)) {
                while (r.next() != TraceReader.END) {
                    // reading
                }
            }
        });
        assertEquals("pipe: record byte 7: data after the END record", after.getMessage());
        byte[] wrongCount = {0b0000_0110, 16, (byte) (0x80 | TraceEvent.END), 3, 0, 5, 0};
        TraceFormatException count = assertThrows(TraceFormatException.class, () -> {
            try (TraceReader r = TraceReader.records(new ByteArrayInputStream(wrongCount), "pipe", HEADER)) {
                while (r.next() != TraceReader.END) {
                    // reading
                }
            }
        });
        assertTrue(count.getMessage().contains("END says 5 references and 0 events, but the trace has 1 and 0"),
                count.getMessage());
        byte[] badSize = {0b0000_1110, 16};
        assertTrue(assertThrows(TraceFormatException.class, () -> TraceReader.records(
                new ByteArrayInputStream(badSize), "pipe", HEADER).next()).getMessage()
                .startsWith("pipe: record byte 0: invalid access size"));
    }

    private static List<Path> listing(Path dir) {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where a trace file's records end: where its index begins. */
    static int recordsEnd(Path file) throws java.io.IOException {
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file)) {
            long start = TraceIndex.frameStart(f, f.size(), TraceIndex.bodyStart(f, file.toString()));
            assertTrue(start > 0, "the trace has an index");
            return (int) start;
        }
    }
}
