package org.nestwalk.trace;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a trace: the header, then data references and events in program order, compressed with zstd, then the
 * trace's {@linkplain TraceIndex index}, learned from the records as they are written. The trace appears at its path
 * only when {@link #finish} has written its END record and the index; closing a writer that was not finished (a
 * capture that failed) deletes what was written, so a trace on disk is always complete.
 */
public final class TraceWriter implements AutoCloseable {
    private static final int LEVEL = 3;

    private final Path target;
    private final Path temporary;
    private final FileEnd file;
    private final OutputStream body;
    private final TraceIndexBuilder index;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private long previousAddress;
    private long references;
    private long events;
    private boolean done;

    private TraceWriter(Path target, Path temporary, FileEnd file, OutputStream body, TraceIndexBuilder index) {
        this.target = target;
        this.temporary = temporary;
        this.file = file;
        this.body = body;
        this.index = index;
    }

    /** A writer of a new trace at {@code file} (replaced when the trace is finished). */
    public static TraceWriter create(Path file, TraceHeader header) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current()
                .nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            FileEnd out = new FileEnd(Files.newOutputStream(tmp));
            try {
                out.write(headerBytes(header));
                // The frame checksum is what catches a damaged body whose bytes still decode as records (and what
                // binds the index to them).
                return new TraceWriter(file, tmp, out, new ZstdOutputStream(out, LEVEL).setChecksum(true),
                        new TraceIndexBuilder(header));
            } catch (IOException | RuntimeException e) {
                out.out.close();
                Files.deleteIfExists(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends a data reference.
     *
     * @param gap     instructions executed since the previous record (0 or more)
     * @param address the virtual address referenced
     * @param size    bytes accessed: 1, 2, 4, 8, 16, 32 or 64
     * @param store   whether it is a store
     */
    public void reference(long gap, long address, int size, boolean store) {
        if (gap < 0 || size <= 0 || size > 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("a reference needs gap >= 0 and a size of 1..64 bytes (a power of 2):"
                    + " gap " + gap + ", size " + size);
        }
        if (pos > buffer.length - TraceFormat.MAX_REFERENCE_BYTES) {
            drain();
        }
        int smallGap = (int) Math.min(gap, 7);
        buffer[pos++] = (byte) ((store ? 1 : 0) | Integer.numberOfTrailingZeros(size) << 1 | smallGap << 4);
        if (smallGap == 7) {
            pos = putVarint(buffer, pos, gap - 7);
        }
        long delta = address - previousAddress;
        pos = putVarint(buffer, pos, delta << 1 ^ delta >> 63);
        previousAddress = address;
        references++;
        index.reference(gap, address, size);
    }

    /** Appends an event after {@code gap} instructions. */
    public void event(long gap, TraceEvent e) {
        if (e.kind() == TraceEvent.END || e.kind() < 0 || e.kind() > 127) {
            throw new IllegalArgumentException("not an event a trace may contain: kind " + e.kind());
        }
        writeEvent(e.kind(), gap, e);
        events++;
        index.event(gap, e);
    }

    /** Events written so far (END not counted). */
    public long events() {
        return events;
    }

    /** References written so far. */
    public long references() {
        return references;
    }

    /**
     * Writes the END record after {@code gap} trailing instructions, completes the compressed stream, appends the
     * index and puts the trace in place.
     */
    public void finish(long gap) {
        writeEvent(TraceEvent.END, gap, null);
        drain();
        try {
            body.close();
            // After the records' zstd frame, in a skippable frame (docs/trace-format.md, "The index").
            java.util.Optional<TraceIndex> learned = index.finish(references, events);
            if (learned.isPresent()) {
                byte[] frame = learned.get().frame(file.count, file.last4);
                if (frame.length <= TraceIndex.MAX_BYTES) {
                    file.out.write(frame);
                }
            }
            file.out.close();
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes an unfinished trace; does nothing after {@link #finish}. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try (OutputStream out = file.out) {
            body.close();
        } catch (IOException e) {
            // The trace is being abandoned; its temporary file goes either way.
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + temporary + ": " + e.getMessage(), e);
        }
    }

    private void writeEvent(int kind, long gap, TraceEvent e) {
        if (gap < 0) {
            throw new IllegalArgumentException("an event's gap must be >= 0: " + gap);
        }
        if (e instanceof TraceEvent.Unknown u) {
            writeUnknown(kind, gap, u.payload());
            return;
        }
        // Encoded straight into the buffer: a capture writes millions of events (IPAGE, SYSCALL) per second.
        long[] fields = kind == TraceEvent.END ? new long[] {references, events} : e.fields();
        int length = varintSize(gap);
        for (long f : fields) {
            length += varintSize(f);
        }
        if (pos > buffer.length - 2 - varintSize(length) - length) {
            drain();
        }
        buffer[pos++] = (byte) (0x80 | kind);
        pos = putVarint(buffer, pos, length);
        pos = putVarint(buffer, pos, gap);
        for (long f : fields) {
            pos = putVarint(buffer, pos, f);
        }
    }

    private void writeUnknown(int kind, long gap, byte[] rest) {
        payload.reset();
        putVarint(payload, gap);
        payload.writeBytes(rest);
        byte[] p = payload.toByteArray();
        if (pos > buffer.length - 11) {
            drain();
        }
        buffer[pos++] = (byte) (0x80 | kind);
        pos = putVarint(buffer, pos, p.length);
        for (int i = 0; i < p.length; ) {
            if (pos == buffer.length) {
                drain();
            }
            int n = Math.min(p.length - i, buffer.length - pos);
            System.arraycopy(p, i, buffer, pos, n);
            pos += n;
            i += n;
        }
    }

    private static int varintSize(long v) {
        return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    private void drain() {
        try {
            body.write(buffer, 0, pos);
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace " + target + ": " + e.getMessage(), e);
        }
    }

    static byte[] headerBytes(TraceHeader h) {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        for (String arg : h.commandLine()) {
            field(fields, TraceFormat.TAG_ARGUMENT, arg.getBytes(StandardCharsets.UTF_8));
        }
        field(fields, TraceFormat.TAG_TOOL, h.tool().getBytes(StandardCharsets.UTF_8));
        field(fields, TraceFormat.TAG_PAGE_SIZE, varint(h.pageSize()));
        field(fields, TraceFormat.TAG_SKIPPED, varint(h.skippedInstructions()));
        field(fields, TraceFormat.TAG_PID, varint(h.pid()));
        byte[] f = fields.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TraceFormat.MAGIC);
        putLittleEndian(out, TraceFormat.VERSION, 2);
        putLittleEndian(out, TraceFormat.FLAG_ZSTD, 2);
        putLittleEndian(out, f.length, 4);
        out.writeBytes(f);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, int tag, byte[] value) {
        putVarint(out, tag);
        putVarint(out, value.length);
        out.writeBytes(value);
    }

    private static byte[] varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        putVarint(b, v);
        return b.toByteArray();
    }

    private static void putLittleEndian(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> 8 * i) & 0xFF);
        }
    }

    /**
     * The file under the compressed records: counts the bytes and keeps the last four (the zstd frame's checksum),
     * and stays open when the compressed stream is closed, so that the index can follow it.
     */
    private static final class FileEnd extends OutputStream {
        final OutputStream out;
        long count;
        int last4;

        FileEnd(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
            last4 = last4 >>> 8 | (b & 0xFF) << 24;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
            for (int i = Math.max(off, off + len - 4); i < off + len; i++) {
                last4 = last4 >>> 8 | (b[i] & 0xFF) << 24;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    static int putVarint(byte[] b, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            b[pos++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        b[pos++] = (byte) v;
        return pos;
    }

    static void putVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
