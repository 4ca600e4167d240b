package org.nestwalk.workload;

/**
 * A batch of a program's data references, in primitive arrays, which the vCPU consumes without allocating:
 * per reference its virtual address, the instructions executed since the previous reference (this one included),
 * and flags. Interleaved at the exact instruction where they happen, records flagged {@link #EVENT} carry an
 * {@link OsEvent} instead of a reference.
 */
public final class ReferenceBuffer {
    /** The reference is a store. */
    public static final byte WRITE = 1;
    /** The reference's address comes from the previous load (pointer chasing): it cannot issue before that load. */
    public static final byte DEPENDENT = 2;
    /** Not a reference: the program asks the OS for {@link #event(int)}. */
    public static final byte EVENT = 4;
    /**
     * Not a data reference: the program goes on fetching its instructions from the page of {@link #address(int)}
     * (a trace's instruction-page change), which the iTLB translates.
     */
    public static final byte FETCH = 8;

    private final long[] address;
    private final int[] instructions;
    private final byte[] flags;
    private final OsEvent[] events;
    private int size;
    /** Records at the front that {@link #clear} keeps: retained for a replay (see {@link #retainFrom}). */
    private int kept;

    public ReferenceBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.address = new long[capacity];
        this.instructions = new int[capacity];
        this.flags = new byte[capacity];
        this.events = new OsEvent[capacity];
    }

    public int capacity() {
        return address.length;
    }

    public int size() {
        return size;
    }

    /** Empties the buffer, except the records {@link #retainFrom} kept at its front. */
    public void clear() {
        size = kept;
    }

    /**
     * Moves records {@code from} .. {@code size() - 1} to the front, where the next {@link #clear} keeps them, so
     * that a stream's next {@code fill} appends after them: the vCPU keeps the records a squash may still replay.
     * {@link #releaseRetained} makes the next clear empty the buffer again.
     */
    public void retainFrom(int from) {
        int n = size - from;
        System.arraycopy(address, from, address, 0, n);
        System.arraycopy(instructions, from, instructions, 0, n);
        System.arraycopy(flags, from, flags, 0, n);
        System.arraycopy(events, from, events, 0, n);
        java.util.Arrays.fill(events, n, size, null);
        size = n;
        kept = n;
    }

    /** The next {@link #clear} empties the whole buffer. */
    public void releaseRetained() {
        kept = 0;
    }

    /** Appends a reference; the caller keeps {@code size() < capacity()}. */
    public void add(long va, int instructionsBefore, byte referenceFlags) {
        int i = size++;
        address[i] = va;
        instructions[i] = instructionsBefore;
        flags[i] = referenceFlags;
    }

    /**
     * Appends the data references {@code reader} has next, as many as fit below {@code limit} records in all (see
     * {@link org.nestwalk.trace.TraceReader#nextReferences}); returns how many.
     */
    public int addReferences(org.nestwalk.trace.TraceReader reader, int limit) {
        int n = reader.nextReferences(address, instructions, flags, size, limit - size, WRITE);
        size += n;
        return n;
    }

    /** Appends an OS event, {@code instructionsBefore} instructions after the previous record. */
    public void addEvent(OsEvent event, int instructionsBefore) {
        int i = size++;
        address[i] = 0;
        instructions[i] = instructionsBefore;
        flags[i] = EVENT;
        events[i] = event;
    }

    /** The event of an {@link #EVENT} record. */
    public OsEvent event(int i) {
        return events[i];
    }

    public boolean isFull() {
        return size == address.length;
    }

    public long address(int i) {
        return address[i];
    }

    public int instructions(int i) {
        return instructions[i];
    }

    public byte flags(int i) {
        return flags[i];
    }
}
