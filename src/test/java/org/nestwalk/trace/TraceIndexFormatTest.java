package org.nestwalk.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index a writer appends (docs/trace-format.md, "The index"): what it holds, and what zstd makes of it. */
class TraceIndexFormatTest {
    private static final long GAP = TraceIndex.RULES.mergeGapPages();

    /** Coalescing two page sets apart and merging the regions gives what coalescing their union gives. */
    @Test
    void mergingCoalescedRegionsIsCoalescingTheUnion() {
        Random r = new Random(1);
        for (int trial = 0; trial < 3_000; trial++) {
            long[] a = pages(r);
            long[] b = pages(r);
            long[] union = LongStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().toArray();
            long gap = trial % 3 == 0 ? r.nextInt(4) : GAP;
            List<TraceIndex.Pages> expected = TraceIndex.coalesce(union, union.length, gap);
            List<TraceIndex.Pages> merged = TraceIndex.merge(TraceIndex.coalesce(a.clone(), a.length, gap),
                    TraceIndex.coalesce(b.clone(), b.length, gap), gap);
            assertEquals(expected, merged, "trial " + trial);
        }
    }

    /** Distinct pages in clusters, some touching or overlapping the other set's, some far apart. */
    private static long[] pages(Random r) {
        int n = r.nextInt(5) == 0 ? 0 : r.nextInt(200);
        long[] p = new long[n];
        long at = r.nextInt(1000);
        for (int i = 0; i < n; i++) {
            at += r.nextInt(8) == 0 ? GAP - 2 + r.nextInt(5) : r.nextInt(3) == 0 ? 1 + r.nextInt(2_000) : 1;
            p[i] = at;
        }
        return Arrays.stream(p).distinct().toArray();
    }

    @Test
    void theWriterIndexesWhatItWrites(@TempDir Path dir) throws Exception {
        TraceHeader header = new TraceHeader(List.of("prog"), "test", 4096, 0, 7);
        Path t = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(t, header)) {
            w.event(0, new TraceEvent.Present(0x10_0000, 3 * 4096 + 1, true));
            w.reference(1, 0x10_0000, 8, false);
            w.reference(1, 0x10_0ffc, 8, true); // straddles two pages
            w.reference(1, 0x90_0000, 8, true); // far: another region
            w.event(2, new TraceEvent.IPage(0x70_0000));
            w.event(3, new TraceEvent.KernelTouch(0x20_0000, 4096L * 2000, true)); // 1024 pages count
            w.event(9, new TraceEvent.Fork(8));
            w.event(4, new TraceEvent.Switch(8, 8));
            w.reference(5, 0x30_0000, 4, false);
            w.event(6, new TraceEvent.Exec());
            w.reference(1_000_000, 0x50_0000, 4, false);
            w.finish(2);
        }
        TraceIndex index = TraceIndex.read(t, header).orElseThrow();
        assertEquals(12, index.pageShift());
        assertEquals(7, index.firstPid());
        assertEquals(5, index.references());
        assertEquals(6, index.events());
        assertEquals(5 + 1024, index.replayed());
        assertEquals(new TraceIndex.Extremes(1_000_000, 3 * 4096 + 1, false), index.extremes());
        assertEquals(List.of(new TraceIndex.Pages(0x100, 4)), index.present());
        TraceIndex.Image first = new TraceIndex.Image(4 + 1024 + 1, 4 + 1024 + 1 + 1,
                List.of(new TraceIndex.Pages(0x100, 0x200 + 1024 - 0x100), new TraceIndex.Pages(0x900, 1)),
                List.of(new TraceIndex.Pages(0x700, 1)));
        assertEquals(List.of(new TraceIndex.Process(7, List.of(first)),
                new TraceIndex.Process(8, List.of(new TraceIndex.Image(1, 1, List.of(new TraceIndex.Pages(0x300, 1)),
                        List.of()), new TraceIndex.Image(1, 1, List.of(new TraceIndex.Pages(0x500, 1)), List.of())))),
                index.processes());
    }

    /** A zstd decoder passes over the index: the records read as they did, and nothing follows END. */
    @Test
    void readersOfTracesWithoutIndexesReadTracesWithThem(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(t, TraceHeader.of("test", List.of("prog")))) {
            for (int i = 0; i < 10_000; i++) {
                w.reference(i % 9, 0x7f00_0000_0000L + 64L * i, 8, i % 3 == 0);
            }
            w.finish(0);
        }
        byte[] file = Files.readAllBytes(t);
        assertTrue(Arrays.equals(TraceIndex.TAIL_MAGIC, Arrays.copyOfRange(file, file.length - 8, file.length)));
        try (TraceReader r = TraceReader.open(t)) {
            int n = 0;
            while (r.next() != TraceReader.END) {
                n++;
            }
            assertEquals(10_000, n);
        }
        // The zstd stream alone, as any zstd tool sees it: the records, then nothing.
        int start = 16 + (file[12] & 0xFF);
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(
                new java.io.ByteArrayInputStream(file, start, file.length - start))) {
            byte[] records = in.readAllBytes();
            // END: its kind, payload length 4, gap 0, 10,000 references (2 bytes), 0 events.
            assertEquals(List.of(0xFF, 4, 0, 0x90, 0x4E, 0), java.util.stream.IntStream.range(records.length - 6,
                    records.length).mapToObj(i -> records[i] & 0xFF).toList());
        }
    }

    /** Past 2^22 distinct pages the writer would hold too much: it writes no index, and the records are read. */
    @Test
    void aWriterThatWouldHoldTooManyPagesWritesNoIndex(@TempDir Path dir) throws Exception {
        TraceHeader header = TraceHeader.of("test", List.of("prog"));
        Path t = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(t, header)) {
            w.event(0, new TraceEvent.Present(0, (long) (TraceIndex.MAX_PAGES + 1) << 12, true));
            w.reference(0, 8, 8, false);
            w.finish(0);
        }
        assertTrue(TraceIndex.read(t, header).isEmpty());
    }

    /** Raw bytes of a known kind are read as that event, which the writer does not decode: it writes no index. */
    @Test
    void anEventOfAKnownKindWrittenAsRawBytesLeavesNoIndex(@TempDir Path dir) throws Exception {
        TraceHeader header = TraceHeader.of("test", List.of("prog"));
        Path t = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(t, header)) {
            w.reference(1, 0x10_0000, 8, false);
            // A PRESENT of 16 pages at 0x200000, its gap and fields as varints.
            w.event(0, new TraceEvent.Unknown(TraceEvent.PRESENT, new byte[] {(byte) 0x80, (byte) 0x80,
                    (byte) 0x80, 0x01, (byte) 0x80, (byte) 0x80, 0x04, 1}));
            w.finish(0);
        }
        try (TraceReader r = TraceReader.open(t)) {
            r.next();
            r.next();
            assertEquals(new TraceEvent.Present(0x20_0000, 0x1_0000, true), r.event());
        }
        assertTrue(TraceIndex.read(t, header).isEmpty());
    }

    /** trace info says whether a trace has an index, and checks it against the records. */
    @Test
    void traceInfoSaysWhetherATraceHasAnIndexAndChecksIt(@TempDir Path dir) throws Exception {
        TraceHeader header = new TraceHeader(List.of("prog"), "test", 4096, 0, 7);
        Path t = dir.resolve("t.trace");
        try (TraceWriter w = TraceWriter.create(t, header)) {
            w.reference(1, 0x10_0000, 8, false);
            w.event(1, new TraceEvent.IPage(0x40_0000));
            w.event(1, new TraceEvent.Fork(8));
            w.event(1, new TraceEvent.Switch(8, 8));
            w.reference(1, 0x7f00_0000_0000L, 8, false);
            w.finish(0);
        }
        org.nestwalk.cli.CliRun o = org.nestwalk.cli.CliRun.of("trace", "info", t.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\n  index: 2 processes, 2 program images, 3 regions; agrees with the records\n"),
                o.out());

        byte[] file = Files.readAllBytes(t);
        int start = TraceFormatTest.recordsEnd(t);
        Path old = dir.resolve("old.trace");
        Files.write(old, Arrays.copyOf(file, start));
        o = org.nestwalk.cli.CliRun.of("trace", "info", old.toString());
        assertTrue(o.out().contains("\n  index: none (a trace written before there were indexes, or by another "
                + "tool): each run reads the whole trace first\n"), o.out());

        Path damaged = dir.resolve("damaged.trace");
        byte[] bad = file.clone();
        bad[start + 9] ^= 1;
        Files.write(damaged, bad);
        o = org.nestwalk.cli.CliRun.of("trace", "info", damaged.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("\n  index: damaged, so runs read the whole trace first (" + damaged + ": byte "
                + (file.length - TraceIndex.TAIL) + ": the trace's index is damaged (its checksum does not match))\n"),
                o.out());

        // An index that passes its own checks but lies (written anew, with a good checksum): refused.
        TraceIndex index = TraceIndex.read(t, header).orElseThrow();
        TraceIndex lie = new TraceIndex(index.pageShift(), index.firstPid(), index.references(), index.events(),
                index.replayed() + 1, index.extremes(), index.rules(), index.present(), index.processes());
        Path forged = dir.resolve("forged.trace");
        byte[] records = Arrays.copyOf(file, start);
        int checksum = java.nio.ByteBuffer.wrap(records, start - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
        byte[] frame = lie.frame(start, checksum);
        byte[] out = Arrays.copyOf(records, start + frame.length);
        System.arraycopy(frame, 0, out, start, frame.length);
        Files.write(forged, out);
        assertEquals(lie, TraceIndex.read(forged, header).orElseThrow());
        org.nestwalk.cli.CliRun.of("trace", "info", forged.toString()).assertOneLineError(forged + ": the trace's "
                + "index disagrees with its records (its field 'replayed' is not what the records give); runs would "
                + "believe it: write the trace again");
    }
}
