package org.nestwalk.workload;

import java.util.List;

/**
 * A program's data references, delivered in batches: a synthetic generator or (later) a trace reader. Streams never
 * hold the whole program in memory.
 */
public interface ReferenceStream {
    /**
     * Clears {@code buffer} and fills it with the next references.
     *
     * @return the number of references delivered; 0 when the stream has ended
     */
    int fill(ReferenceBuffer buffer);

    /** The virtual address ranges the references fall in. */
    List<Region> regions();
}
