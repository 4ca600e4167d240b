package org.nestwalk.trace.convert;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;

/**
 * A ChampSim trace: one 64-byte little-endian {@code input_instr} record per instruction executed. The layout is that
 * of {@code struct input_instr} in ChampSim's {@code inc/trace_instruction.h} (repository ChampSim/ChampSim, read at
 * commit b92dc114038e4c74bf98fa3022ce3e71e4da3794), which has no padding since every field is at a multiple of its
 * alignment:
 *
 * <pre>
 *  0  unsigned long long ip
 *  8  unsigned char is_branch
 *  9  unsigned char branch_taken
 * 10  unsigned char destination_registers[2]
 * 12  unsigned char source_registers[4]
 * 16  unsigned long long destination_memory[2]   stores; 0 = unused
 * 32  unsigned long long source_memory[4]        loads; 0 = unused
 * 64  (end)
 * </pre>
 *
 * <p>Every non-zero source_memory entry becomes a load and every non-zero destination_memory entry a store, loads
 * first since an instruction reads its operands before it writes its results. ChampSim records no access sizes (its
 * simulator works in whole cache lines), so every reference is taken to be 8 bytes, which the trace's tool string
 * says.
 */
final class ChampSimReader implements ConversionSource {
    static final int RECORD = 64;
    private static final int IP = 0;
    private static final int DESTINATION_MEMORY = 16;
    private static final int DESTINATIONS = 2;
    private static final int SOURCE_MEMORY = 32;
    private static final int SOURCES = 4;
    private static final int ASSUMED_SIZE = 8;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final Input in;
    private final TraceHeader header;
    private long records;

    private ChampSimReader(Input in, TraceHeader header) {
        this.in = in;
        this.header = header;
    }

    static ChampSimReader open(Path path) {
        return new ChampSimReader(Input.open(path), new TraceHeader(List.of(), "ChampSim input_instr trace "
                + path.getFileName() + " (converted; no page-table events; no access sizes in ChampSim traces: "
                + ASSUMED_SIZE + " bytes assumed)", 4096, 0, 1));
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public long inputRecords() {
        return records;
    }

    @Override
    public void copyTo(TraceSink sink) {
        byte[] buffer = new byte[RECORD * 4096];
        while (true) {
            int n = in.readFully(buffer);
            int whole = n - n % RECORD;
            for (int r = 0; r < whole; r += RECORD) {
                sink.instruction((long) LONG.get(buffer, r + IP));
                records++;
                for (int k = 0; k < SOURCES; k++) {
                    long a = (long) LONG.get(buffer, r + SOURCE_MEMORY + 8 * k);
                    if (a != 0 && !sink.reference(a, ASSUMED_SIZE, false)) {
                        return;
                    }
                }
                for (int k = 0; k < DESTINATIONS; k++) {
                    long a = (long) LONG.get(buffer, r + DESTINATION_MEMORY + 8 * k);
                    if (a != 0 && !sink.reference(a, ASSUMED_SIZE, true)) {
                        return;
                    }
                }
            }
            if (n < buffer.length) {
                if (n != whole) {
                    long offset = records * RECORD;
                    throw new TraceFormatException(in.name() + ": " + (in.compressed() ? "decompressed " : "")
                            + "byte " + offset + ": the last record is truncated (" + (n - whole) + " of " + RECORD
                            + " bytes): a ChampSim trace is a whole number of 64-byte input_instr records");
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        in.close();
    }
}
