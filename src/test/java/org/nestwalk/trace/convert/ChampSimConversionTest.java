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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceReader;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** ChampSim input_instr records converted one by one, built here field by field in ChampSim's layout. */
class ChampSimConversionTest {
    private static final long HIGH = 0x7ffd_1234_5678L;

    /** Six instructions: loads in every source slot, stores in both destination slots, a page change. */
    private static final byte[] RECORDS = records(
            record(0x400100, new long[] {0x7000, 0, 0, 0}, new long[] {0x8000, 0}),
            record(0x400104, new long[] {0, 0, 0, 0}, new long[] {0, 0}),
            record(0x400108, new long[] {0x7008, 0, 0x7010, HIGH}, new long[] {0, 0x8008}),
            record(0x401000, new long[] {0, 0, 0, 0}, new long[] {0, 0}),
            record(0x401004, new long[] {0, 0x9000, 0, 0}, new long[] {0, 0}),
            record(0x401008, new long[] {0, 0, 0, 0}, new long[] {0, 0}));

    private static final List<String> EXPECTED = List.of(
            ipage(0, 0x400000),
            load(1, 0x7000, 8),
            store(0, 0x8000, 8),
            load(2, 0x7008, 8),
            load(0, 0x7010, 8),
            load(0, HIGH, 8),
            store(0, 0x8008, 8),
            ipage(0, 0x401000),
            load(2, 0x9000, 8),
            end(1));

    @TempDir
    Path dir;

    @Test
    void everyRecordOfAPlainAndAnXzTrace() throws IOException {
        Path plain = dir.resolve("prog.champsimtrace");
        Files.write(plain, RECORDS);
        Path xz = dir.resolve("prog.champsimtrace.xz");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            o.write(RECORDS);
        }
        for (Path in : List.of(plain, xz)) {
            Path out = dir.resolve(in.getFileName() + ".trace");
            TraceConverter.Result r = TraceConverter.convert(InputFormat.guess(in), in, out, Long.MAX_VALUE);
            assertEquals(EXPECTED, Records.read(out), in.toString());
            assertEquals(6, r.inputRecords());
            assertEquals(6, r.instructions());
            assertEquals(7, r.references());
            assertEquals(2, r.events());
            try (TraceReader t = TraceReader.open(out)) {
                assertTrue(t.header().tool().contains("ChampSim"), t.header().tool());
                assertTrue(t.header().tool().contains("8 bytes assumed"), t.header().tool());
                assertTrue(t.header().tool().contains("no page-table events"), t.header().tool());
            }
        }
    }

    @Test
    void maxRefsStopsInsideAnInstruction() throws IOException {
        Path in = dir.resolve("prog.champsimtrace");
        Files.write(in, RECORDS);
        Path out = dir.resolve("prog.trace");
        TraceConverter.Result r = TraceConverter.convert(InputFormat.CHAMPSIM, in, out, 4);
        assertEquals(List.of(EXPECTED.get(0), EXPECTED.get(1), EXPECTED.get(2), EXPECTED.get(3), EXPECTED.get(4),
                end(0)), Records.read(out));
        assertTrue(r.stoppedAtMax());
    }

    @Test
    void aTruncatedLastRecordNamesTheByteOffset() throws IOException {
        byte[] cut = Arrays.copyOf(RECORDS, RECORDS.length + 10);
        Path plain = dir.resolve("cut.champsimtrace");
        Files.write(plain, cut);
        Path out = dir.resolve("cut.trace");
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.CHAMPSIM, plain, out, Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(plain + ": byte 384: the last record is truncated (10 of 64 bytes)"),
                e.getMessage());
        assertFalse(Files.exists(out), "no partial trace is left behind");

        Path xz = dir.resolve("cut.champsimtrace.xz");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            o.write(Arrays.copyOf(RECORDS, RECORDS.length - 1));
        }
        e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.CHAMPSIM, xz, out, Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(xz + ": decompressed byte 320: the last record is truncated"),
                e.getMessage());
    }

    @Test
    void aTruncatedXzFileIsAFormatError() throws IOException {
        Path xz = dir.resolve("short.champsimtrace.xz");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            o.write(RECORDS);
        }
        byte[] bytes = Files.readAllBytes(xz);
        Files.write(xz, Arrays.copyOf(bytes, bytes.length - 20));
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> TraceConverter.convert(InputFormat.CHAMPSIM, xz, dir.resolve("o.trace"), Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith(xz + ": near byte "), e.getMessage());
    }

    /** One input_instr: ip, branch and register bytes (set, so that a reader that uses them would show), memory. */
    static byte[] record(long ip, long[] sources, long[] destinations) {
        ByteBuffer b = ByteBuffer.allocate(ChampSimReader.RECORD).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(ip);
        b.put((byte) 1).put((byte) 1);
        b.put(new byte[] {(byte) 0xAB, (byte) 0xCD});
        b.put(new byte[] {(byte) 0xEF, 1, 2, 3});
        for (long d : destinations) {
            b.putLong(d);
        }
        for (long s : sources) {
            b.putLong(s);
        }
        assertEquals(ChampSimReader.RECORD, b.position());
        return b.array();
    }

    static byte[] records(byte[]... rs) {
        ByteBuffer b = ByteBuffer.allocate(rs.length * ChampSimReader.RECORD);
        for (byte[] r : rs) {
            b.put(r);
        }
        return b.array();
    }
}
