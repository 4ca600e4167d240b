package org.nestwalk.experiment;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceFormatException;

/**
 * Hostile experiment files: the shipped experiments with lines dropped, doubled or swapped, YAML punctuation and
 * absurd numbers put in at random. Each is either a valid experiment or a one-line {@link ConfigException} naming the
 * file and a line; never another exception or a hang. Seeded: the same cases on every run.
 */
class ExperimentFileFuzzTest {
    private static final String[] NOISE = {":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "|",
        ">", "'", "\"", "#", "%", "@", "\t", "  ", "\n", "?", "!!python/object ", "~", "null", "<<: *a"};
    private static final String[] NUMBERS = {"-1", "0", "1", "2", "1e309", "-1e309", "NaN", ".inf", "99999999999999999999",
        "9223372036854775807", "-9223372036854775808", "0x10", "1_000", "1,5", "3.5", "''", "1GiB", "1e400%", "-0%"};

    @Test
    void mutatedExperimentsAreValidOrOneLineNamingFileAndLine() throws Exception {
        List<String> seeds = new ArrayList<>();
        try (var files = Files.list(Path.of("experiments"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                seeds.add(Files.readString(f));
            }
        }
        seeds.add(ExperimentRunTest.SMALL);
        Random r = new Random(21);
        int[] valid = new int[1];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 1500; i++) {
                String text = mutate(seeds.get(r.nextInt(seeds.size())), r);
                String file = "experiments/fuzz" + i + ".yaml";
                try {
                    Experiment e = ExperimentFile.parse(text, file, "fuzz", r.nextBoolean());
                    long grid = (long) e.modes().size() * e.workloads().size();
                    for (Experiment.Factor f : e.factors()) {
                        grid *= f.values().size();
                    }
                    // Expanding builds every configuration's machine: done for small grids only, to stay fast.
                    if (grid <= 12) {
                        Manifest.expand(e);
                    }
                    valid[0]++;
                } catch (ConfigException | TraceFormatException x) {
                    String m = x.getMessage();
                    assertTrue(m.startsWith(file + " line ") || m.startsWith(file + ": ")
                                    || m.startsWith(Path.of(file).toAbsolutePath().getParent().toString()),
                            "case " + i + ": " + m + "\n--- text:\n" + text);
                    assertTrue(!m.contains("\n"), "case " + i + ": not one line: " + m);
                } catch (RuntimeException | StackOverflowError x) {
                    fail("case " + i + ": " + x + "\n--- text:\n" + text, x);
                }
            }
        });
        assertTrue(valid[0] > 0 && valid[0] < 1500, "valid mutants: " + valid[0]);
    }

    private static String mutate(String text, Random r) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int at = r.nextInt(lines.size());
            String line = lines.get(at);
            switch (r.nextInt(6)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> lines.set(at, insert(line, NOISE[r.nextInt(NOISE.length)], r));
                case 3 -> lines.set(at, line.replaceAll("\\d+", NUMBERS[r.nextInt(NUMBERS.length)]));
                case 4 -> lines.set(at, line.isEmpty() ? line : line.substring(0, r.nextInt(line.length())));
                default -> {
                    int other = r.nextInt(lines.size());
                    lines.set(at, lines.get(other));
                    lines.set(other, line);
                }
            }
        }
        return String.join("\n", lines);
    }

    private static String insert(String line, String what, Random r) {
        int at = r.nextInt(line.length() + 1);
        return line.substring(0, at) + what + line.substring(at);
    }
}
