package org.nestwalk.trace;

import com.github.luben.zstd.ZstdInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nestwalk.util.CountingInputStream;

/**
 * Reads a trace record by record, streaming: memory use does not depend on the trace's length. {@link #next} moves
 * to the next record and says what it is; the accessors describe it. Data references are decoded without allocating,
 * so replaying a trace costs about as much as generating synthetic references. Every violation of the format is a
 * {@link TraceFormatException} naming the file and the byte offset.
 */
public final class TraceReader implements AutoCloseable {
    /** {@link #next}: the record is a data reference. */
    public static final int REFERENCE = 0;
    /** {@link #next}: the record is an event other than END. */
    public static final int EVENT = 1;
    /** {@link #next}: the trace has ended (its END record was read and checked). */
    public static final int END = 2;

    private final String name;
    private final TraceHeader header;
    private final InputStream in;
    private final CountingInputStream file;
    private final long bodyStart;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long consumed;
    private boolean eof;
    private byte[] payload = new byte[256];

    private long previousAddress;
    private long references;
    private long events;
    private boolean ended;
    private long gap;
    private long address;
    private int size;
    private boolean store;
    private TraceEvent event;

    private TraceReader(String name, TraceHeader header, InputStream in, CountingInputStream file, long bodyStart) {
        this.name = name;
        this.header = header;
        this.in = in;
        this.file = file;
        this.bodyStart = bodyStart;
    }

    /**
     * What tells one capture of a trace from another without reading it whole: its size, the last 8 bytes of its
     * records (which end with the zstd frame's checksum of the records; before the index, when there is one) and its
     * header (command line, tool, instructions skipped, pid); empty when the file cannot be read as a trace.
     */
    public static java.util.Optional<String> identity(Path path) {
        try (TraceReader r = open(path);
                java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(path)) {
            long index = TraceIndex.frameStart(f, f.size(), r.bodyStart);
            long end = index >= 0 ? index : f.size();
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) Math.min(8, end));
            f.read(tail, end - tail.capacity());
            return java.util.Optional.of(f.size() + " bytes ending "
                    + java.util.HexFormat.of().formatHex(tail.array(), 0, tail.position()) + ", " + r.header());
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Opens a trace file and reads its header. */
    public static TraceReader open(Path path) {
        String name = path.toString();
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // Opening a FIFO blocks until something writes to it, and a trace is read several times (once to learn
            // its pages, once per run): only a regular file will do.
            throw new TraceFormatException(name + ": not a regular file (" + (Files.isDirectory(path)
                    ? "a directory" : "a FIFO, socket or device") + "); a trace is read more than once, so it must be "
                    + "a file");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(name + ": no such trace file");
        } catch (IOException e) {
            throw new TraceFormatException(name + ": cannot read: " + e.getMessage(), e);
        }
        CountingInputStream counting = new CountingInputStream(raw);
        try {
            byte[] fixed = counting.readNBytes(TraceFormat.HEADER_FIXED);
            if (fixed.length < TraceFormat.MAGIC.length
                    || !Arrays.equals(Arrays.copyOf(fixed, TraceFormat.MAGIC.length), TraceFormat.MAGIC)) {
                throw new TraceFormatException(name + ": byte 0: not a nestwalk trace (wrong magic number)");
            }
            if (fixed.length < TraceFormat.HEADER_FIXED) {
                throw new TraceFormatException(name + ": byte " + fixed.length + ": the header is truncated");
            }
            int version = (int) littleEndian(fixed, 8, 2);
            if (version != TraceFormat.VERSION) {
                throw new TraceFormatException(name + ": byte 8: format version " + version + " is not supported"
                        + " (this nestwalk reads version " + TraceFormat.VERSION + ")");
            }
            int flags = (int) littleEndian(fixed, 10, 2);
            if ((flags & ~TraceFormat.FLAG_ZSTD) != 0) {
                throw new TraceFormatException(name + ": byte 10: unknown flags 0x" + Integer.toHexString(flags));
            }
            long length = littleEndian(fixed, 12, 4);
            if (length > TraceFormat.MAX_HEADER) {
                throw new TraceFormatException(name + ": byte 12: header length " + length + " is implausible");
            }
            byte[] fields = counting.readNBytes((int) length);
            if (fields.length < length) {
                throw new TraceFormatException(name + ": byte " + (TraceFormat.HEADER_FIXED + fields.length)
                        + ": the header is truncated");
            }
            TraceHeader header = parseHeader(fields, name);
            long bodyStart = TraceFormat.HEADER_FIXED + length;
            InputStream body = (flags & TraceFormat.FLAG_ZSTD) != 0 ? new ZstdInputStream(counting) : counting;
            return new TraceReader(name, header, body, counting, bodyStart);
        } catch (IOException e) {
            close(counting);
            throw new TraceFormatException(name + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(counting);
            throw e;
        }
    }

    /**
     * Reads bare records (no file header, not compressed), as a capture tool streams them through a pipe.
     *
     * @param name   what messages call the stream
     * @param header the header the records belong to
     */
    public static TraceReader records(InputStream in, String name, TraceHeader header) {
        return new TraceReader(name, header, in, null, 0);
    }

    public TraceHeader header() {
        return header;
    }

    /** The trace's name in messages: its path, or the stream's name. */
    public String name() {
        return name;
    }

    /** Moves to the next record: {@link #REFERENCE}, {@link #EVENT} or {@link #END}. */
    public int next() {
        if (ended) {
            return END;
        }
        if (limit - pos < TraceFormat.MAX_REFERENCE_BYTES) {
            fill();
            if (pos == limit) {
                throw problem("the trace ends without its END record (truncated?) after " + references
                        + " references and " + events + " events");
            }
        }
        // With a whole maximal reference in the buffer (always, except in the trace's last bytes), its numbers are
        // decoded without asking at every byte whether the buffer must be refilled.
        boolean whole = limit - pos >= TraceFormat.MAX_REFERENCE_BYTES;
        int b = buffer[pos++] & 0xFF;
        if (b < 0x80) {
            int log = b >>> 1 & 7;
            if (log == 7) {
                pos--;
                throw problem("invalid access size in data reference tag 0x" + Integer.toHexString(b));
            }
            int small = b >>> 4 & 7;
            if (small == 7) {
                gap = 7 + (whole ? bufferedVarint() : varint());
            } else {
                gap = small;
            }
            long z = whole ? bufferedVarint() : varint();
            address = previousAddress + (z >>> 1 ^ -(z & 1));
            previousAddress = address;
            size = 1 << log;
            store = (b & 1) != 0;
            references++;
            return REFERENCE;
        }
        return readEvent(b & 0x7F);
    }

    /**
     * Decodes the data references that come next, up to {@code max} of them, straight into the caller's arrays:
     * at {@code at} onwards, each one's address, instructions since the previous record (its gap) and store flag
     * ({@code storeFlag} or 0). The per-record work of {@link #next} and of copying its result out is what a trace's
     * replay spent most of its decoding time on. Stops, leaving it unread, before the first record that is not a
     * plain data reference, or that {@link #next} must look at itself: an event, a damaged tag, a gap beyond an
     * int, a reference in the trace's last bytes. The accessors then describe the last reference decoded.
     *
     * @return how many references were decoded (0: call {@link #next})
     */
    public int nextReferences(long[] addresses, int[] gaps, byte[] flags, int at, int max, byte storeFlag) {
        byte[] buf = buffer;
        int p = pos;
        int n = 0;
        long previous = previousAddress;
        int lastTag = 0;
        long lastGap = 0;
        while (n < max && !ended) {
            if (limit - p < TraceFormat.MAX_REFERENCE_BYTES) {
                if (eof) {
                    break;
                }
                pos = p;
                fill();
                p = pos;
                if (limit - p < TraceFormat.MAX_REFERENCE_BYTES) {
                    break;
                }
            }
            int start = p;
            int b = buf[p++];
            // Events (tag bit 7) and the invalid access size (7) are next()'s to read and report.
            if (b < 0 || (b >>> 1 & 7) == 7) {
                p = start;
                break;
            }
            int small = b >>> 4 & 7;
            long g = small;
            if (small == 7) {
                pos = p;
                g = 7 + bufferedVarint();
                p = pos;
                if (g < 0 || g > Integer.MAX_VALUE) {
                    // Too large for a buffer: next() hands it on, for the stream to refuse it naming the process.
                    p = start;
                    break;
                }
            }
            // Addresses mostly move by less than 2^13 bytes (one or two bytes of varint): those are decoded here.
            long z;
            int c = buf[p];
            int d = buf[p + 1];
            if (c >= 0) {
                z = c;
                p++;
            } else if (d >= 0) {
                z = (c & 0x7F) | d << 7;
                p += 2;
            } else {
                pos = p;
                z = bufferedVarint();
                p = pos;
            }
            previous += z >>> 1 ^ -(z & 1);
            int i = at + n++;
            addresses[i] = previous;
            gaps[i] = (int) g;
            flags[i] = (b & 1) != 0 ? storeFlag : 0;
            lastTag = b;
            lastGap = g;
        }
        pos = p;
        if (n > 0) {
            previousAddress = previous;
            references += n;
            address = previous;
            gap = lastGap;
            size = 1 << (lastTag >>> 1 & 7);
            store = (lastTag & 1) != 0;
        }
        return n;
    }

    /** Instructions executed since the previous record. */
    public long gap() {
        return gap;
    }

    /** The current reference's virtual address. */
    public long address() {
        return address;
    }

    /** The current reference's size in bytes. */
    public int size() {
        return size;
    }

    public boolean store() {
        return store;
    }

    /** The current event (after {@link #next} returned {@link #EVENT}). */
    public TraceEvent event() {
        return event;
    }

    /** Data references read so far. */
    public long references() {
        return references;
    }

    /** Events read so far (END not included). */
    public long events() {
        return events;
    }

    @Override
    public void close() {
        close(in);
    }

    private int readEvent(int kind) {
        long start = offset() - 1;
        long length = varint();
        // Unsigned: a length of 2^63 or more is a negative long, and must not slip past the bound.
        if (length < 0 || length > TraceFormat.MAX_PAYLOAD) {
            throw problemAt(start, "event payload length " + Long.toUnsignedString(length)
                    + " is implausible (corrupt trace?)");
        }
        int n = (int) length;
        long payloadStart = offset();
        if (payload.length < n) {
            payload = new byte[Math.max(n, payload.length * 2)];
        }
        for (int i = 0; i < n; ) {
            if (pos == limit) {
                fill();
                if (pos == limit) {
                    throw problem("the trace ends inside an event of kind " + kind + " (truncated?)");
                }
            }
            int c = Math.min(n - i, limit - pos);
            System.arraycopy(buffer, pos, payload, i, c);
            pos += c;
            i += c;
        }
        PayloadCursor p = new PayloadCursor(payload, n, payloadStart, name + ": record");
        gap = p.next();
        int count = TraceEvent.fieldCount(kind);
        if (count < 0) {
            event = new TraceEvent.Unknown(kind, Arrays.copyOfRange(payload, p.at, n));
            events++;
            return EVENT;
        }
        long[] fields = new long[count];
        for (int i = 0; i < count; i++) {
            fields[i] = p.next();
        }
        if (kind == TraceEvent.END) {
            if (fields[0] != references || fields[1] != events) {
                throw problemAt(start, "END says " + fields[0] + " references and " + fields[1] + " events, but the"
                        + " trace has " + references + " and " + events);
            }
            fill();
            if (pos != limit) {
                throw problem("data after the END record");
            }
            ended = true;
            event = null;
            return END;
        }
        event = TraceEvent.of(kind, fields);
        events++;
        return EVENT;
    }

    /** Reads a varint, refilling the buffer when the number runs past it. */
    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = nextByte();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        return tenthByte(v);
    }

    /**
     * {@link #varint} for a number known to lie in the buffer (its 10 bytes at most are there): the same value and
     * the same errors, without the refill check at every byte. Most numbers take one byte.
     */
    private long bufferedVarint() {
        byte[] buf = buffer;
        int p = pos;
        int b = buf[p++];
        if (b >= 0) {
            pos = p;
            return b;
        }
        long v = b & 0x7F;
        for (int shift = 7; shift < 63; shift += 7) {
            b = buf[p++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                pos = p;
                return v;
            }
        }
        pos = p;
        return tenthByte(v);
    }

    /** The tenth byte of a varint whose first nine are {@code v}. */
    private long tenthByte(long v) {
        // The tenth byte holds bit 63 alone; anything more is damage, which must not wrap into a plausible value.
        int b = nextByte();
        if (b < 0) {
            throw problem("a number longer than 10 bytes (corrupt trace?)");
        }
        if (b > 1) {
            throw problemAt(offset() - 1, "a number larger than 64 bits (corrupt trace?)");
        }
        return v | (long) b << 63;
    }

    /** The next body byte, sign-extended (negative when its continuation bit is set). */
    private int nextByte() {
        if (pos == limit) {
            fill();
            if (pos == limit) {
                throw problem("the trace ends inside a number (truncated?)");
            }
        }
        return buffer[pos++];
    }

    /** Moves the unread bytes to the front and reads more, until the buffer is full or the stream ends. */
    private void fill() {
        if (eof) {
            return;
        }
        int rest = limit - pos;
        System.arraycopy(buffer, pos, buffer, 0, rest);
        consumed += pos;
        pos = 0;
        limit = rest;
        try {
            while (limit < buffer.length) {
                int n = in.read(buffer, limit, buffer.length - limit);
                if (n < 0) {
                    eof = true;
                    return;
                }
                limit += n;
            }
        } catch (EOFException e) {
            eof = true;
        } catch (IOException e) {
            throw new TraceFormatException(name + ": " + (file == null ? "" : "near byte " + file.count()
                    + " of the file: ") + "cannot read the compressed records: " + e.getMessage()
                    + " (corrupt or truncated trace?)", e);
        }
    }

    /** The body offset of the next unread byte. */
    private long offset() {
        return consumed + pos;
    }

    private TraceFormatException problem(String what) {
        return problemAt(offset(), what);
    }

    private TraceFormatException problemAt(long bodyOffset, String what) {
        return new TraceFormatException(name + ": record byte " + bodyOffset + (file == null ? ""
                : " (the records start at file byte " + bodyStart + ")") + ": " + what);
    }

    private static TraceHeader parseHeader(byte[] f, String name) {
        PayloadCursor c = new PayloadCursor(f, f.length, TraceFormat.HEADER_FIXED, name + ": header");
        List<String> args = new ArrayList<>();
        String tool = "";
        long pageSize = 4096;
        long skipped = 0;
        long pid = 1;
        while (c.at < f.length) {
            long tag = c.next();
            long len = c.next();
            if (len < 0 || len > f.length - c.at) {
                throw new TraceFormatException(name + ": byte " + (TraceFormat.HEADER_FIXED + c.at)
                        + ": a header field runs past the header");
            }
            int start = c.at;
            c.at += (int) len;
            String text = new String(f, start, (int) len, StandardCharsets.UTF_8);
            PayloadCursor value = new PayloadCursor(f, start + (int) len, TraceFormat.HEADER_FIXED, name + ": header");
            value.at = start;
            // A tag beyond int's range is a later version's, like any other unknown tag, not one wrapped onto ours.
            switch (tag > Integer.MAX_VALUE ? -1 : (int) tag) {
                case TraceFormat.TAG_ARGUMENT -> args.add(text);
                case TraceFormat.TAG_TOOL -> tool = text;
                case TraceFormat.TAG_PAGE_SIZE -> pageSize = value.next();
                case TraceFormat.TAG_SKIPPED -> skipped = value.next();
                case TraceFormat.TAG_PID -> pid = value.next();
                default -> {
                    // A field of a later version: skipped.
                }
            }
        }
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new TraceFormatException(name + ": header: page size " + Long.toUnsignedString(pageSize)
                    + " is not a power of two");
        }
        if (pageSize < TraceHeader.MIN_PAGE_SIZE || pageSize > TraceHeader.MAX_PAGE_SIZE) {
            throw new TraceFormatException(name + ": header: page size " + pageSize + " (2^"
                    + Long.numberOfTrailingZeros(pageSize) + ") is not supported: expected a power of two from "
                    + TraceHeader.MIN_PAGE_SIZE + " (4 KiB) to " + TraceHeader.MAX_PAGE_SIZE + " (1 GiB)");
        }
        return new TraceHeader(args, tool, (int) pageSize, skipped, pid);
    }

    private static long littleEndian(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) (b[at + i] & 0xFF) << 8 * i;
        }
        return v;
    }

    private static void close(InputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // Nothing was written; there is nothing to lose.
        }
    }

    /** Varints out of a byte range, for headers and event payloads. */
    private static final class PayloadCursor {
        private final byte[] b;
        private final int end;
        private final long base;
        /** The file's name and which part of it ("x.trace: header"), for messages. */
        private final String where;
        int at;

        PayloadCursor(byte[] b, int end, long base, String where) {
            this.b = b;
            this.end = end;
            this.base = base;
            this.where = where;
        }

        long next() {
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (at >= end) {
                    throw new TraceFormatException(where + " byte " + (base + at) + ": a field runs past its end");
                }
                int x = b[at++];
                if (shift == 63 && x > 1) {
                    throw new TraceFormatException(where + " byte " + (base + at - 1)
                            + ": a number larger than 64 bits");
                }
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new TraceFormatException(where + " byte " + (base + at) + ": a number longer than 10 bytes");
        }
    }
}
