package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile indexes, as {@link TraceFuzzTest} has hostile records: an index damaged in every way (bit flips, cuts,
 * insertions, absurd numbers), with its checksum left wrong or made right again so that the parser's own checks
 * are what stands. Each read is no index, the index as written, or a {@link TraceFormatException} of one line naming
 * the file and a byte; never another exception, a hang or a large allocation. Seeded: the same cases every run.
 */
class TraceIndexFuzzTest {
    private static final TraceHeader HEADER = new TraceHeader(List.of("/bin/prog"), "fuzz", 4096, 0, 3);
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @Test
    void damagedIndexesAreNoIndexOrOneLine(@TempDir Path dir) throws Exception {
        Path good = indexedTrace(dir, 41);
        byte[] file = Files.readAllBytes(good);
        int start = frameStart(file);
        TraceIndex original = TraceIndex.read(good, HEADER).orElseThrow();
        byte[] records = Arrays.copyOf(file, start);
        byte[] frame = Arrays.copyOfRange(file, start, file.length);
        Random r = new Random(42);
        int[] outcomes = new int[4];
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 1500; i++) {
                byte[] bad = concat(records, TraceFuzzTest.mutate(frame, r));
                outcomes[read(dir, i, bad, original)]++;
            }
        });
        // The checksum lets nothing through: each is no index (the tail cut), refused, or left as it was.
        assertEquals(0, outcomes[3], "damaged indexes taken: " + Arrays.toString(outcomes));
        assertTrue(outcomes[2] > 1000, "damaged indexes refused: " + Arrays.toString(outcomes));
    }

    /** With the checksum and lengths made right again, only the parser's checks stand between damage and a run. */
    @Test
    void indexesDamagedBehindAGoodChecksumAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path good = indexedTrace(dir, 43);
        byte[] file = Files.readAllBytes(good);
        int start = frameStart(file);
        TraceIndex original = TraceIndex.read(good, HEADER).orElseThrow();
        byte[] records = Arrays.copyOf(file, start);
        byte[] fields = Arrays.copyOfRange(file, start + 8, file.length - TraceIndex.TAIL);
        Random r = new Random(44);
        int[] outcomes = new int[4];
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 3000; i++) {
                byte[] damaged = i % 4 == 0 ? absurdNumber(fields, r) : TraceFuzzTest.mutate(fields, r);
                outcomes[read(dir, i, concat(records, frame(damaged)), original)]++;
            }
        });
        // Some damage leaves a valid index (a PRESENT range moved, a pid changed); most must be caught.
        assertTrue(outcomes[2] > 2000, "damaged indexes refused: " + Arrays.toString(outcomes));
    }

    /** Random bytes after a trace's records, ending like an index or not. */
    @Test
    void randomTailsAreNoIndexOrOneLine(@TempDir Path dir) throws Exception {
        Path good = indexedTrace(dir, 45);
        byte[] file = Files.readAllBytes(good);
        byte[] records = Arrays.copyOf(file, frameStart(file));
        Random r = new Random(46);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 1000; i++) {
                byte[] tail = new byte[r.nextInt(100)];
                r.nextBytes(tail);
                if (i % 2 == 0 && tail.length >= TraceIndex.TAIL) {
                    System.arraycopy(TraceIndex.TAIL_MAGIC, 0, tail, tail.length - 8, 8);
                    if (r.nextBoolean()) {
                        ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).putInt(tail.length - 12,
                                r.nextBoolean() ? tail.length : r.nextInt(200));
                    }
                }
                int outcome = read(dir, i, concat(records, tail), null);
                assertTrue(outcome == 0 || outcome == 2, "random bytes are no index: " + outcome);
            }
        });
    }

    /** 0: no index; 1: the index as written; 2: refused in one line; 3: another valid index. */
    private static int read(Path dir, int i, byte[] bytes, TraceIndex original) throws Exception {
        Path f = dir.resolve("bad" + i + ".trace");
        Files.write(f, bytes);
        try {
            Optional<TraceIndex> index = TraceIndex.read(f, HEADER);
            if (index.isEmpty()) {
                return 0;
            }
            // The CRC-32C lets nothing through unnoticed when it is left as it was; rewritten, the damage may
            // have made another valid index, whose regions the parser has checked.
            return index.get().equals(original) ? 1 : 3;
        } catch (TraceFormatException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(f + ": byte "), "case " + i + ": " + m);
            assertTrue(m.matches(".*: byte \\d+: .*"), "case " + i + ": " + m);
            assertTrue(!m.contains("\n"), "one line: " + m);
            return 2;
        } catch (RuntimeException | OutOfMemoryError e) {
            fail("case " + i + ": " + e + " instead of a TraceFormatException", e);
            return -1;
        } finally {
            Files.delete(f);
        }
    }

    /** One field replaced by a number of 2^31 to 2^64 - 1, or one of 10 bytes: counts that claim everything. */
    private static byte[] absurdNumber(byte[] fields, Random r) {
        int at = r.nextInt(fields.length);
        while (at > 0 && fields[at - 1] < 0) {
            at--; // the start of a varint
        }
        int end = at;
        while (end < fields.length && fields[end] < 0) {
            end++;
        }
        long[] values = {1L << 31, 1L << 32, 1L << 62, Long.MAX_VALUE, -1L, Long.MIN_VALUE, 1L << 47, 1L << 35};
        java.io.ByteArrayOutputStream v = new java.io.ByteArrayOutputStream();
        TraceWriter.putVarint(v, values[r.nextInt(values.length)]);
        byte[] out = new byte[fields.length - (Math.min(end + 1, fields.length) - at) + v.size()];
        System.arraycopy(fields, 0, out, 0, at);
        System.arraycopy(v.toByteArray(), 0, out, at, v.size());
        System.arraycopy(fields, Math.min(end + 1, fields.length), out, at + v.size(),
                fields.length - Math.min(end + 1, fields.length));
        return out;
    }

    /** The fields in a frame with the right magic, sizes and checksum. */
    private static byte[] frame(byte[] fields) {
        int length = 8 + fields.length + TraceIndex.TAIL;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(TraceIndex.SKIPPABLE_MAGIC).putInt(length - 8).put(fields);
        CRC32C crc = new CRC32C();
        crc.update(fields);
        b.putInt((int) crc.getValue()).putInt(length).put(TraceIndex.TAIL_MAGIC);
        return b.array();
    }

    private static int frameStart(byte[] file) {
        int n = file.length;
        int length = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(n - 12);
        assertEquals(TraceIndex.SKIPPABLE_MAGIC, ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(n - length));
        return n - length;
    }

    /** A trace of several processes and images, with PRESENT ranges, kernel accesses and instruction pages. */
    private static Path indexedTrace(Path dir, long seed) {
        Random r = new Random(seed);
        Path file = dir.resolve("valid" + seed + ".trace");
        List<TraceEvent> events = List.of(new TraceEvent.Present(0x7f00_0000_0000L, 1 << 16, true),
                new TraceEvent.Fork(4), new TraceEvent.Switch(4, 4), new TraceEvent.Switch(3, 3),
                new TraceEvent.Exec(), new TraceEvent.KernelTouch(0x60_0000, 30_000, true),
                new TraceEvent.IPage(0x40_0000 + 4096L * r.nextInt(3000)), new TraceEvent.Syscall(9));
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            for (int i = 0; i < 5_000; i++) {
                if (r.nextInt(30) == 0) {
                    w.event(r.nextInt(9), events.get(r.nextInt(events.size())));
                } else {
                    long base = r.nextBoolean() ? 0x60_0000L : 0x7ffc_0000_0000L;
                    w.reference(r.nextInt(9), base + 4096L * r.nextInt(r.nextBoolean() ? 100 : 5_000), 8, false);
                }
            }
            w.finish(1);
        }
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
