package org.nestwalk.trace.convert;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.GZIPInputStream;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.util.CountingInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * An input file's bytes, decompressed by the file's extension ({@code .gz}, {@code .xz} or neither). Every failure
 * to read or decompress is a {@link TraceFormatException} that names the file and, for compressed data, about where
 * in the file it went wrong, so that a truncated download is told apart from a bug. Compressed data is decompressed
 * ahead on a thread of its own: xz decoding costs about twice the conversion itself, and the two overlap.
 */
final class Input implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final String name;
    private final CountingInputStream file;
    private final InputStream in;
    private final boolean compressed;
    private final ReadAhead ahead;

    private Input(String name, CountingInputStream file, InputStream in, boolean compressed) {
        this.name = name;
        this.file = file;
        this.in = in;
        this.compressed = compressed;
        this.ahead = compressed ? new ReadAhead(in, name) : null;
    }

    static Input open(Path path) {
        String name = path.toString();
        String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException(name + ": no such file");
        } catch (IOException e) {
            throw new TraceFormatException(name + ": cannot read: " + e.getMessage(), e);
        }
        CountingInputStream counting = new CountingInputStream(raw);
        try {
            if (lower.endsWith(".xz")) {
                return new Input(name, counting, new XZInputStream(new BufferedInputStream(counting, BUFFER)), true);
            }
            if (lower.endsWith(".gz")) {
                return new Input(name, counting, new GZIPInputStream(counting, BUFFER), true);
            }
            return new Input(name, counting, counting, false);
        } catch (IOException e) {
            try {
                counting.close();
            } catch (IOException ignored) {
                // The open already failed; that is the error to report.
            }
            throw new TraceFormatException(name + ": byte 0: not " + (lower.endsWith(".xz") ? "xz" : "gzip")
                    + " data as its name says: " + describe(e), e);
        }
    }

    String name() {
        return name;
    }

    /** What went wrong, in words: decompressors throw some exceptions without a message ("...: null"). */
    static String describe(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "the data ends too early (empty or truncated file?)";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Whether offsets in the data differ from offsets in the file (messages must say which they are). */
    boolean compressed() {
        return compressed;
    }

    /** Reads up to {@code len} bytes, or -1 at the end. */
    int read(byte[] b, int off, int len) {
        try {
            return ahead != null ? ahead.read(b, off, len) : in.read(b, off, len);
        } catch (IOException e) {
            throw new TraceFormatException(name + ": near byte " + file.count() + " of the file: cannot "
                    + (compressed ? "decompress" : "read") + ": " + describe(e)
                    + (compressed ? " (corrupt or truncated file?)" : ""), e);
        }
    }

    /** Reads until {@code b} is full or the data ends; returns the bytes read. */
    int readFully(byte[] b) {
        int n = 0;
        while (n < b.length) {
            int r = read(b, n, b.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    @Override
    public void close() {
        if (ahead != null) {
            ahead.stop();
        }
        try {
            in.close();
        } catch (IOException e) {
            // Only read from: nothing is lost when closing fails.
        }
    }

    /**
     * Decompresses ahead of the reader into a few large chunks. An error is handed over in order, after the data that
     * was decompressed before it, so the reader sees exactly what a direct read would have shown.
     */
    private static final class ReadAhead implements Runnable {
        private static final int CHUNK = 1 << 20;
        private static final int CHUNKS = 3;

        private record Chunk(byte[] data, int length, IOException error, boolean last) {
        }

        private final InputStream in;
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
        private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
        private final Thread thread;
        private Chunk current;
        private int pos;

        ReadAhead(InputStream in, String name) {
            this.in = in;
            for (int i = 0; i < CHUNKS; i++) {
                free.add(new byte[CHUNK]);
            }
            thread = new Thread(this, "nestwalk-decompress " + name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    byte[] b = free.take();
                    int n = 0;
                    IOException error = null;
                    try {
                        while (n < b.length) {
                            int r = in.read(b, n, b.length - n);
                            if (r < 0) {
                                break;
                            }
                            n += r;
                        }
                    } catch (IOException e) {
                        error = e;
                    } catch (RuntimeException e) {
                        // A decoder's bug on corrupt data is still the input's fault as far as the user can tell.
                        error = new IOException(e.toString(), e);
                    }
                    boolean last = n < b.length || error != null;
                    full.put(new Chunk(b, n, error, last));
                    if (last) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // Stopped: the reader closed the input before its end.
            }
        }

        int read(byte[] b, int off, int len) throws IOException {
            while (current == null || pos == current.length) {
                if (current != null) {
                    if (current.last) {
                        if (current.error != null) {
                            throw current.error;
                        }
                        return -1;
                    }
                    free.add(current.data);
                }
                try {
                    current = full.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for decompressed data");
                }
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current.data, pos, b, off, n);
            pos += n;
            return n;
        }

        void stop() {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
