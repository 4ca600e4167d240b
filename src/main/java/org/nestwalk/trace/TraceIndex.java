package org.nestwalk.trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * What one pass over a whole trace learns before a run, recorded by the writer at the end of the file so that
 * opening a trace need not read its records: for each process and program image, the pages it touches as
 * coalesced regions (data pages apart from instruction pages) and how many distinct pages there are; the first
 * program's PRESENT ranges; the number of references a run can replay; and what a reader's bounds checks need (the
 * largest gap, the largest PRESENT, whether anything falls outside user space). {@code docs/trace-format.md},
 * "The index", specifies it.
 *
 * <p>The index is only as good as the rules it was made with ({@link Rules}: how close touched pages must be to
 * share a region, how many pages of a kernel access count, where user space ends); a reader whose rules differ
 * reads the records instead.
 *
 * @param pageShift  log2 of the trace's page size (the header's)
 * @param firstPid   the pid of the first records (the header's)
 * @param references data references (END's first count)
 * @param events     events (END's second count)
 * @param replayed   the references a run can replay: data references and the pages of kernel accesses
 * @param extremes   what the bounds checks need
 * @param rules      the rules the regions and counts were made with
 * @param present    the first program's PRESENT ranges, in trace order
 * @param processes  every process the records name (the first pid, and each SWITCH's), in order of appearance
 */
public record TraceIndex(int pageShift, long firstPid, long references, long events, long replayed,
                         Extremes extremes, Rules rules, List<Pages> present, List<Process> processes) {
    /** The rules of this version of nestwalk. */
    public static final Rules RULES = new Rules(256, 1024, 1L << 47);
    /** The index's version in the file; readers use only versions they know. */
    static final int VERSION = 1;
    /** The skippable frame (RFC 8878 section 3.1.2) that holds the index: zstd decoders pass over it. */
    static final int SKIPPABLE_MAGIC = 0x184D2A57;
    /** The last 8 bytes of a trace with an index. */
    static final byte[] TAIL_MAGIC = {'N', 'W', 'I', 'N', 'D', 'E', 'X', 0x1A};
    /** The tail: CRC-32C of the fields (4), the frame's length (4), the magic (8). */
    static final int TAIL = 16;
    /**
     * Larger indexes are taken as damage: a real trace's is a few KiB, one of {@link #MAX_PAGES} pages each a region
     * of its own about 25 MiB, and the writer gives up past this.
     */
    static final int MAX_BYTES = 1 << 26;
    /**
     * A writer gives up the index when the programs touch more distinct pages than this (16 GiB of 4 KiB pages), or
     * the first program has more PRESENT ranges; so an index has at most this many regions and ranges, which bounds
     * what a reader allocates for one.
     */
    static final int MAX_PAGES = 1 << 22;

    public TraceIndex {
        present = List.copyOf(present);
        processes = List.copyOf(processes);
    }

    /**
     * The conventions an index's regions and counts follow; they must be the reader's.
     *
     * @param mergeGapPages    touched pages at most this far apart share a region
     * @param kernelTouchPages at most this many pages of one kernel access are touched (and replayed)
     * @param userTop          the end of user space, in bytes
     */
    public record Rules(long mergeGapPages, long kernelTouchPages, long userTop) {
    }

    /**
     * What a reader's bounds checks need.
     *
     * @param maxGap           the largest gap of any record but END (unsigned)
     * @param maxPresentLength the largest PRESENT length (unsigned; 0 when there is none)
     * @param outsideUserSpace whether a data reference, kernel access or PRESENT reaches outside user space (or wraps
     *                         around the address space): then its regions say nothing about it, and a reader must read
     *                         the records to say what is wrong
     */
    public record Extremes(long maxGap, long maxPresentLength, boolean outsideUserSpace) {
    }

    /** The pages {@code first} to {@code first + count - 1}. */
    public record Pages(long first, long count) {
        public long end() {
            return first + count;
        }
    }

    /**
     * One program image of a process (the pages before its first EXEC, or between two).
     *
     * @param dataPages distinct pages of data references, kernel accesses and PRESENT ranges
     * @param allPages  distinct pages of those and of instruction pages
     * @param data      the data pages, coalesced
     * @param code      the instruction pages (IPAGE events in user space), coalesced on their own
     */
    public record Image(long dataPages, long allPages, List<Pages> data, List<Pages> code) {
        public Image {
            data = List.copyOf(data);
            code = List.copyOf(code);
        }
    }

    /** A process and its program images, in order. */
    public record Process(long pid, List<Image> images) {
        public Process {
            images = List.copyOf(images);
        }
    }

    /**
     * Coalesces distinct pages (in any order) into regions: pages at most {@code gap} apart share one. {@code pages}
     * is sorted in place.
     */
    public static List<Pages> coalesce(long[] pages, int count, long gap) {
        Arrays.sort(pages, 0, count);
        List<Pages> out = new ArrayList<>();
        int i = 0;
        while (i < count) {
            long first = pages[i];
            long last = first;
            while (i + 1 < count && pages[i + 1] - last <= gap) {
                last = pages[++i];
            }
            i++;
            out.add(new Pages(first, last - first + 1));
        }
        return out;
    }

    /**
     * The regions that coalescing the union of two page sets gives, from the regions coalescing each gave (with the
     * same {@code gap}). Each region of either lies in one region of the union (the pages of the union between its
     * ends are no further apart than its own), and two regions of the union are apart by more than {@code gap}
     * with no page between: so joining the regions in order of their first page, whenever one starts at most
     * {@code gap} after the end of those joined so far, gives exactly the union's.
     */
    public static List<Pages> merge(List<Pages> a, List<Pages> b, long gap) {
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        List<Pages> out = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        long first = 0;
        long last = -1;
        boolean open = false;
        while (i < a.size() || j < b.size()) {
            Pages next = j == b.size() || i < a.size() && a.get(i).first() <= b.get(j).first() ? a.get(i++)
                    : b.get(j++);
            long nextLast = next.end() - 1;
            if (open && next.first() - last <= gap) {
                last = Math.max(last, nextLast);
            } else {
                if (open) {
                    out.add(new Pages(first, last - first + 1));
                }
                first = next.first();
                last = nextLast;
                open = true;
            }
        }
        out.add(new Pages(first, last - first + 1));
        return out;
    }

    // --- the file ---

    /**
     * The index at the end of {@code file}, checked; empty when the file has none (it ends otherwise: a trace
     * written before there were indexes, or by another tool).
     *
     * @param header the trace's header, as {@link TraceReader#open} read it
     * @throws TraceFormatException one line naming the file and the byte, when the file ends like a trace with an
     *                              index but the index is damaged, inconsistent, of an unknown version, or does not
     *                              belong to the records before it
     */
    public static Optional<TraceIndex> read(Path file, TraceHeader header) {
        String name = file.toString();
        try (FileChannel f = FileChannel.open(file)) {
            long size = f.size();
            long bodyStart = bodyStart(f, name);
            long start = frameStart(f, size, bodyStart);
            if (start < 0) {
                return Optional.empty();
            }
            if (start == -2) {
                throw new TraceFormatException(name + ": byte " + (size - TAIL + 4) + ": the trace's index says it "
                        + "is " + Integer.toUnsignedString(readInt(f, size - TAIL + 4)) + " bytes long, which does "
                        + "not fit the file");
            }
            int length = (int) (size - start);
            ByteBuffer frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            readFully(f, frame, start);
            frame.flip();
            if (frame.getInt(0) != SKIPPABLE_MAGIC || Integer.toUnsignedLong(frame.getInt(4)) != length - 8L) {
                throw new TraceFormatException(name + ": byte " + start + ": the trace's index does not start with a"
                        + " zstd skippable frame of its length");
            }
            CRC32C crc = new CRC32C();
            crc.update(frame.array(), 8, length - 8 - TAIL);
            if ((int) crc.getValue() != frame.getInt(length - TAIL)) {
                throw new TraceFormatException(name + ": byte " + (size - TAIL) + ": the trace's index is damaged "
                        + "(its checksum does not match)");
            }
            // The last zstd frame's checksum of the records, just before the index: what binds it to them.
            int bodyChecksum = readInt(f, start - 4);
            return Optional.of(parse(frame.array(), length - TAIL, start, bodyStart, bodyChecksum, header, name));
        } catch (IOException e) {
            throw new TraceFormatException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Where the index's frame starts in a file of {@code size} bytes: -1 when the file does not end like a trace
     * with an index, -2 when it does but the length there cannot be right. Reads only the last bytes.
     */
    static long frameStart(FileChannel f, long size, long bodyStart) throws IOException {
        if (size - bodyStart < TAIL + 8) {
            return -1;
        }
        ByteBuffer tail = ByteBuffer.allocate(TAIL).order(ByteOrder.LITTLE_ENDIAN);
        readFully(f, tail, size - TAIL);
        if (!Arrays.equals(Arrays.copyOfRange(tail.array(), 8, TAIL), TAIL_MAGIC)) {
            return -1;
        }
        long length = Integer.toUnsignedLong(tail.getInt(4));
        // The records come first: at least a zstd frame's 4-byte magic and its checksum before the index.
        if (length < 8 + TAIL || length > MAX_BYTES || length > size - bodyStart - 8) {
            return -2;
        }
        return size - length;
    }

    /** Where the records of a trace file start (its header was checked by {@link TraceReader#open}). */
    static long bodyStart(FileChannel f, String name) throws IOException {
        if (f.size() < TraceFormat.HEADER_FIXED) {
            throw new TraceFormatException(name + ": byte " + f.size() + ": the header is truncated");
        }
        return TraceFormat.HEADER_FIXED + Integer.toUnsignedLong(readInt(f, 12));
    }

    private static int readInt(FileChannel f, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(f, b, at);
        return b.getInt(0);
    }

    private static void readFully(FileChannel f, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (f.read(b, at + b.position()) < 0) {
                throw new IOException("the file ends at byte " + (at + b.position()));
            }
        }
    }

    /** The fields of an index frame ({@code b[8..end)}), checked against the file they came from. */
    private static TraceIndex parse(byte[] b, int end, long start, long bodyStart, int bodyChecksum,
                                    TraceHeader header, String name) {
        Cursor c = new Cursor(b, end, start, name);
        long version = c.next();
        if (version != VERSION) {
            throw c.problem(c.at - 1, "the trace's index is of version " + Long.toUnsignedString(version)
                    + ", which this nestwalk does not read (it reads version " + VERSION + ")");
        }
        long shift = c.next();
        if (shift != Integer.numberOfTrailingZeros(header.pageSize())) {
            throw c.problem("the trace's index is for pages of 2^" + Long.toUnsignedString(shift)
                    + " bytes, the header says " + header.pageSize());
        }
        long pid = c.next();
        if (pid != header.pid()) {
            throw c.problem("the trace's index is for a trace whose first pid is " + Long.toUnsignedString(pid)
                    + ", the header says " + header.pid());
        }
        long bodyEnd = c.next();
        long checksum = c.next();
        if (bodyEnd != start || start - 4 < bodyStart || checksum != Integer.toUnsignedLong(bodyChecksum)) {
            throw c.problem("the trace's index belongs to other records (it was written after " + bodyEnd
                    + " bytes ending in checksum " + Long.toHexString(checksum) + ")");
        }
        long references = c.count("references");
        long events = c.count("events");
        long replayed = c.count("replayed references");
        if (replayed < references) {
            throw c.problem("the trace's index counts fewer references to replay than data references");
        }
        long maxGap = c.next();
        long maxPresent = c.next();
        long flags = c.next();
        if ((flags & ~1L) != 0) {
            throw c.problem("the trace's index has unknown flags 0x" + Long.toHexString(flags));
        }
        long gap = c.count("merge gap");
        long kernelPages = c.count("kernel touch pages");
        long userTop = c.count("user space");
        long mask = (1L << shift) - 1;
        if (userTop == 0 || (userTop & mask) != 0) {
            throw c.problem("the trace's index says user space ends at " + userTop + ", not a multiple of the page");
        }
        long limit = userTop >>> shift;
        long presentCount = c.entries(c.length("PRESENT ranges", 2));
        List<Pages> present = new ArrayList<>((int) Math.min(presentCount, 1024));
        for (long i = 0; i < presentCount; i++) {
            long first = c.next();
            long count = c.next();
            if (count == 0 || Long.compareUnsigned(first, limit) >= 0 || Long.compareUnsigned(count, limit - first) > 0) {
                throw c.problem("the trace's index has a PRESENT range outside user space");
            }
            present.add(new Pages(first, count));
        }
        long processCount = c.length("processes", 6);
        if (processCount == 0) {
            throw c.problem("the trace's index has no processes");
        }
        List<Process> processes = new ArrayList<>((int) Math.min(processCount, 1024));
        Set<Long> pids = new HashSet<>();
        for (long p = 0; p < processCount; p++) {
            long at = c.at;
            long processPid = c.next();
            if (!pids.add(processPid)) {
                throw c.problem(at, "the trace's index lists process " + Long.toUnsignedString(processPid) + " twice");
            }
            long imageCount = c.length("images", 4);
            if (imageCount == 0) {
                throw c.problem("the trace's index has a process without a program image");
            }
            List<Image> images = new ArrayList<>((int) Math.min(imageCount, 1024));
            for (long k = 0; k < imageCount; k++) {
                long dataPages = c.count("pages");
                long allPages = c.count("pages");
                List<Pages> data = regions(c, gap, limit);
                List<Pages> code = regions(c, gap, limit);
                // Each region holds from one of its pages (its ends) to all; the instruction pages add at most
                // theirs, and at least one page per region.
                if (dataPages < data.size() || dataPages > sum(data) || allPages < dataPages
                        || allPages - dataPages > sum(code) || allPages < code.size()) {
                    throw c.problem("the trace's index counts pages its regions cannot hold");
                }
                images.add(new Image(dataPages, allPages, data, code));
            }
            processes.add(new Process(processPid, images));
        }
        if (!pids.contains(header.pid())) {
            throw c.problem("the trace's index has no images of the first process");
        }
        if (c.at != end) {
            throw c.problem("the trace's index has " + (end - c.at) + " bytes after its last field");
        }
        return new TraceIndex((int) shift, pid, references, events, replayed,
                new Extremes(maxGap, maxPresent, flags != 0), new Rules(gap, kernelPages, userTop), present,
                processes);
    }

    /** A list of coalesced regions: ascending, apart by more than {@code gap}, below {@code limit}. */
    private static List<Pages> regions(Cursor c, long gap, long limit) {
        long n = c.entries(c.length("regions", 2));
        List<Pages> out = new ArrayList<>((int) Math.min(n, 1024));
        long end = 0;
        for (long i = 0; i < n; i++) {
            long delta = c.next();
            long count = c.next();
            if (Long.compareUnsigned(delta, limit - end) >= 0 || count == 0
                    || Long.compareUnsigned(count, limit - end - delta) > 0) {
                throw c.problem("the trace's index has a region outside user space");
            }
            if (i > 0 && delta < gap) {
                throw c.problem("the trace's index has regions that should have been one");
            }
            out.add(new Pages(end + delta, count));
            end += delta + count;
        }
        return out;
    }

    private static long sum(List<Pages> regions) {
        long s = 0;
        for (Pages r : regions) {
            s += r.count();
        }
        return s;
    }

    /**
     * The index as the frame that ends a trace file.
     *
     * @param bodyEnd      the file offset where the frame goes (the header's and the records' bytes)
     * @param bodyChecksum the 4 bytes before it (the last zstd frame's checksum of the records), little-endian
     */
    byte[] frame(long bodyEnd, int bodyChecksum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            out.write(0);
        }
        long[] head = {VERSION, pageShift, firstPid, bodyEnd, Integer.toUnsignedLong(bodyChecksum), references,
                events, replayed, extremes.maxGap(), extremes.maxPresentLength(), extremes.outsideUserSpace() ? 1 : 0,
                rules.mergeGapPages(), rules.kernelTouchPages(), rules.userTop(), present.size()};
        for (long v : head) {
            TraceWriter.putVarint(out, v);
        }
        for (Pages p : present) {
            TraceWriter.putVarint(out, p.first());
            TraceWriter.putVarint(out, p.count());
        }
        TraceWriter.putVarint(out, processes.size());
        for (Process p : processes) {
            TraceWriter.putVarint(out, p.pid());
            TraceWriter.putVarint(out, p.images().size());
            for (Image image : p.images()) {
                TraceWriter.putVarint(out, image.dataPages());
                TraceWriter.putVarint(out, image.allPages());
                putRegions(out, image.data());
                putRegions(out, image.code());
            }
        }
        byte[] b = out.toByteArray();
        int length = b.length + TAIL;
        ByteBuffer frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(b);
        frame.putInt(0, SKIPPABLE_MAGIC);
        frame.putInt(4, length - 8);
        CRC32C crc = new CRC32C();
        crc.update(b, 8, b.length - 8);
        frame.putInt((int) crc.getValue());
        frame.putInt(length);
        frame.put(TAIL_MAGIC);
        return frame.array();
    }

    private static void putRegions(ByteArrayOutputStream out, List<Pages> regions) {
        TraceWriter.putVarint(out, regions.size());
        long end = 0;
        for (Pages r : regions) {
            TraceWriter.putVarint(out, r.first() - end);
            TraceWriter.putVarint(out, r.count());
            end = r.end();
        }
    }

    /** Varints of the index's fields, with the file offset of each problem. */
    private static final class Cursor {
        private final byte[] b;
        private final int end;
        /** The file offset of b[0]. */
        private final long base;
        private final String name;
        private long entries;
        int at = 8;

        Cursor(byte[] b, int end, long base, String name) {
            this.b = b;
            this.end = end;
            this.base = base;
            this.name = name;
        }

        long next() {
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (at >= end) {
                    throw problem("the trace's index ends inside a field");
                }
                int x = b[at++];
                if (shift == 63 && x > 1) {
                    throw problem(at - 1, "the trace's index has a number larger than 64 bits");
                }
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw problem("the trace's index has a number longer than 10 bytes");
        }

        /**
         * Counts regions and PRESENT ranges: a writer makes at most {@link #MAX_PAGES} regions (each holds a page of
         * its own) and as many ranges.
         */
        long entries(long n) {
            entries += n;
            if (entries > 2L * MAX_PAGES) {
                throw problem(at - 1, "the trace's index has more than " + 2 * MAX_PAGES + " regions and ranges");
            }
            return n;
        }

        /** A count, which must be below 2^63. */
        long count(String what) {
            long v = next();
            if (v < 0) {
                throw problem("the trace's index has an implausible number of " + what);
            }
            return v;
        }

        /** The length of a list whose entries take at least {@code bytes} bytes each: no more than the rest holds. */
        long length(String what, int bytes) {
            long v = next();
            if (v < 0 || v > (end - at) / bytes) {
                throw problem(at - 1, "the trace's index lists " + Long.toUnsignedString(v) + " " + what
                        + ", more than its " + (end - at) + " remaining bytes can hold");
            }
            return v;
        }

        TraceFormatException problem(String what) {
            return problem(at, what);
        }

        TraceFormatException problem(long offset, String what) {
            return new TraceFormatException(name + ": byte " + (base + offset) + ": " + what);
        }
    }

    // --- building one ---
}
