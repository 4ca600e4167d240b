package org.nestwalk.memory;

/** Whoever waits for a DRAM access: told at the access's completion time, inside the completion event. */
@FunctionalInterface
public interface MemoryClient {
    /**
     * @param completionTime when the data is back (the current simulated time)
     * @param tag            the tag given with the request
     */
    void memoryDone(long completionTime, int tag);
}
