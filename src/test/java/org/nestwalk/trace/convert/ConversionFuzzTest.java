package org.nestwalk.trace.convert;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.trace.TraceFormatException;

/**
 * Hostile inputs to the converters: lackey logs with damaged lines, ChampSim traces of any length, and compressed
 * files with flipped bytes. Each converts or is a one-line {@link TraceFormatException} naming the file and the line
 * or byte; never another exception or a hang. Seeded: the same cases on every run.
 */
class ConversionFuzzTest {
    private static final String[] LINES = {"I  04001000,3", " L 7ff000010,8", " S 7ff000018,4", " M 601040,8",
        "==123== Command: /bin/prog", "--123-- debug", ""};
    private static final String[] DAMAGE = {"", " ", "\t", ",", "G", "0", "ffffffffffffffffff", "99999999999", "\u0000",
        "\r", "I", "L", "==", "-", "é", "1,", ",1"};

    @Test
    void damagedLackeyLogsConvertOrNameTheirLine(@TempDir Path dir) {
        Random r = new Random(41);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 300; i++) {
                StringBuilder log = new StringBuilder("==123== Command: /bin/prog\n");
                for (int k = 0; k < 50; k++) {
                    String line = LINES[r.nextInt(LINES.length)];
                    if (r.nextInt(10) == 0) {
                        int at = r.nextInt(line.length() + 1);
                        line = line.substring(0, at) + DAMAGE[r.nextInt(DAMAGE.length)]
                                + line.substring(r.nextBoolean() ? at : Math.min(line.length(), at + 1));
                    }
                    log.append(line).append('\n');
                }
                Path in = dir.resolve("fuzz" + i + ".lackey.log");
                Files.writeString(in, log, StandardCharsets.UTF_8);
                convert(InputFormat.LACKEY, in, dir, "line \\d+: ");
            }
        });
    }

    @Test
    void champSimTracesOfAnyLengthAndDamagedCompressionAreReported(@TempDir Path dir) throws Exception {
        Random r = new Random(42);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 200; i++) {
                byte[] raw = new byte[r.nextInt(64 * 20)];
                r.nextBytes(raw);
                boolean gz = r.nextBoolean();
                byte[] bytes = raw;
                if (gz) {
                    bytes = gzip(raw);
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                Path in = dir.resolve("fuzz" + i + ".champsimtrace" + (gz ? ".gz" : ""));
                Files.write(in, bytes);
                convert(InputFormat.CHAMPSIM, in, dir, "(near |decompressed )?byte \\d+");
            }
        });
    }

    private static void convert(InputFormat from, Path in, Path dir, String where) {
        try {
            TraceConverter.convert(from, in, dir.resolve("out.trace"), 1_000_000);
        } catch (TraceFormatException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith(in + ": ") && m.matches(".*" + where + ".*") && !m.contains("\n"), m);
        } catch (RuntimeException e) {
            fail(in + ": " + e + " instead of a TraceFormatException", e);
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(raw);
        }
        return b.toByteArray();
    }
}
