package org.nestwalk.trace.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nestwalk.trace.convert.Records.end;
import static org.nestwalk.trace.convert.Records.ipage;
import static org.nestwalk.trace.convert.Records.load;
import static org.nestwalk.trace.convert.Records.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceReader;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Lackey logs converted record by record: gaps, sizes, modify accesses, instruction pages and the header. */
class LackeyConversionTest {
    private static final String LOG = """
            ==1234== Lackey, an example Valgrind tool
            ==1234== Copyright (C) 2002-2017, and GNU GPL'd, by Nicholas Nethercote.
            ==1234== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
            ==1234== Command: ./prog -x 3
            ==1234==\s
            I  04016b0,3
             S 1ffefffd48,8
            I  04016b3,5
            I  04016b8,4
             L 1ffefffd40,8
             M 0421c7f0,4
            I  0402000,2
             L 00601040,10
             S 00601100,100
            I  04016c0,3
            I  04016c3,3
            ==1234==\s
            ==1234== Counting...
            """;

    /** The log above: a 10-byte load rounds up to 16, a 100-byte store splits into two 64-byte ones. */
    private static final List<String> EXPECTED = List.of(
            ipage(0, 0x401000),
            store(1, 0x1ffefffd48L, 8),
            load(2, 0x1ffefffd40L, 8),
            load(0, 0x421c7f0, 4),
            store(0, 0x421c7f0, 4),
            ipage(0, 0x402000),
            load(1, 0x601040, 16),
            store(0, 0x601100, 64),
            store(0, 0x601140, 64),
            ipage(0, 0x401000),
            end(2));

    @TempDir
    Path dir;

    @Test
    void everyRecordOfAPlainLog() {
        Path in = write("prog.lackey", LOG);
        Path out = dir.resolve("prog.trace");
        TraceConverter.Result r = TraceConverter.convert(InputFormat.LACKEY, in, out, Long.MAX_VALUE);
        assertEquals(EXPECTED, Records.read(out));
        assertEquals(6, r.instructions());
        assertEquals(7, r.references());
        assertEquals(3, r.events());
        assertFalse(r.stoppedAtMax());
        try (TraceReader t = TraceReader.open(out)) {
            TraceHeader h = t.header();
            assertEquals(List.of("./prog", "-x", "3"), h.commandLine());
            assertEquals(1234, h.pid());
            assertEquals(4096, h.pageSize());
            assertTrue(h.tool().startsWith("lackey / valgrind 3.19.0 ("), h.tool());
            assertTrue(h.tool().contains("no page-table events"), h.tool());
        }
    }

    @Test
    void gzipXzAndWindowsLineEndingsGiveTheSameTrace() throws IOException {
        Path gz = dir.resolve("prog.lackey.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(LOG.getBytes(StandardCharsets.UTF_8));
        }
        Path xz = dir.resolve("prog.log.xz");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            o.write(LOG.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Path in : List.of(gz, xz)) {
            Path out = dir.resolve(in.getFileName() + ".trace");
            TraceConverter.convert(InputFormat.guess(in), in, out, Long.MAX_VALUE);
            assertEquals(EXPECTED, Records.read(out), in.toString());
        }
    }

    @Test
    void maxRefsStopsAtExactlyThatManyReferences() {
        Path in = write("prog.lackey", LOG);
        Path out = dir.resolve("prog.trace");
        TraceConverter.Result r = TraceConverter.convert(InputFormat.LACKEY, in, out, 3);
        // The third reference is the load half of the modify; its store is not converted.
        assertEquals(List.of(EXPECTED.get(0), EXPECTED.get(1), EXPECTED.get(2), EXPECTED.get(3), end(0)),
                Records.read(out));
        assertTrue(r.stoppedAtMax());
        assertEquals(3, r.instructions());
    }

    @Test
    void aLogWithoutAccessesIsAnEmptyTrace() {
        Path in = write("empty.lackey", "==7== Command: true\n");
        Path out = dir.resolve("empty.trace");
        TraceConverter.convert(InputFormat.LACKEY, in, out, Long.MAX_VALUE);
        assertEquals(List.of(end(0)), Records.read(out));
    }

    @Test
    void aMalformedLineNamesTheFileAndLine() {
        Path in = write("bad.lackey", "==1== Command: x\nI  0400000,3\n L 10zz,8\n");
        Path out = dir.resolve("bad.trace");
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.LACKEY, in, out, Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(in + ": line 3: not a lackey line: ' L 10zz,8'"), e.getMessage());
        assertFalse(Files.exists(out), "no partial trace is left behind");

        Path chatter = write("chatter.lackey", "I  0400000,3\nHello from the program\n");
        e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.LACKEY, chatter, out, Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(chatter + ": line 2: "), e.getMessage());
        assertTrue(e.getMessage().contains("--log-file"), e.getMessage());
    }

    @Test
    void aMissingOrCorruptInputIsAFormatError() throws IOException {
        Path missing = dir.resolve("missing.lackey");
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.LACKEY, missing, dir.resolve("o.trace"), Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());

        Path notXz = write("prog.lackey.xz", LOG);
        e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.LACKEY, notXz, dir.resolve("o.trace"), Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(notXz + ": byte 0: not xz data"), e.getMessage());
    }

    /** Issue 17, defect 8: an empty or cut-short .xz said "...: null". */
    @Test
    void anEmptyOrTruncatedXzSaysSoRatherThanNull() throws IOException {
        Path empty = write("empty.lackey.xz", "");
        Path cut = dir.resolve("cut.lackey.xz");
        Files.write(cut, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 4});
        for (Path p : List.of(empty, cut)) {
            TraceFormatException e = assertThrows(TraceFormatException.class,
                    () -> TraceConverter.convert(InputFormat.LACKEY, p, dir.resolve("o.trace"), Long.MAX_VALUE));
            assertEquals(p + ": byte 0: not xz data as its name says: the data ends too early (empty or truncated "
                    + "file?)", e.getMessage());
        }
    }

    private Path write(String name, String text) {
        Path p = dir.resolve(name);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }
}
