package org.nestwalk.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * How many runs a command simulates at once: what {@code --jobs} asks, within what the machine can do. Each run is
 * a single-threaded, CPU-bound simulation, so more runs than processors only slow each one down; and each holds its
 * machine in the heap (a few MiB to a few tens; {@link #HEAP_PER_RUN} is the allowance), so more than the heap
 * allows would end in an OutOfMemoryError ({@code --jobs 1000} once ran 160 at once in 1.5 GB).
 */
final class Jobs {
    /** The heap allowed per run at once: above the 15-30 MiB the default machine's runs were measured to hold. */
    static final long HEAP_PER_RUN = 64L << 20;

    private Jobs() {
    }

    /**
     * {@code requested} (or, when null, the number of processors) capped by processors and heap, saying so on
     * {@code err} when the cap applies to what the user asked.
     */
    static int resolve(Integer requested, CommandLine cl, PrintWriter err) {
        if (requested != null && requested < 1) {
            throw new ParameterException(cl, "--jobs must be at least 1, not " + requested);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        long heap = Runtime.getRuntime().maxMemory();
        int byHeap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, heap / HEAP_PER_RUN));
        int cap = Math.max(1, Math.min(processors, byHeap));
        if (requested == null) {
            return cap;
        }
        if (requested > cap) {
            err.printf(Locale.ROOT, "nestwalk: --jobs %d is more than this machine can run at once; using %d (%s)%n",
                    requested, cap, byHeap < processors
                            ? String.format(Locale.ROOT, "%,d MiB of heap at %d MiB per run; java -Xmx gives more",
                            heap >> 20, HEAP_PER_RUN >> 20)
                            : processors + " processors: more runs at once would only slow each one down");
            err.flush();
            return cap;
        }
        return requested;
    }

    /** A pool of {@code threads} daemon threads called {@code name}, for runs a command simulates at once. */
    static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The results of {@code futures}, in order; a run's runtime exception is rethrown as it was (the command line
     * reports the user's errors in one line), anything else as an IllegalStateException.
     */
    static <T> List<T> gather(List<Future<T>> futures) {
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
