package org.nestwalk.workload;

import java.util.List;

/**
 * A driver (a build tool, a shell) that keeps {@code concurrency} short programs running: it spawns that many,
 * then, each time one exits, spawns the next. It makes no data references of its own.
 */
final class DriverStream implements ReferenceStream {
    private static final int INSTRUCTIONS_BETWEEN_CALLS = 200;

    private final int concurrency;
    private final String name;
    private int started;

    DriverStream(int concurrency, String name) {
        this.concurrency = concurrency;
        this.name = name;
    }

    @Override
    public int fill(ReferenceBuffer buffer) {
        buffer.clear();
        while (!buffer.isFull()) {
            if (started < concurrency) {
                buffer.addEvent(OsEvent.of(OsEvent.Kind.SPAWN), INSTRUCTIONS_BETWEEN_CALLS);
                started++;
            } else {
                buffer.addEvent(OsEvent.of(OsEvent.Kind.WAIT), INSTRUCTIONS_BETWEEN_CALLS);
                started--;
            }
        }
        return buffer.size();
    }

    @Override
    public List<Region> regions() {
        return List.of();
    }

    @Override
    public String name() {
        return name;
    }
}
