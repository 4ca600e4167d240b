package org.nestwalk.trace.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nestwalk.cli.CliRun;

/** {@code nestwalk trace convert} as a user meets it: format guessing, one-line errors, exit codes. */
class ConvertCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static void assertOneLineError(CliRun o, String expected) {
        o.assertOneLineError(expected);
    }

    @Test
    void convertsAChampSimTraceGuessedFromItsName() throws IOException {
        Path in = dir.resolve("600.perlbench_s-210B.champsimtrace");
        Files.write(in, ChampSimConversionTest.records(
                ChampSimConversionTest.record(0x400000, new long[] {0x1000, 0, 0, 0}, new long[] {0, 0})));
        Path out = dir.resolve("perl.trace");
        CliRun o = run("trace", "convert", in.toString(), "-o", out.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("1 instructions, 1 references and 1 IPAGE events from champsim"), o.out());
        assertEquals(java.util.List.of(Records.ipage(0, 0x400000), Records.load(1, 0x1000, 8), Records.end(0)),
                Records.read(out));
    }

    @Test
    void anUnknownFormatIsOneClearLine() throws IOException {
        Path in = dir.resolve("x.trace.bin");
        Files.write(in, new byte[64]);
        String out = dir.resolve("o.trace").toString();
        assertOneLineError(run("trace", "convert", "--from", "pin", in.toString(), "-o", out),
                "unknown input format 'pin' for --from (expected lackey or champsim)");
        assertOneLineError(run("trace", "convert", in.toString(), "-o", out),
                "cannot tell the input format from the file name (give --from lackey or --from champsim)");
        assertOneLineError(run("trace", "convert", "--from", "lackey", "--max-refs", "0", in.toString(), "-o", out),
                "--max-refs must be a positive number, not 0");
    }

    @Test
    void aMalformedLackeyLogIsOneClearLine() throws IOException {
        Path in = dir.resolve("prog.log");
        Files.writeString(in, "I  0400000,3\n L 1000\n");
        assertOneLineError(run("trace", "convert", in.toString(), "-o", dir.resolve("o.trace").toString()),
                in + ": line 2: not a lackey line");
    }
}
