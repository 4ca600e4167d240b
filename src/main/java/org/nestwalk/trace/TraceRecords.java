package org.nestwalk.trace;

/**
 * A trace's records in order, as a replay consumes them: {@link #next} moves to the next record and says what it is,
 * the accessors describe it, and {@link #nextReferences} decodes a run of plain data references in bulk. Read on the
 * caller's thread ({@link TraceReader}) or decoded ahead on another ({@link ReadAheadReader}); both give the same
 * records and the same errors at the same records.
 */
public interface TraceRecords extends AutoCloseable {
    /** The trace's header. */
    TraceHeader header();

    /** The trace's name in messages: its path, or the stream's name. */
    String name();

    /** Moves to the next record: {@link TraceReader#REFERENCE}, {@link TraceReader#EVENT} or {@link TraceReader#END}. */
    int next();

    /**
     * Decodes the data references that come next, up to {@code max} of them, into the caller's arrays from {@code at}
     * on: each one's address, instructions since the previous record and store flag ({@code storeFlag} or 0). Stops
     * before the first record {@link #next} must read itself (an event, a damaged record, a gap beyond an int); the
     * accessors then describe the last reference decoded.
     *
     * @return how many references were decoded (0: call {@link #next})
     */
    int nextReferences(long[] addresses, int[] gaps, byte[] flags, int at, int max, byte storeFlag);

    /** Instructions executed since the previous record. */
    long gap();

    /** The current reference's virtual address. */
    long address();

    /** Whether the current reference is a store. */
    boolean store();

    /** The current event (after {@link #next} returned {@link TraceReader#EVENT}). */
    TraceEvent event();

    /** Stops reading and lets go of the file; reading after this is not allowed. */
    @Override
    void close();
}
