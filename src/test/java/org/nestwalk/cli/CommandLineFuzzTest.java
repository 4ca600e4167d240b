package org.nestwalk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile command-line values: a short valid command with one value (or a {@code --set} key or value) replaced by
 * something absurd. Each command either runs (exit 0) or is bad input (exit 2) told in one line starting
 * "nestwalk: ", never an internal error (70) or a stack trace. Seeded: the same cases on every run.
 */
class CommandLineFuzzTest {
    private static final String[] VALUES = {"", " ", "-1", "0", "1", "abc", "1e99", "99999999999999999999",
        "9223372036854775807", "-9223372036854775808", "NaN", "Infinity", "--", "=", "==", "\u0000", "\u00e9t\u00e9",
        "1,5", "1.5", "0x10", "1GiB", "-0", "+3", "1_000", "nested,", ",", "native,native", "/nonexistent/x",
        "%s%n", "${sys:user.home}", "a=b=c", "1KiB", "4096", "2147483648"};
    private static final String[] KEYS = {"tlb.l2.entries", "pwc.entries", "ntlb.entries", "workload.footprint",
        "workload.pattern", "workload.writeFraction", "memory.guest", "nope", "", "tlb.l2", "tlb.l2.entries.x"};

    /** The valid starting points: each is quick (a few thousand references). */
    private static final List<List<String>> BASES = List.of(
            List.of("run", "--mode", "native", "--workload", "stream", "--refs", "3000", "--warmup", "100", "--jobs",
                    "1", "--seed", "3", "--set", "workload.footprint=1MiB"),
            List.of("explain", "--mode", "nested", "--va", "7f1234567000", "--warm", "0", "--workload", "random",
                    "--seed", "2", "--set", "pwc.entries=8"),
            List.of("trace", "info", "/nonexistent/t.trace"),
            List.of("trace", "convert", "--from", "lackey", "--max-refs", "10", "-o", "/nonexistent/o.trace",
                    "/nonexistent/in.log"),
            List.of("merge", "/nonexistent/results"));

    @Test
    void absurdValuesAreRunOrRefusedInOneLine() {
        Random r = new Random(31);
        int[] outcomes = new int[3];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < 200; i++) {
                List<String> args = new ArrayList<>(BASES.get(r.nextInt(BASES.size())));
                mutate(args, r);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                String what = "case " + i + ": " + args + " -> " + run.code() + "\n" + run.err();
                assertTrue(run.code() == 0 || run.code() == Main.BAD_INPUT, what);
                if (run.code() == Main.BAD_INPUT) {
                    String[] lines = run.err().strip().split("\n");
                    assertEquals(1, lines.length, what);
                    assertTrue(lines[0].startsWith("nestwalk: "), what);
                    assertTrue(!run.err().contains("Exception") && !run.err().contains("\tat "), what);
                    outcomes[1]++;
                } else {
                    outcomes[0]++;
                }
            }
        });
        assertTrue(outcomes[1] > 50, "refused: " + Arrays.toString(outcomes));
    }

    /** Replaces one option's value, a --set key or value, or appends a stray argument. */
    private static void mutate(List<String> args, Random r) {
        String value = VALUES[r.nextInt(VALUES.length)];
        List<Integer> values = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i - 1).startsWith("-")) {
                values.add(i);
            }
        }
        int choice = r.nextInt(10);
        if (choice < 6 && !values.isEmpty()) {
            int at = values.get(r.nextInt(values.size()));
            if (args.get(at - 1).equals("--set")) {
                args.set(at, r.nextBoolean() ? KEYS[r.nextInt(KEYS.length)] + "=" + value
                        : KEYS[r.nextInt(KEYS.length)] + "=" + args.get(at).substring(args.get(at).indexOf('=') + 1));
            } else {
                args.set(at, value);
            }
        } else if (choice < 8) {
            args.add(r.nextBoolean() ? "--" + value : value);
        } else {
            args.add("--set");
            args.add(KEYS[r.nextInt(KEYS.length)] + "=" + value);
        }
    }
}
