package org.nestwalk.workload;

import java.util.List;

/**
 * One process's data references and OS events, delivered in batches: a synthetic generator or (later) a trace
 * reader. Streams never hold the whole program in memory.
 */
public interface ReferenceStream {
    /**
     * Clears {@code buffer} (which keeps whatever the vCPU retained at its front) and fills it with the next records
     * (references and events).
     *
     * @return the number of records in the buffer; 0 when the stream has ended and nothing was retained
     */
    int fill(ReferenceBuffer buffer);

    /** The virtual address ranges the process has mapped when it starts (a forked child inherits its parent's). */
    List<Region> regions();

    /**
     * Ranges (within {@link #regions()}) whose pages are already present when the run starts: the program touched
     * them before, so they do not fault. Only the first processes' count; none by default.
     */
    default List<Region> present() {
        return List.of();
    }

    /** A name that identifies this stream's place in the workload, the same in every run (e.g. "p0.f3"). */
    String name();
}
