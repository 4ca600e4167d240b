package org.nestwalk.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceIndex;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.trace.TraceWriter;

/**
 * The index a writer leaves at the end of a trace gives {@link TraceWorkload#open} exactly what reading the records
 * gives ({@link TraceWorkload#scan}): the same regions of every process image, PRESENT ranges, counts, and the same
 * refusals, compared field by field; with or without an iTLB (instruction pages count only with one).
 */
class TraceIndexTest {
    private static final long GIB = 1L << 30;
    private static final long HEAP = 0x60_0000L;
    private static final long CODE = 0x40_0000L;
    private static final long LIBS = 0x7f10_0000_0000L;
    private static final long MMAP = 0x7f00_0000_0000L;
    private static final long STACK = 0x7ffc_0000_0000L;

    @Test
    void theIndexGivesTheWorkloadReadingTheRecordsGives(@TempDir Path dir) throws Exception {
        int[] seen = new int[4];
        for (int seed = 1; seed <= 16; seed++) {
            int pageSize = seed % 5 == 0 ? 1 << 21 : 4096;
            Path t = multiProcessTrace(dir.resolve("t" + seed + ".trace"), seed, pageSize);
            for (boolean fetches : new boolean[] {false, true}) {
                assertSameBothWays(t, 4 * GIB, fetches, "seed " + seed);
            }
            // What the traces exercise: several processes, several images of one, PRESENT ranges, and
            // instruction pages that change the regions.
            TraceIndex index = index(t);
            seen[0] += index.processes().size() > 2 ? 1 : 0;
            seen[1] += index.processes().stream().anyMatch(p -> p.images().size() > 1) ? 1 : 0;
            seen[2] += index.present().isEmpty() ? 0 : 1;
            seen[3] += TraceWorkload.open(t, 4 * GIB, true).touchedBytes()
                    > TraceWorkload.open(t, 4 * GIB, false).touchedBytes() ? 1 : 0;
        }
        for (int s : seen) {
            assertTrue(s >= 8, "traces of each kind: " + java.util.Arrays.toString(seen));
        }
    }

    @Test
    void aTraceWithoutAnIndexReadsAsBefore(@TempDir Path dir) throws Exception {
        Path t = multiProcessTrace(dir.resolve("t.trace"), 3, 4096);
        Path old = stripIndex(t, dir.resolve("old.trace"));
        try (TraceReader r = TraceReader.open(old)) {
            assertTrue(TraceIndex.read(old, r.header()).isEmpty());
        }
        for (boolean fetches : new boolean[] {false, true}) {
            assertSameFields(TraceWorkload.open(t, 4 * GIB, fetches), TraceWorkload.open(old, 4 * GIB, fetches),
                    "without the index", true);
        }
    }

    /** A trace cut inside its index has all its records: it reads, the index gone, as one without. */
    @Test
    void aTraceCutInsideItsIndexReadsItsRecords(@TempDir Path dir) throws Exception {
        Path t = multiProcessTrace(dir.resolve("t.trace"), 4, 4096);
        byte[] whole = Files.readAllBytes(t);
        Path cut = dir.resolve("cut.trace");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 1));
        assertSameFields(TraceWorkload.open(t, 4 * GIB, true), TraceWorkload.open(cut, 4 * GIB, true), "cut", true);
    }

    @Test
    void aDamagedIndexIsPassedOverAndTheRecordsRead(@TempDir Path dir) throws Exception {
        Path t = multiProcessTrace(dir.resolve("t.trace"), 5, 4096);
        byte[] whole = Files.readAllBytes(t);
        long start = indexStart(t);
        Random r = new Random(5);
        for (int i = 0; i < 40; i++) {
            byte[] bad = whole.clone();
            // Past the skippable frame's own header, which zstd needs to pass over the frame.
            int at = (int) start + 8 + r.nextInt((int) (whole.length - start - 8));
            bad[at] ^= (byte) (1 << r.nextInt(8));
            Path b = dir.resolve("bad" + i + ".trace");
            Files.write(b, bad);
            try (TraceReader reader = TraceReader.open(b)) {
                TraceHeader h = reader.header();
                if (at < whole.length - 8) {
                    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceIndex.read(b, h));
                    assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(b.toString())
                            + ": byte \\d+: the trace's index .*"), e.getMessage());
                } else {
                    assertTrue(TraceIndex.read(b, h).isEmpty(), "no tail, no index");
                }
            }
            assertSameFields(TraceWorkload.scan(t, 4 * GIB, true), TraceWorkload.open(b, 4 * GIB, true), "case " + i,
                    true);
        }
    }

    /** Every refusal reading the records gives, opening with the index gives too, naming the same record. */
    @Test
    void whatTheRecordsRefuseTheIndexRefusesAlike(@TempDir Path dir) {
        long memory = 64L << 20;
        List<Path> traces = new ArrayList<>();
        traces.add(refused(dir, "gap", w -> w.reference(3_000_000_000L, HEAP, 8, false)));
        traces.add(refused(dir, "present", w -> w.event(1, new TraceEvent.Present(HEAP, memory + 4096, true))));
        traces.add(refused(dir, "present-outside", w -> w.event(1, new TraceEvent.Present(1L << 47, 4096, true))));
        traces.add(refused(dir, "wrapping", w -> w.reference(1, Long.MAX_VALUE - 3, 8, false)));
        traces.add(refused(dir, "negative", w -> w.reference(1, -4096, 8, false)));
        traces.add(refused(dir, "kernel-outside", w -> w.event(1, new TraceEvent.KernelTouch((1L << 47) - 4096,
                8192, true))));
        traces.add(refused(dir, "too-many-pages", w -> {
            for (int i = 0; i < 20_000; i++) {
                w.reference(1, HEAP + 4096L * i, 8, true);
            }
        }));
        for (Path t : traces) {
            for (boolean fetches : new boolean[] {false, true}) {
                assertRefusedAlike(t, memory, fetches);
            }
        }
        Path events = dir.resolve("no-references.trace");
        try (TraceWriter w = TraceWriter.create(events, TraceHeader.of("test", List.of("none")))) {
            w.event(1, new TraceEvent.Syscall(1));
            w.finish(0);
        }
        assertEquals(assertThrows(TraceFormatException.class, () -> TraceWorkload.scan(events, memory, false))
                .getMessage(), assertThrows(TraceFormatException.class, () -> TraceWorkload.open(events, memory,
                false)).getMessage());
    }

    /** Only the instruction pages exceed the memory: the index is used without an iTLB, and refuses with one. */
    @Test
    void theIndexIsUsedWhereTheRecordsAreAccepted(@TempDir Path dir) throws Exception {
        long memory = 64L << 20;
        // Within the VM's memory as data, beyond it with the instruction pages: refused only with an iTLB.
        Path t = refused(dir, "code", w -> {
            for (int i = 0; i < 16_000; i++) {
                w.reference(1, HEAP + 4096L * i, 8, true);
                w.event(1, new TraceEvent.IPage(LIBS + 4096L * i));
            }
        });
        TraceIndex index = index(t);
        assertNotNull(TraceWorkload.fromIndex(t, index, memory, false));
        assertNull(TraceWorkload.fromIndex(t, index, memory, true));
        assertSameBothWays(t, memory, false, "without an iTLB");
        assertRefusedAlike(t, memory, true);
    }

    private static void assertRefusedAlike(Path t, long memory, boolean fetches) {
        String how = t.getFileName() + (fetches ? " with an iTLB" : "");
        RuntimeException byRecords = assertThrows(RuntimeException.class, () -> TraceWorkload.scan(t, memory,
                fetches), how);
        RuntimeException byIndex = assertThrows(RuntimeException.class, () -> TraceWorkload.open(t, memory, fetches),
                how);
        assertEquals(byRecords.getClass(), byIndex.getClass(), how);
        assertEquals(byRecords.getMessage(), byIndex.getMessage(), how);
    }

    @Test
    void anIndexMadeByOtherRulesIsNotUsed(@TempDir Path dir) throws Exception {
        Path t = multiProcessTrace(dir.resolve("t.trace"), 6, 4096);
        TraceIndex index = index(t);
        assertNotNull(TraceWorkload.fromIndex(t, index, 4 * GIB, true));
        TraceIndex.Rules r = index.rules();
        for (TraceIndex.Rules other : List.of(new TraceIndex.Rules(128, r.kernelTouchPages(), r.userTop()),
                new TraceIndex.Rules(r.mergeGapPages(), 512, r.userTop()),
                new TraceIndex.Rules(r.mergeGapPages(), r.kernelTouchPages(), 1L << 56))) {
            TraceIndex changed = new TraceIndex(index.pageShift(), index.firstPid(), index.references(),
                    index.events(), index.replayed(), index.extremes(), other, index.present(), index.processes());
            assertNull(TraceWorkload.fromIndex(t, changed, 4 * GIB, true), other.toString());
        }
    }

    /** The writer and this class make regions by the same rules; if one changes, indexes go unused until both do. */
    @Test
    void theWriterFollowsTheRulesOpenDoes() {
        assertEquals(TraceWorkload.RULES, TraceIndex.RULES);
    }

    /**
     * The real captures, when there are some (experiments/workloads/traces of a checkout that captured them): the
     * first 3 M references of each, with the events among them, copied through the writer, open from the index as
     * from the records. With {@code -Dnestwalk.realTraces=DIR}, every capture under DIR whole, compared with the
     * original read record by record (about as long as reading them all three times: 90 s for 34 captures).
     */
    @Test
    void realCapturesOpenAlikeFromTheirIndex(@TempDir Path dir) throws Exception {
        String asked = System.getProperty("nestwalk.realTraces");
        Path where = Path.of(asked != null ? asked : "experiments/workloads/traces");
        Assumptions.assumeTrue(Files.isDirectory(where), "no real captures in " + where);
        List<Path> captures;
        try (Stream<Path> s = Files.walk(where, asked != null ? 2 : 1, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            captures = s.filter(p -> p.toString().endsWith(".trace") && Files.isRegularFile(p)).sorted().toList();
        }
        Assumptions.assumeFalse(captures.isEmpty(), "no .trace files in " + where);
        long references = asked != null ? Long.MAX_VALUE : 3_000_000;
        for (Path original : captures) {
            Path copy = dir.resolve("copy.trace");
            copy(original, copy, references);
            for (boolean fetches : new boolean[] {false, true}) {
                TraceWorkload byRecords = TraceWorkload.scan(asked != null ? original : copy, 16 * GIB, fetches);
                TraceWorkload byIndex = TraceWorkload.open(copy, 16 * GIB, fetches);
                assertNotNull(TraceWorkload.fromIndex(copy, index(copy), 16 * GIB, fetches), original.toString());
                assertSameFields(byRecords, byIndex, original + (fetches ? " with an iTLB" : ""), true);
                System.out.printf("%s%s: %d process(es), %,d references, %,d bytes touched: the same both ways%n",
                        original, fetches ? " (iTLB)" : "", byIndex.processes(), byIndex.references(),
                        byIndex.touchedBytes());
            }
            Files.delete(copy);
        }
    }

    // --- comparing ---

    private static void assertSameBothWays(Path t, long memory, boolean fetches, String what) throws IOException {
        TraceIndex index = index(t);
        TraceWorkload byIndex = TraceWorkload.fromIndex(t, index, memory, fetches);
        assertNotNull(byIndex, what + ": the index was not used");
        assertSameFields(TraceWorkload.scan(t, memory, fetches), byIndex, what, false);
        assertSameFields(byIndex, TraceWorkload.open(t, memory, fetches), what, false);
    }

    /** Every field of the two workloads is equal (but the file's path, with {@code otherFile}). */
    private static void assertSameFields(TraceWorkload expected, TraceWorkload actual, String what, boolean otherFile) {
        int compared = 0;
        for (Field f : TraceWorkload.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || otherFile && f.getName().equals("file")) {
                continue;
            }
            f.setAccessible(true);
            try {
                assertEquals(f.get(expected), f.get(actual), what + ": field " + f.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            compared++;
        }
        assertTrue(compared >= 7, "the fields compared: " + compared);
    }

    private static TraceIndex index(Path t) throws IOException {
        try (TraceReader r = TraceReader.open(t)) {
            return TraceIndex.read(t, r.header()).orElseThrow();
        }
    }

    // --- traces ---

    private interface Records {
        void write(TraceWriter w);
    }

    /** A trace of one process whose records {@code body} writes, after a few ordinary ones. */
    private static Path refused(Path dir, String name, Records body) {
        Path t = dir.resolve(name + ".trace");
        try (TraceWriter w = TraceWriter.create(t, TraceHeader.of("test", List.of(name)))) {
            for (int i = 0; i < 100; i++) {
                w.reference(2, STACK + 8 * i, 8, false);
            }
            body.write(w);
            w.reference(1, HEAP, 8, false);
            w.finish(0);
        }
        return t;
    }

    /**
     * A program that forks children, which run programs of their own (EXEC), and whose records the trace holds
     * after SWITCHes, interleaved: references in a heap, mmapped areas and the stack, instruction pages in its
     * code and libraries, kernel accesses of every size (none, several pages, more than are replayed), PRESENT
     * ranges before and after it starts, system calls and events of a later version.
     */
    private static Path multiProcessTrace(Path file, long seed, int pageSize) {
        Random r = new Random(seed);
        long first = 100 + seed;
        TraceHeader header = new TraceHeader(List.of("/bin/prog", "-" + seed), "test", pageSize, 5, first);
        try (TraceWriter w = TraceWriter.create(file, header)) {
            for (int i = r.nextInt(6); i > 0; i--) {
                w.event(0, new TraceEvent.Present(around(r, r.nextBoolean() ? HEAP : STACK),
                        4096L * (1 + r.nextInt(600)) + r.nextInt(100), r.nextBoolean()));
            }
            List<Long> pids = new ArrayList<>(List.of(first));
            long next = first + 1;
            int switches = 3 + r.nextInt(6);
            long pid = first;
            for (int s = 0; s < switches; s++) {
                if (s > 0) {
                    pid = pids.get(r.nextInt(pids.size()));
                    w.event(r.nextInt(3), new TraceEvent.Switch(pid, pid + r.nextInt(2)));
                }
                for (int i = 2_000 + r.nextInt(6_000); i > 0; i--) {
                    int what = r.nextInt(1000);
                    long gap = r.nextInt(20) == 0 ? 7 + r.nextInt(100_000) : r.nextInt(7);
                    if (what < 900) {
                        long base = switch (r.nextInt(4)) {
                            case 0 -> HEAP;
                            case 1 -> MMAP;
                            case 2 -> STACK;
                            default -> MMAP + (1L << 32) * r.nextInt(3);
                        };
                        w.reference(gap, around(r, base) + 8L * r.nextInt(512) - 1, 1 << r.nextInt(7),
                                r.nextBoolean());
                    } else if (what < 950) {
                        w.event(gap, new TraceEvent.IPage(around(r, r.nextBoolean() ? CODE : LIBS)));
                    } else if (what < 960) {
                        long length = switch (r.nextInt(5)) {
                            case 0 -> 0;
                            case 1 -> -5;
                            case 2 -> 4096L * 1100 + 7;
                            default -> 1 + r.nextInt(40_000);
                        };
                        w.event(gap, new TraceEvent.KernelTouch(around(r, HEAP), length, r.nextBoolean()));
                    } else if (what < 963) {
                        w.event(gap, new TraceEvent.Present(around(r, MMAP), 4096L * (1 + r.nextInt(30)),
                                true));
                    } else if (what < 966) {
                        w.event(gap, new TraceEvent.Fork(next));
                        pids.add(next++);
                    } else if (what < 968) {
                        w.event(gap, new TraceEvent.Exec());
                    } else if (what < 970) {
                        w.event(gap, new TraceEvent.Mmap(around(r, MMAP), 1 << 20, 3, 0x22));
                    } else if (what < 972) {
                        w.event(gap, new TraceEvent.Unknown(99, new byte[] {1, 2, 3}));
                    } else if (what < 973) {
                        w.event(gap, new TraceEvent.Switch(pid, pid + 7));
                    } else if (what < 974 && pid != first) {
                        w.event(gap, new TraceEvent.Exit(pid));
                    } else {
                        w.event(gap, new TraceEvent.Syscall(r.nextInt(300)));
                    }
                }
            }
            // A child the trace names but has no records of.
            w.event(1, new TraceEvent.Switch(next + 50, next + 50));
            w.finish(3);
        }
        return file;
    }

    /** An address within a few hundred pages of {@code base}, sometimes far enough to start another region. */
    private static long around(Random r, long base) {
        long pages = r.nextInt(10) == 0 ? 2_000 + r.nextInt(5_000) : r.nextInt(300);
        return base + 4096 * pages + 8 * r.nextInt(512);
    }

    /** A copy of a trace as one written before there were indexes: the same bytes, but the index. */
    private static Path stripIndex(Path t, Path to) throws IOException {
        long start = indexStart(t);
        Files.copy(t, to);
        try (FileChannel f = FileChannel.open(to, StandardOpenOption.WRITE)) {
            f.truncate(start);
        }
        return to;
    }

    private static long indexStart(Path t) throws IOException {
        byte[] b = Files.readAllBytes(t);
        int n = b.length;
        long length = (b[n - 12] & 0xFFL) | (b[n - 11] & 0xFFL) << 8 | (b[n - 10] & 0xFFL) << 16
                | (b[n - 9] & 0xFFL) << 24;
        return n - length;
    }

    /** Copies a trace's records, up to {@code references} of them, through the writer, as {@code trace capture} does. */
    private static void copy(Path from, Path to, long references) {
        try (TraceReader r = TraceReader.open(from); TraceWriter w = TraceWriter.create(to, r.header())) {
            for (int kind = r.next(); ; kind = r.next()) {
                if (w.references() == references) {
                    w.finish(0);
                    return;
                }
                if (kind == TraceReader.REFERENCE) {
                    w.reference(r.gap(), r.address(), r.size(), r.store());
                } else if (kind == TraceReader.EVENT) {
                    w.event(r.gap(), r.event());
                } else {
                    w.finish(r.gap());
                    return;
                }
            }
        }
    }
}
