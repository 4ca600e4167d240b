package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.CliRun;

/**
 * Issue 17, defect 8: a header page size of 2^40 was called "not a power of two", and one of 1 or 512 passed
 * {@code trace info} and failed later without naming the file. Page sizes from 4 KiB to 1 GiB are read; others are
 * refused when the header is, naming the file and the size.
 */
class PageSizeTest {
    /** A header alone (the reader checks it when the file is opened), giving {@code pageSize}. */
    private static Path header(Path dir, long pageSize) throws Exception {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        varint(fields, TraceFormat.TAG_PAGE_SIZE);
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        varint(value, pageSize);
        varint(fields, value.size());
        fields.writeBytes(value.toByteArray());
        byte[] f = fields.toByteArray();
        byte[] fixed = Arrays.copyOf(TraceFormat.MAGIC, 16);
        fixed[8] = 1;
        fixed[10] = 1;
        fixed[12] = (byte) f.length;
        Path t = dir.resolve("page-" + pageSize + ".trace");
        byte[] all = Arrays.copyOf(fixed, 16 + f.length);
        System.arraycopy(f, 0, all, 16, f.length);
        Files.write(t, all);
        return t;
    }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }

    @Test
    void pageSizesOutsideFourKiBToOneGiBAreRefusedWithTheFile(@TempDir Path dir) throws Exception {
        for (long size : new long[] {1, 512, 2048, 1L << 31, 1L << 40}) {
            Path t = header(dir, size);
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceReader.open(t).close());
            assertEquals(t + ": header: page size " + size + " (2^" + Long.numberOfTrailingZeros(size) + ") is not "
                    + "supported: expected a power of two from 4096 (4 KiB) to 1073741824 (1 GiB)", e.getMessage());
            CliRun.of("trace", "info", t.toString()).assertOneLineError(t + ": header: page size " + size);
        }
        Path odd = header(dir, 5000);
        assertEquals(odd + ": header: page size 5000 is not a power of two",
                assertThrows(TraceFormatException.class, () -> TraceReader.open(odd).close()).getMessage());
        for (long size : new long[] {4096, 1L << 21, 1L << 30}) {
            Path t = header(dir, size);
            try (TraceReader r = TraceReader.open(t)) {
                assertEquals(size, r.header().pageSize());
            }
        }
    }

    @Test
    void writersCannotMakeAPageSizeReadersRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new TraceHeader(List.of(), "t", 512, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TraceHeader(List.of(), "t", 6144, 0, 1));
    }
}
