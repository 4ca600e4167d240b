package org.nestwalk.trace.capture;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nestwalk.config.ConfigException;
import org.nestwalk.trace.TraceEvent;
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
 * <p>Children are followed: every process of the program's tree records its own stream (a forked child from the
 * fork on, every program an {@code execve} starts from its beginning), and the streams of the processes other than
 * the first are appended to the trace after the first one's, each after a SWITCH to its pid, once the program has
 * ended. A process's streams keep their order (its images one after another); a reader follows a process by its
 * pid. Without following, a forked child runs untraced (the trace has only its FORK event) and a successful
 * {@code execve} ends the trace with EXEC.
 */
public final class TraceCapture {
    private static final byte[] PREAMBLE = "NWCAPT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long PROGRESS_NANOS = 3_000_000_000L;
    /** The file a process other than the first writes its stream to: its pid and the number of its image. */
    private static final Pattern SIDE_FILE = Pattern.compile("(\\d{1,18})\\.(\\d{1,9})");

    private final ToolBuilder builder;
    private final Consumer<String> progress;

    /**
     * What was captured.
     *
     * @param streams the processes' streams in the trace (1 when only the first process recorded)
     */
    public record Result(long references, long events, long skippedInstructions, int exitStatus, int streams) {
    }

    /**
     * Which part of the program's run is recorded.
     *
     * @param skipInstructions instructions each program image runs before recording (to the superblock; the header
     *                         has the first one's exact count)
     * @param maxReferences    data references after which each process's stream stops (0: no limit); the program
     *                         runs on
     * @param stopWhenRecorded end the program (SIGTERM to its whole tree) as soon as the first process's window is
     *                         complete, instead of letting it run to its end uninstrumented, which under Valgrind can
     *                         take far longer than the window did (xz -9: 110 s for a 2 M-reference window)
     * @param followChildren   record every process of the program's tree, not only the first
     */
    public record Window(long skipInstructions, long maxReferences, boolean stopWhenRecorded,
                         boolean followChildren) {
        public Window {
            if (skipInstructions < 0 || maxReferences < 0) {
                throw new ConfigException("trace capture: --skip-instrs and --max-refs must be >= 0");
            }
        }
    }

    /**
     * @param builder  where the tools are found and the Valgrind tool is built
     * @param progress receives a line every few seconds (references written so far)
     */
    public TraceCapture(ToolBuilder builder, Consumer<String> progress) {
        this.builder = builder;
        this.progress = progress;
    }

    /** Runs {@code command} and writes its trace to {@code output}; the trace appears only when complete. */
    public Result capture(List<String> command, Path output, Window window) {
        if (command.isEmpty()) {
            throw new ConfigException("trace capture: no program given (put it after --)");
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
            Path streams = dir.resolve("streams");
            Files.createDirectory(streams);
            List<String> cmd = new ArrayList<>(List.of(tool.valgrind().toString(), "-q", "--tool=nwtrace",
                    "--nw-out=" + fifo, "--nw-skip-instrs=" + window.skipInstructions(),
                    "--nw-max-refs=" + window.maxReferences()));
            if (window.followChildren()) {
                cmd.addAll(List.of("--trace-children=yes", "--nw-dir=" + streams));
            } else {
                cmd.add("--trace-children=no");
            }
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().put("VALGRIND_LIB", tool.libDir().toString());
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new ConfigException("trace capture: cannot run " + tool.valgrind() + ": " + e.getMessage());
            }
            try (InputStream in = openWhileRunning(fifo, process)) {
                return copy(in, process, command, output, tool, window.stopWhenRecorded(), streams);
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
                        boolean stopWhenRecorded, Path streams) throws IOException {
        long[] preamble = preamble(in);
        if (preamble == null) {
            throw stopped(process, "before it started recording");
        }
        long skipped = preamble[0];
        TraceHeader header = new TraceHeader(command, "nwtrace 1 / valgrind " + tool.valgrindVersion(), 4096,
                skipped, preamble[1]);
        try (TraceWriter w = TraceWriter.create(output, header);
                TraceReader r = TraceReader.records(in, "the records from valgrind", header)) {
            long trailing;
            try {
                trailing = copyRecords(r, w);
            } catch (TraceFormatException e) {
                if (!waitFor(process, 2) || process.exitValue() != 0) {
                    throw stopped(process, "before the trace was complete (" + e.getMessage() + ")");
                }
                throw e;
            }
            if (stopWhenRecorded) {
                // Children first: once the first process is gone, they are no longer its descendants.
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
            }
            int status = waitForever(process);
            int appended = appendChildren(streams, header, w);
            w.finish(appended == 0 ? trailing : 0);
            return new Result(w.references(), w.events(), skipped, status, appended + 1);
        }
    }

    /** Copies one stream's records up to its END, which is left out; returns END's gap. */
    private long copyRecords(TraceReader r, TraceWriter w) {
        long next = System.nanoTime() + PROGRESS_NANOS;
        for (int kind = r.next(); ; kind = r.next()) {
            if (kind == TraceReader.REFERENCE) {
                w.reference(r.gap(), r.address(), r.size(), r.store());
                if ((w.references() & 0xFFFF) == 0 && System.nanoTime() > next) {
                    next = System.nanoTime() + PROGRESS_NANOS;
                    progress.accept(String.format(Locale.ROOT, "capture: %,d references written", w.references()));
                }
            } else if (kind == TraceReader.EVENT) {
                w.event(r.gap(), r.event());
            } else {
                return r.gap();
            }
        }
    }

    /**
     * Appends the streams the other processes wrote ({@code PID.K} files; a pid's in the order of K), each after a
     * SWITCH to its pid. A stream cut short (its process was killed) keeps the records that are whole, and ends
     * with its process's EXIT.
     *
     * @return the streams appended
     */
    private int appendChildren(Path streams, TraceHeader header, TraceWriter w) throws IOException {
        List<long[]> names = new ArrayList<>();
        try (var files = Files.list(streams)) {
            files.forEach(f -> {
                Matcher m = SIDE_FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    names.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                }
            });
        }
        names.sort(Comparator.<long[]>comparingLong(n -> n[0]).thenComparingLong(n -> n[1]));
        int appended = 0;
        for (long[] n : names) {
            Path f = streams.resolve(n[0] + "." + n[1]);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                long[] pre = preamble(in);
                if (pre == null) {
                    continue; // the process ended (or was killed) before it recorded anything
                }
                w.event(0, new TraceEvent.Switch(pre[1], pre[1]));
                appended++;
                try {
                    copyRecords(TraceReader.records(in, "the records of process " + pre[1], header), w);
                } catch (TraceFormatException e) {
                    progress.accept("capture: the records of process " + pre[1] + " end early (it was killed?): "
                            + e.getMessage() + "; the trace has those before, and its exit");
                    w.event(0, new TraceEvent.Exit(pre[1]));
                }
            }
        }
        return appended;
    }

    /** Reads a stream's preamble: the instructions skipped and the pid; null when the stream ends first. */
    private static long[] preamble(InputStream in) throws IOException {
        // Not readNBytes: FileInputStream's may seek, which a FIFO cannot.
        byte[] pre = new byte[24];
        int got = 0;
        for (int n = 0; got < pre.length && n >= 0; got += Math.max(n, 0)) {
            n = in.read(pre, got, pre.length - got);
        }
        if (got < 24 || !Arrays.equals(pre, 0, 8, PREAMBLE, 0, 8)) {
            return null;
        }
        return new long[] {littleEndian(pre, 8), littleEndian(pre, 16)};
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
