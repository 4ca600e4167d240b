package org.nestwalk.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceWriter;
import org.nestwalk.trace.capture.ToolBuilder;
import org.nestwalk.trace.capture.TraceCapture;

/**
 * The trace of bench's real-trace cases, made in a few seconds where bench runs: {@link #PROGRAM}, a small C program
 * with the memory behaviour of real ones, compiled with gcc and captured with nwtrace under Valgrind (as {@code
 * trace capture} does); where gcc or Valgrind is missing, a synthetic trace instead, and {@link #description()} says
 * so and why. Lives in a temporary directory, deleted by {@link #close()}.
 */
final class BenchTrace implements AutoCloseable {
    /**
     * The program: its phases are what real programs do to translation (random accesses over a table larger than
     * the TLBs reach, sequential passes, dependent loads, memory mapped and unmapped), it takes no input and is
     * deterministic, and it runs in a fraction of a second natively (about 9 M data references).
     */
    static final String PROGRAM = """
            /* nestwalk bench: hash-table inserts and lookups over 4 MiB, a radix sort of 1 MiB of keys, a pointer
             * chase through 4 MiB of list nodes in random order, 512 KiB buffers filled and freed (mmap, munmap). */
            #include <stdint.h>
            #include <stdlib.h>

            enum { KEYS = 1 << 18, SLOTS = 1 << 19, NODES = 1 << 14, NODE_WORDS = 32, BUFFERS = 16 };
            struct node { struct node *next; uint64_t pad[NODE_WORDS - 1]; };
            static uint64_t state = 88172645463325252ull;
            static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }
            static size_t slot(uint32_t k) { return (k * 2654435761u) & (SLOTS - 1); }
            volatile uint64_t sink;

            int main(void) {
                uint64_t sum = 0;
                uint64_t *table = calloc(SLOTS, sizeof *table);
                uint32_t *keys = malloc(KEYS * sizeof *keys), *sorted = malloc(KEYS * sizeof *keys);
                for (size_t i = 0; i < KEYS; i++) {
                    keys[i] = (uint32_t)next() | 1;
                    size_t h = slot(keys[i]);
                    while (table[h] != 0) h = (h + 1) & (SLOTS - 1);
                    table[h] = keys[i];
                }
                for (int shift = 0; shift < 32; shift += 8) {
                    size_t count[257] = {0};
                    for (size_t i = 0; i < KEYS; i++) count[((keys[i] >> shift) & 255) + 1]++;
                    for (int b = 0; b < 256; b++) count[b + 1] += count[b];
                    for (size_t i = 0; i < KEYS; i++) sorted[count[(keys[i] >> shift) & 255]++] = keys[i];
                    uint32_t *t = keys; keys = sorted; sorted = t;
                }
                for (size_t i = 0; i < KEYS; i++) {
                    size_t h = slot(keys[i]);
                    while (table[h] != keys[i]) h = (h + 1) & (SLOTS - 1);
                    sum += h;
                }
                struct node *nodes = malloc(NODES * sizeof *nodes);
                uint32_t *order = malloc(NODES * sizeof *order);
                for (uint32_t i = 0; i < NODES; i++) order[i] = i;
                for (uint32_t i = NODES - 1; i > 0; i--) {
                    uint32_t j = next() % (i + 1), t = order[i]; order[i] = order[j]; order[j] = t;
                }
                for (uint32_t i = 0; i < NODES; i++) nodes[order[i]].next = &nodes[order[(i + 1) % NODES]];
                struct node *p = &nodes[order[0]];
                for (int lap = 0; lap < 4; lap++)
                    for (uint32_t i = 0; i < NODES; i++) { p = p->next; sum += p->pad[lap]; }
                for (int b = 0; b < BUFFERS; b++) {
                    uint64_t *buf = malloc(1 << 19);
                    for (size_t i = 0; i < (1 << 19) / sizeof *buf; i += 8) buf[i] = i + b;
                    sum += buf[b];
                    free(buf);
                }
                sink = sum;
                return 0;
            }
            """;

    private final Path dir;
    private final Path trace;
    private final long references;
    private final String description;

    private BenchTrace(Path dir, Path trace, long references, String description) {
        this.dir = dir;
        this.trace = trace;
        this.references = references;
        this.description = description;
    }

    /** Captures the program's first {@code maxReferences} references, or writes a synthetic trace if it cannot. */
    static BenchTrace prepare(long maxReferences) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nestwalk-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("bench: cannot create a temporary directory: " + e.getMessage(), e);
        }
        Path trace = dir.resolve("bench.trace");
        try {
            long t0 = System.nanoTime();
            TraceCapture.Result r = capture(dir, trace, maxReferences);
            return new BenchTrace(dir, trace, r.references(), String.format(java.util.Locale.ROOT,
                    "a C program of bench's own (hash table, radix sort, pointer chase, buffers mapped and unmapped),"
                            + " compiled with gcc and captured with nwtrace in %.1f s: %,d references, %,d events",
                    (System.nanoTime() - t0) / 1e9, r.references(), r.events()));
        } catch (ConfigException e) {
            writeSynthetic(trace, maxReferences);
            return new BenchTrace(dir, trace, maxReferences, "a synthetic trace (70 % sequential 8-byte steps, 30 % "
                    + "jumps within 1 GiB), because the C program could not be captured here: " + e.getMessage());
        }
    }

    Path path() {
        return trace;
    }

    long references() {
        return references;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary directory; the system cleans it up.
        }
    }

    private static TraceCapture.Result capture(Path dir, Path trace, long maxReferences) {
        ToolBuilder tools = ToolBuilder.standard();
        Path gcc = tools.find("gcc");
        if (gcc == null) {
            throw new ConfigException("gcc not found");
        }
        Path source = dir.resolve("bench.c");
        Path program = dir.resolve("bench");
        try {
            Files.writeString(source, PROGRAM, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(gcc.toString(), "-O2", "-o", program.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new ConfigException("gcc failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new ConfigException("cannot compile the program: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while compiling the program");
        }
        return new TraceCapture(tools, line -> { }).capture(List.of(program.toString()), trace,
                new TraceCapture.Window(0, maxReferences, true, true));
    }

    /**
     * Writes {@code n} synthetic references to {@code file}: 70 % sequential 8-byte steps, 30 % jumps within 1 GiB,
     * 0-9 instructions between references, a quarter of them stores.
     */
    static void writeSynthetic(Path file, long n) {
        SplittableRandom random = new SplittableRandom(1);
        try (TraceWriter w = TraceWriter.create(file, TraceHeader.of("nestwalk bench", List.of("synthetic")))) {
            long address = 1L << 30;
            for (long i = 0; i < n; i++) {
                address = random.nextInt(10) < 7 ? address + 8 : (1L << 30) + (random.nextLong(1L << 30) & ~7L);
                w.reference(random.nextInt(10), address, 8, random.nextInt(4) == 0);
            }
            w.finish(0);
        }
    }
}
