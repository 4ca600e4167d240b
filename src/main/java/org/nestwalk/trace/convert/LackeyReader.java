package org.nestwalk.trace.convert;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;

/**
 * A Valgrind lackey log ({@code valgrind --tool=lackey --trace-mem=yes}): {@code I  ADDR,SIZE} for every instruction
 * executed, then {@code  L}, {@code  S} or {@code  M} (modify: a load, then a store) lines for its data accesses, with
 * hexadecimal addresses and decimal sizes, and {@code ==PID==} lines from Valgrind itself. The preamble's
 * {@code Command:} and process id become the trace's command line and pid.
 *
 * <p>Sizes: an access of up to 64 bytes that is not a power of two (an x87 load of 10 bytes, say) is rounded up to the
 * next power of two, which stays within the one or two cache lines and pages it touches; a larger one (lackey reports
 * {@code FXSAVE}/{@code XSAVE} areas of up to 512 bytes as one access) is split into consecutive 64-byte references, so
 * that every page it touches is still referenced.
 *
 * <p>Lines are parsed from bytes without creating strings: lackey logs run to gigabytes.
 */
final class LackeyReader implements ConversionSource {
    private static final String EXPECTED = "expected 'I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', ' M ADDR,SIZE' or a"
            + " ==PID== line from valgrind --tool=lackey --trace-mem=yes; run it with --log-file so that the program's"
            + " own output stays out";

    private final Input in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private int lineStart;
    private int lineEnd;
    private long line;
    /** The preamble stopped at this first data line, which {@link #copyTo} must take first. */
    private boolean lineWaiting;
    private TraceHeader header;

    private LackeyReader(Input in) {
        this.in = in;
    }

    static LackeyReader open(Path path) {
        Input in = Input.open(path);
        LackeyReader r = new LackeyReader(in);
        try {
            r.readPreamble(path);
            return r;
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public TraceHeader header() {
        return header;
    }

    @Override
    public long inputRecords() {
        return line;
    }

    @Override
    public void copyTo(TraceSink sink) {
        if (lineWaiting) {
            lineWaiting = false;
            if (!dataLine(sink)) {
                return;
            }
        }
        while (nextLine()) {
            if (!dataLine(sink)) {
                return;
            }
        }
    }

    @Override
    public void close() {
        in.close();
    }

    /** Reads Valgrind's own lines before the first instruction, for the command line, pid and version. */
    private void readPreamble(Path path) {
        List<String> command = List.of();
        long pid = 1;
        String version = null;
        while (nextLine()) {
            if (lineStart == lineEnd) {
                continue;
            }
            if (!isComment()) {
                lineWaiting = true;
                break;
            }
            String text = new String(buffer, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
            int close = text.indexOf("==", 2);
            if (text.startsWith("==") && close > 2) {
                try {
                    pid = Long.parseLong(text.substring(2, close));
                } catch (NumberFormatException e) {
                    // Not a pid: the comment is still Valgrind's, and the trace keeps the default pid.
                }
            }
            String message = close > 0 ? text.substring(close + 2).strip() : "";
            if (message.startsWith("Command:")) {
                command = new ArrayList<>();
                for (String arg : message.substring("Command:".length()).strip().split(" +")) {
                    if (!arg.isEmpty()) {
                        command.add(arg);
                    }
                }
            } else if (message.startsWith("Using Valgrind-")) {
                String v = message.substring("Using Valgrind-".length());
                int space = v.indexOf(' ');
                version = space < 0 ? v : v.substring(0, space);
            }
        }
        String tool = "lackey" + (version == null ? "" : " / valgrind " + version) + " (converted from "
                + path.getFileName() + "; no page-table events)";
        header = new TraceHeader(command, tool, 4096, 0, pid);
    }

    /** Whether the current line is Valgrind's ({@code ==PID== ...}, or {@code --PID-- ...} for its debug output). */
    private boolean isComment() {
        byte c = buffer[lineStart];
        return lineEnd - lineStart >= 2 && (c == '=' || c == '-') && buffer[lineStart + 1] == c;
    }

    /** Converts the current line; returns false when the sink wants no more. */
    private boolean dataLine(TraceSink sink) {
        int i = lineStart;
        int e = lineEnd;
        while (i < e && buffer[i] == ' ') {
            i++;
        }
        if (i == e) {
            return true;
        }
        if (i == lineStart && isComment()) {
            return true;
        }
        byte kind = buffer[i++];
        if (i == e || buffer[i] != ' ') {
            throw malformed();
        }
        while (i < e && buffer[i] == ' ') {
            i++;
        }
        long address = 0;
        int digits = 0;
        for (; i < e; i++, digits++) {
            int d = Character.digit(buffer[i], 16);
            if (d < 0) {
                break;
            }
            address = address << 4 | d;
        }
        if (digits == 0 || digits > 16 || i == e || buffer[i] != ',') {
            throw malformed();
        }
        i++;
        long size = 0;
        int sizeDigits = 0;
        for (; i < e && buffer[i] >= '0' && buffer[i] <= '9'; i++, sizeDigits++) {
            size = size * 10 + buffer[i] - '0';
        }
        while (i < e && (buffer[i] == ' ' || buffer[i] == '\t')) {
            i++;
        }
        if (sizeDigits == 0 || sizeDigits > 9 || i != e) {
            throw malformed();
        }
        if (size == 0 && kind != 'I') {
            throw new TraceFormatException(in.name() + ": line " + line + ": an access of 0 bytes");
        }
        return switch (kind) {
            case 'I' -> {
                sink.instruction(address);
                yield true;
            }
            case 'L' -> access(sink, address, size, false);
            case 'S' -> access(sink, address, size, true);
            case 'M' -> access(sink, address, size, false) && access(sink, address, size, true);
            default -> throw malformed();
        };
    }

    private static boolean access(TraceSink sink, long address, long size, boolean store) {
        if (size <= 64) {
            return sink.reference(address, roundUp((int) size), store);
        }
        for (long offset = 0; offset < size; offset += 64) {
            if (!sink.reference(address + offset, roundUp((int) Math.min(64, size - offset)), store)) {
                return false;
            }
        }
        return true;
    }

    private static int roundUp(int size) {
        return size <= 1 ? 1 : Integer.highestOneBit(size - 1) << 1;
    }

    private TraceFormatException malformed() {
        int n = Math.min(lineEnd - lineStart, 80);
        StringBuilder text = new StringBuilder(n);
        for (int i = lineStart; i < lineStart + n; i++) {
            int c = buffer[i] & 0xFF;
            // Control bytes (a stray carriage return, NUL) are shown, not sent to the terminal.
            text.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", c) : String.valueOf((char) c));
        }
        return new TraceFormatException(in.name() + ": line " + line + ": not a lackey line: '" + text
                + (n < lineEnd - lineStart ? "..." : "") + "' (" + EXPECTED + ")");
    }

    /** Moves to the next line (without its line break); false at the end of the input. */
    private boolean nextLine() {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < limit; i++) {
                if (buffer[i] == '\n') {
                    setLine(pos, i);
                    pos = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    pos = limit;
                    return true;
                }
                return false;
            }
            if (pos == 0 && limit == buffer.length) {
                line++;
                throw new TraceFormatException(in.name() + ": line " + line + ": longer than " + buffer.length
                        + " bytes: not a lackey log");
            }
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
            scanned = limit;
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }

    private void setLine(int start, int end) {
        line++;
        lineStart = start;
        lineEnd = end > start && buffer[end - 1] == '\r' ? end - 1 : end;
    }
}
