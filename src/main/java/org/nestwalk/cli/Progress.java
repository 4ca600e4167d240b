package org.nestwalk.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Reports progress on standard error while a long command runs: nothing during the first few seconds, then the
 * share of references simulated and an estimate of the time left, every few seconds.
 */
final class Progress implements AutoCloseable {
    private static final long QUIET_MILLIS = 3000;
    private static final long EVERY_MILLIS = 3000;

    private final Thread thread;
    private volatile boolean printed;

    Progress(PrintWriter err, String what, long total, LongSupplier done) {
        long start = System.currentTimeMillis();
        thread = new Thread(() -> {
            try {
                Thread.sleep(QUIET_MILLIS);
                while (true) {
                    long d = done.getAsLong();
                    double elapsed = (System.currentTimeMillis() - start) / 1000.0;
                    double share = total == 0 ? 0 : Math.min(1, (double) d / total);
                    String eta = share > 0.02 ? String.format(Locale.ROOT, ", about %.0f s left",
                            elapsed * (1 - share) / share) : "";
                    err.printf(Locale.ROOT, "[%s] %.0f%% of %,d references after %.0f s%s%n", what, 100 * share,
                            total, elapsed, eta);
                    printed = true;
                    Thread.sleep(EVERY_MILLIS);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    boolean printed() {
        return printed;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
