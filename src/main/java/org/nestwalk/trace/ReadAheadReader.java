package org.nestwalk.trace;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A trace read on a thread of its own, a few thousand records ahead of the replay: decompressing and decoding the
 * records, about a quarter of a replay's time on one thread, then overlaps the simulation on another core. The replay
 * sees exactly the records, in the same order, and the same error at the same record, as with a {@link TraceReader};
 * only the thread that decodes them differs.
 *
 * <p>The decoder fills batches of records and hands them over through a queue; the replay gives each batch back
 * once it has read it, so memory stays bounded whatever the trace's length ({@value #BATCHES} batches of
 * {@value #BATCH} records). A damaged record ends the batches: the replay meets its error when it reaches it, after
 * every record before it, as it would reading the trace itself.
 *
 * <p>The decoding thread starts at the first read. It ends at the trace's end or its first error, when the reader is
 * closed, or, for a reader that is dropped without being closed (a run that stops before its trace ends), once the
 * reader has been collected: it holds only a weak reference to it, and looks at it while it waits.
 */
public final class ReadAheadReader implements TraceRecords {
    /** Records per batch. */
    static final int BATCH = 8192;
    /** Batches in all: one being read, one being filled, the rest waiting. */
    static final int BATCHES = 4;
    /** How long the decoder waits before looking again whether its reader is still wanted. */
    private static final long PATIENCE_MS = 200;

    private static final byte STORE = 1;
    private static final byte EVENT = 2;

    private final Decoder decoder;
    private Batch batch;
    private int at;
    private boolean started;
    private boolean ended;
    private RuntimeException failure;

    private long gap;
    private long address;
    private boolean store;
    private TraceEvent event;

    private ReadAheadReader(TraceReader source) {
        this.decoder = new Decoder(source, new WeakReference<>(this));
    }

    /** Opens {@code path} (its header is read and checked here, on the caller's thread, as by {@link TraceReader}). */
    public static ReadAheadReader open(Path path) {
        return new ReadAheadReader(TraceReader.open(path));
    }

    @Override
    public TraceHeader header() {
        return decoder.source.header();
    }

    @Override
    public String name() {
        return decoder.source.name();
    }

    @Override
    public int next() {
        if (!ready()) {
            return TraceReader.END;
        }
        int i = at++;
        byte kind = batch.kind[i];
        gap = batch.gap[i];
        if (kind == EVENT) {
            event = batch.event[i];
            batch.event[i] = null;
            return TraceReader.EVENT;
        }
        address = batch.address[i];
        store = kind == STORE;
        return TraceReader.REFERENCE;
    }

    @Override
    public int nextReferences(long[] addresses, int[] gaps, byte[] flags, int at, int max, byte storeFlag) {
        // One batch at most: a run of references ends at a batch's end, and the caller asks again.
        if (max <= 0 || !ready()) {
            return 0;
        }
        Batch b = batch;
        int i = this.at;
        int end = Math.min(b.size, i + max);
        int out = at;
        while (i < end) {
            byte kind = b.kind[i];
            long g = b.gap[i];
            if (kind == EVENT || g > Integer.MAX_VALUE) {
                // A record next() must read.
                break;
            }
            addresses[out] = b.address[i];
            gaps[out] = (int) g;
            flags[out] = kind == STORE ? storeFlag : 0;
            i++;
            out++;
        }
        int n = i - this.at;
        this.at = i;
        if (n > 0) {
            address = addresses[out - 1];
            gap = gaps[out - 1];
            store = b.kind[i - 1] == STORE;
        }
        return n;
    }

    /**
     * Whether a record is there to read, waiting for the decoder if need be; false at the trace's end. Throws the
     * decoder's error once the records before it are read.
     */
    private boolean ready() {
        while (batch == null || at == batch.size) {
            if (ended) {
                return false;
            }
            if (failure != null) {
                throw failure;
            }
            if (batch != null) {
                Batch done = batch;
                batch = null;
                if (done.error != null) {
                    failure = done.error;
                    throw failure;
                }
                if (done.last) {
                    ended = true;
                    gap = done.endGap;
                    event = null;
                    decoder.give(done);
                    return false;
                }
                decoder.give(done);
            }
            if (!started) {
                started = true;
                decoder.start();
            }
            batch = decoder.take();
            at = 0;
        }
        return true;
    }

    @Override
    public long gap() {
        return gap;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public boolean store() {
        return store;
    }

    @Override
    public TraceEvent event() {
        return event;
    }

    /** Stops the decoder (if it started) and closes the file. */
    @Override
    public void close() {
        decoder.stop(started);
    }

    /** Records of the trace, decoded. */
    private static final class Batch {
        final long[] address = new long[BATCH];
        final long[] gap = new long[BATCH];
        final byte[] kind = new byte[BATCH];
        final TraceEvent[] event = new TraceEvent[BATCH];
        /** Scratch for {@link TraceReader#nextReferences}, which gives gaps as ints. */
        final int[] gaps = new int[BATCH];
        int size;
        /** The trace's END follows the records. */
        boolean last;
        /** The END's instructions since the previous record. */
        long endGap;
        /** The error the next record raised, thrown once the records before it are read. */
        RuntimeException error;
    }

    /**
     * The decoding side: it holds the file and the batches, and no strong reference to the reader that consumes them,
     * so that a reader dropped without being closed can be collected and the decoder can see that it was.
     */
    private static final class Decoder implements Runnable {
        final TraceReader source;
        private final WeakReference<ReadAheadReader> consumer;
        private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
        private volatile boolean stopped;
        private Thread thread;

        Decoder(TraceReader source, WeakReference<ReadAheadReader> consumer) {
            this.source = source;
            this.consumer = consumer;
            for (int i = 0; i < BATCHES; i++) {
                free.add(new Batch());
            }
        }

        void start() {
            thread = new Thread(this, "read-ahead " + source.name());
            thread.setDaemon(true);
            thread.start();
        }

        /** The next batch, waiting for it. */
        Batch take() {
            try {
                return full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(source.name() + ": interrupted while waiting for its records", e);
            }
        }

        /** Gives back a batch that has been read. */
        void give(Batch b) {
            free.add(b);
        }

        void stop(boolean started) {
            stopped = true;
            if (started) {
                thread.interrupt();
            } else {
                source.close();
            }
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    Batch b = await(free);
                    if (b == null) {
                        return;
                    }
                    boolean more = fill(b);
                    if (!hand(b) || !more) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // Closed: nothing more is wanted.
            } finally {
                source.close();
            }
        }

        /** Decodes the next records into {@code b}; false after the trace's end or an error. */
        private boolean fill(Batch b) {
            b.size = 0;
            b.last = false;
            b.error = null;
            try {
                while (b.size < BATCH) {
                    int n = source.nextReferences(b.address, b.gaps, b.kind, b.size, BATCH - b.size, STORE);
                    for (int i = b.size, end = b.size + n; i < end; i++) {
                        b.gap[i] = b.gaps[i];
                    }
                    b.size += n;
                    if (b.size == BATCH) {
                        break;
                    }
                    int kind = source.next();
                    if (kind == TraceReader.END) {
                        b.last = true;
                        b.endGap = source.gap();
                        return false;
                    }
                    int i = b.size++;
                    b.gap[i] = source.gap();
                    if (kind == TraceReader.EVENT) {
                        b.kind[i] = EVENT;
                        b.event[i] = source.event();
                    } else {
                        b.kind[i] = source.store() ? STORE : 0;
                        b.address[i] = source.address();
                    }
                }
                return true;
            } catch (RuntimeException e) {
                b.error = e;
                return false;
            }
        }

        /** The next free batch, or null once the reader is closed or collected. */
        private Batch await(BlockingQueue<Batch> queue) throws InterruptedException {
            while (!stopped && consumer.get() != null) {
                Batch b = queue.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
            return null;
        }

        /** Hands a filled batch over; false once the reader is closed or collected. */
        private boolean hand(Batch b) throws InterruptedException {
            while (!stopped && consumer.get() != null) {
                if (full.offer(b, PATIENCE_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        }
    }
}
