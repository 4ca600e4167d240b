package org.nestwalk.trace.capture;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.trace.TraceWriter;

/**
 * Captures a trace of a real program: runs it under Valgrind with the {@code nwtrace} tool, which streams the trace's
 * records through a FIFO; every record is read and checked with {@link TraceReader} and written with
 * {@link TraceWriter}, so the trace appears at its path only when complete. The program's standard streams are the
 * caller's.
 *
 * <p>Only the started process is recorded: a forked child runs on under the tool but records nothing (the parent's
 * trace has a FORK event); a successful {@code execve} ends the trace with EXEC (the new program runs untraced).
 */
public final class TraceCapture {
    private static final byte[] PREAMBLE = "NWCAPT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long PROGRESS_NANOS = 3_000_000_000L;

    private final ToolBuilder builder;
    private final Consumer<String> progress;

    /** What was captured. */
    public record Result(long references, long events, long skippedInstructions, int exitStatus) {
    }

    /**
     * @param builder  where the tools are found and the Valgrind tool is built
     * @param progress receives a line every few seconds (references written so far)
     */
    public TraceCapture(ToolBuilder builder, Consumer<String> progress) {
        this.builder = builder;
        this.progress = progress;
    }

    /**
     * Runs {@code command} and writes its trace to {@code output}.
     *
     * @param skipInstructions instructions to run before recording (to the superblock; the header has the exact count)
     * @param maxReferences    data references after which recording stops (0: no limit); the program runs on
     */
    public Result capture(List<String> command, Path output, long skipInstructions, long maxReferences) {
        return capture(command, output, skipInstructions, maxReferences, false);
    }

    /**
     * Records {@code command}; with {@code stopWhenRecorded}, the program is terminated (SIGTERM) as soon as the
     * window of {@code maxReferences} is complete instead of running on to its end uninstrumented, which under
     * Valgrind can take far longer than the window did (xz -9: 110 s for a 2 M-reference window).
     */
    public Result capture(List<String> command, Path output, long skipInstructions, long maxReferences,
                          boolean stopWhenRecorded) {
        if (command.isEmpty()) {
            throw new ConfigException("trace capture: no program given (put it after --)");
        }
        if (skipInstructions < 0 || maxReferences < 0) {
            throw new ConfigException("trace capture: --skip-instrs and --max-refs must be >= 0");
        }
        checkProgram(command.get(0));
        ToolBuilder.Tool tool = builder.build();
        Path dir;
        try {
            dir = Files.createTempDirectory("nwtrace-");
        } catch (IOException e) {
            throw new ConfigException("trace capture: cannot create a temporary directory: " + e.getMessage());
        }
        Process process = null;
        try {
            Path fifo = dir.resolve("records");
            mkfifo(fifo);
            List<String> cmd = new ArrayList<>(List.of(tool.valgrind().toString(), "-q", "--tool=nwtrace",
                    "--trace-children=no", "--nw-out=" + fifo, "--nw-skip-instrs=" + skipInstructions,
                    "--nw-max-refs=" + maxReferences));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("VALGRIND_LIB", tool.libDir().toString());
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new ConfigException("trace capture: cannot run " + tool.valgrind() + ": " + e.getMessage());
            }
            try (InputStream in = openWhileRunning(fifo, process)) {
                return copy(in, process, command, output, tool, stopWhenRecorded);
            }
        } catch (IOException e) {
            throw new ConfigException("trace capture: " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) {
                process.destroy();
            }
            ToolBuilder.deleteTree(dir);
        }
    }

    private Result copy(InputStream in, Process process, List<String> command, Path output, ToolBuilder.Tool tool,
                        boolean stopWhenRecorded) throws IOException {
        // Not readNBytes: FileInputStream's may seek, which a FIFO cannot.
        byte[] pre = new byte[24];
        int got = 0;
        for (int n = 0; got < pre.length && n >= 0; got += Math.max(n, 0)) {
            n = in.read(pre, got, pre.length - got);
        }
        if (got < 24 || !java.util.Arrays.equals(pre, 0, 8, PREAMBLE, 0, 8)) {
            throw stopped(process, "before it started recording");
        }
        long skipped = littleEndian(pre, 8);
        long pid = littleEndian(pre, 16);
        TraceHeader header = new TraceHeader(command, "nwtrace 1 / valgrind " + tool.valgrindVersion(), 4096,
                skipped, pid);
        long next = System.nanoTime() + PROGRESS_NANOS;
        try (TraceWriter w = TraceWriter.create(output, header);
                TraceReader r = TraceReader.records(in, "the records from valgrind", header)) {
            try {
                for (int kind = r.next(); ; kind = r.next()) {
                    if (kind == TraceReader.REFERENCE) {
                        w.reference(r.gap(), r.address(), r.size(), r.store());
                        if ((r.references() & 0xFFFF) == 0 && System.nanoTime() > next) {
                            next = System.nanoTime() + PROGRESS_NANOS;
                            progress.accept(String.format(Locale.ROOT, "capture: %,d references written",
                                    r.references()));
                        }
                    } else if (kind == TraceReader.EVENT) {
                        w.event(r.gap(), r.event());
                    } else {
                        w.finish(r.gap());
                        if (stopWhenRecorded) {
                            process.destroy();
                        }
                        break;
                    }
                }
            } catch (TraceFormatException e) {
                if (!waitFor(process, 2) || process.exitValue() != 0) {
                    throw stopped(process, "before the trace was complete (" + e.getMessage() + ")");
                }
                throw e;
            }
            int status = waitForever(process);
            return new Result(r.references(), r.events(), skipped, status);
        }
    }

    private static ConfigException stopped(Process process, String when) {
        if (waitFor(process, 5)) {
            return new ConfigException("trace capture: valgrind exited with status " + process.exitValue() + " "
                    + when + "; see its messages above");
        }
        return new ConfigException("trace capture: valgrind stopped writing records " + when);
    }

    /** Opens the FIFO for reading; if valgrind exits without opening it, opens its other end to unblock. */
    private static InputStream openWhileRunning(Path fifo, Process process) throws IOException {
        CompletableFuture<FileInputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (true) {
            try {
                return open.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    // Nobody will open the writing end: open it ourselves so that the reader's open returns.
                    try (FileOutputStream unblock = new FileOutputStream(fifo.toFile())) {
                        // Closed at once: the reader sees an empty stream.
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException("trace capture: interrupted");
            } catch (ExecutionException e) {
                throw new IOException("cannot read " + fifo + ": " + e.getCause().getMessage());
            }
        }
    }

    private void mkfifo(Path fifo) throws IOException {
        Path mkfifo = builder.find("mkfifo");
        String program = mkfifo == null ? "mkfifo" : mkfifo.toString();
        try {
            Process p = new ProcessBuilder(program, "-m", "600", fifo.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new ConfigException("trace capture: mkfifo failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("trace capture: interrupted");
        }
    }

    /** Fails with one line when the program to trace cannot be found or run. */
    private void checkProgram(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new ConfigException("trace capture: " + program + " is not an executable file");
            }
            return;
        }
        for (Path dir : ToolBuilder.pathDirectories()) {
            Path p = dir.resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
        }
        throw new ConfigException("trace capture: program not found in PATH: " + program);
    }

    private static boolean waitFor(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int waitForever(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("trace capture: interrupted");
        }
    }

    private static long littleEndian(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) (b[at + i] & 0xFF) << 8 * i;
        }
        return v;
    }
}
