package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile traces: random bytes, and valid traces damaged in every way the format can be (bit flips, truncations,
 * varints too long, absurd lengths). Each is either still a valid trace, read to its END, or a
 * {@link TraceFormatException} that names the file and a byte offset; never another exception, a hang or a large
 * allocation. Seeded, so every case is the same on every run; the time limit only guards against a hang.
 */
class TraceFuzzTest {
    private static final TraceHeader HEADER = new TraceHeader(List.of("/bin/prog", "-x"), "fuzz", 4096, 7, 3);
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    /** What a reader says about bare records: the stream's name, the record offset, a reason. */
    private static final Pattern RECORD_PROBLEM = Pattern.compile("fuzz: record byte (\\d+): \\S.*");

    @Test
    void randomBytesAreNeverATrace(@TempDir Path dir) {
        Random r = new Random(11);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 1500; i++) {
                byte[] b = new byte[r.nextInt(400)];
                r.nextBytes(b);
                if (i % 2 == 1 && b.length >= 16) {
                    // Past the magic, version and flags, so the header and body parsers see the random bytes.
                    System.arraycopy(TraceFormat.MAGIC, 0, b, 0, 8);
                    b[8] = 1;
                    b[9] = 0;
                    b[10] = (byte) r.nextInt(2);
                    b[11] = 0;
                    if (r.nextBoolean()) {
                        b[12] = (byte) r.nextInt(b.length - 15);
                        b[13] = b[14] = b[15] = 0;
                    }
                }
                Path f = dir.resolve("random" + i + ".trace");
                Files.write(f, b);
                TraceFormatException e = assertThrows(TraceFormatException.class, () -> readAll(f),
                        "case " + i + ": " + Arrays.toString(b));
                assertNamesFileAndOffset(f, e);
            }
        });
    }

    @Test
    void damagedRecordsAreReportedWithTheirOffset(@TempDir Path dir) throws Exception {
        byte[] valid = records(validTrace(dir, 3_000, 21));
        Random r = new Random(12);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 4000; i++) {
                byte[] bad = mutate(valid, r);
                try (TraceReader t = TraceReader.records(new ByteArrayInputStream(bad), "fuzz", HEADER)) {
                    while (t.next() != TraceReader.END) {
                        // Reading is the test.
                    }
                    outcomes[0]++;
                } catch (TraceFormatException e) {
                    var m = RECORD_PROBLEM.matcher(e.getMessage());
                    assertTrue(m.matches(), "case " + i + ": " + e.getMessage());
                    assertTrue(Long.parseLong(m.group(1)) <= bad.length, "case " + i + ": offset past the data: "
                            + e.getMessage());
                    outcomes[1]++;
                } catch (RuntimeException | OutOfMemoryError e) {
                    fail("case " + i + ": " + e + " instead of a TraceFormatException", e);
                }
            }
        });
        // Some damage leaves a valid trace (a flipped address bit); most must be caught.
        assertTrue(outcomes[1] > 3000, "damaged traces reported: " + outcomes[1] + " of 4000");
    }

    @Test
    void damagedFilesAreReportedWithFileAndOffset(@TempDir Path dir) throws Exception {
        Path good = validTrace(dir, 2_000, 31);
        byte[] file = Files.readAllBytes(good);
        int headerEnd = headerEnd(file);
        byte[] header = Arrays.copyOf(file, headerEnd);
        byte[] body = records(good);
        Random r = new Random(13);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 600; i++) {
                byte[] bad = switch (i % 3) {
                    // The header and the compressed bytes as they are on disk.
                    case 0 -> mutate(file, r);
                    case 1 -> mutateHeader(file, headerEnd, r);
                    // Damaged records, compressed whole: only the record parser can catch these.
                    default -> concat(header, compress(mutate(body, r)));
                };
                Path f = dir.resolve("bad" + i + ".trace");
                Files.write(f, bad);
                try {
                    readAll(f);
                } catch (TraceFormatException e) {
                    assertNamesFileAndOffset(f, e);
                } catch (RuntimeException | OutOfMemoryError e) {
                    fail("case " + i + ": " + e + " instead of a TraceFormatException", e);
                }
            }
        });
    }

    @Test
    void anEventLengthOf2To60IsRefusedBeforeAnythingIsAllocated() {
        for (long length : new long[] {1L << 60, Long.MAX_VALUE, -1L, (1L << 20) + 1}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0x80 | TraceEvent.MMAP);
            putVarint(b, length);
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> readAll(b.toByteArray()));
            assertEquals("fuzz: record byte 0: event payload length " + Long.toUnsignedString(length)
                    + " is implausible (corrupt trace?)", e.getMessage());
        }
    }

    @Test
    void numbersLongerThanTenBytesAreRefused() {
        byte[] gap = new byte[14];
        gap[0] = 0b0111_0110; // load, 8 bytes, the gap in a varint
        Arrays.fill(gap, 1, 13, (byte) 0xFF);
        assertEquals("fuzz: record byte 11: a number longer than 10 bytes (corrupt trace?)",
                assertThrows(TraceFormatException.class, () -> readAll(gap)).getMessage());
        // Ten bytes whose last holds more than the 64th bit: a value that no 64-bit number has.
        byte[] wide = {0b0000_0110, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02};
        assertEquals("fuzz: record byte 10: a number larger than 64 bits (corrupt trace?)",
                assertThrows(TraceFormatException.class, () -> readAll(wide)).getMessage());
    }

    @Test
    void headerFieldsOfAbsurdLengthAreRefused(@TempDir Path dir) throws Exception {
        for (long length : new long[] {1L << 60, -1L, 1000}) {
            ByteArrayOutputStream fields = new ByteArrayOutputStream();
            putVarint(fields, TraceFormat.TAG_TOOL);
            putVarint(fields, length);
            fields.write('x');
            byte[] f = fields.toByteArray();
            byte[] fixed = Arrays.copyOf(TraceFormat.MAGIC, 16);
            fixed[8] = 1;
            fixed[10] = 1;
            fixed[12] = (byte) f.length;
            Path t = dir.resolve("field.trace");
            Files.write(t, concat(fixed, f));
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> readAll(t));
            assertTrue(e.getMessage().startsWith(t + ": byte "), e.getMessage());
            assertTrue(e.getMessage().endsWith("a header field runs past the header"), e.getMessage());
        }
        byte[] huge = Arrays.copyOf(TraceFormat.MAGIC, 16);
        huge[8] = 1;
        huge[10] = 1;
        huge[12] = huge[13] = huge[14] = huge[15] = (byte) 0xFF;
        Path t = dir.resolve("header.trace");
        Files.write(t, huge);
        assertEquals(t + ": byte 12: header length 4294967295 is implausible",
                assertThrows(TraceFormatException.class, () -> readAll(t)).getMessage());
    }

    // --- damage ---

    /** One to three kinds of damage, each at a random place. */
    static byte[] mutate(byte[] valid, Random r) {
        byte[] b = valid;
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            b = switch (r.nextInt(7)) {
                case 0 -> flipBits(b, 0, r);
                case 1 -> Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 2 -> insert(b, r, hugeVarint(r));
                case 3 -> insert(b, r, absurdEvent(r));
                case 4 -> insert(b, r, randomBytes(r, 1 + r.nextInt(32)));
                case 5 -> delete(b, r);
                default -> duplicate(b, r);
            };
        }
        return b;
    }

    private static byte[] mutateHeader(byte[] file, int headerEnd, Random r) {
        byte[] b = file.clone();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            b[8 + r.nextInt(headerEnd - 8)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
    }

    private static byte[] flipBits(byte[] b, int from, Random r) {
        if (b.length <= from) {
            return b;
        }
        byte[] out = b.clone();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            out[from + r.nextInt(out.length - from)] ^= (byte) (1 << r.nextInt(8));
        }
        return out;
    }

    /** A varint of 10 to 14 bytes, or a maximal one. */
    private static byte[] hugeVarint(Random r) {
        int n = 10 + r.nextInt(5);
        byte[] v = new byte[n];
        Arrays.fill(v, (byte) 0xFF);
        v[n - 1] = (byte) r.nextInt(0x80);
        return v;
    }

    /** An event whose length field claims far more than there is. */
    private static byte[] absurdEvent(Random r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80 | (r.nextBoolean() ? TraceEvent.MMAP : r.nextInt(128)));
        long[] lengths = {1L << 60, -1L, Long.MIN_VALUE, 1 << 20, (1 << 20) + 1, Integer.MAX_VALUE, 1L << 32};
        putVarint(b, lengths[r.nextInt(lengths.length)]);
        return b.toByteArray();
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] insert(byte[] b, Random r, byte[] what) {
        int at = r.nextInt(b.length + 1);
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int at = r.nextInt(b.length);
        int n = 1 + r.nextInt(Math.min(64, b.length - at));
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static byte[] duplicate(byte[] b, Random r) {
        if (b.length == 0) {
            return b;
        }
        int at = r.nextInt(b.length);
        return insert(b, r, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + r.nextInt(64))));
    }

    // --- traces ---

    private static Path validTrace(Path dir, int n, long seed) {
        Random r = new Random(seed);
        Path file = dir.resolve("valid" + seed + ".trace");
        List<TraceEvent> events = List.of(new TraceEvent.Mmap(0x7f00_0000_0000L, 1 << 20, 3, 0x22),
                new TraceEvent.Munmap(0x7f00_0000_0000L, 4096), new TraceEvent.Brk(0x600000, 0x621000),
                new TraceEvent.Fork(4), new TraceEvent.Switch(3, 5), new TraceEvent.KernelTouch(0x7000, 300, true),
                new TraceEvent.Syscall(9), new TraceEvent.Unknown(99, new byte[] {1, 2, 3}));
        long address = 0x7fff_0000_0000L;
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            for (int i = 0; i < n; i++) {
                long gap = r.nextInt(10) == 0 ? 7 + r.nextInt(100_000) : r.nextInt(7);
                if (r.nextInt(40) == 0) {
                    w.event(gap, events.get(r.nextInt(events.size())));
                } else {
                    address = r.nextInt(4) == 0 ? r.nextLong() : address + 8 * (r.nextInt(64) - 16);
                    w.reference(gap, address, 1 << r.nextInt(7), r.nextBoolean());
                }
            }
            w.finish(5);
        }
        return file;
    }

    /** A trace file's records, decompressed. */
    private static byte[] records(Path trace) throws IOException {
        byte[] file = Files.readAllBytes(trace);
        int start = headerEnd(file);
        try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(file, start, file.length - start))) {
            return in.readAllBytes();
        }
    }

    private static byte[] compress(byte[] records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(b)) {
            z.setChecksum(true);
            z.write(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static int headerEnd(byte[] file) {
        return 16 + (file[12] & 0xFF | (file[13] & 0xFF) << 8 | (file[14] & 0xFF) << 16);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void putVarint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }

    private static void readAll(Path file) {
        try (TraceReader r = TraceReader.open(file)) {
            while (r.next() != TraceReader.END) {
                // Reading is the test.
            }
        }
    }

    private static void readAll(byte[] records) {
        try (TraceReader r = TraceReader.records(new ByteArrayInputStream(records), "fuzz", HEADER)) {
            while (r.next() != TraceReader.END) {
                // Reading is the test.
            }
        }
    }

    /** The message starts with the file's name and says at which byte (of the file or of the records) it went wrong. */
    private static void assertNamesFileAndOffset(Path f, TraceFormatException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": ") || m.startsWith(f + " "), m);
        assertTrue(m.matches(".*\\bbyte \\d+.*") || m.startsWith(f + ": header: "), m);
        assertTrue(!m.contains("\n"), "one line: " + m);
    }
}
