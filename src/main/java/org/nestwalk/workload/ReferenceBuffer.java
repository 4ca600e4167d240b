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

    private final long[] address;
    private final int[] instructions;
    private final byte[] flags;
    private final OsEvent[] events;
    private int size;

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

    public void clear() {
        size = 0;
    }

    /** Appends a reference; the caller keeps {@code size() < capacity()}. */
    public void add(long va, int instructionsBefore, byte referenceFlags) {
        int i = size++;
        address[i] = va;
        instructions[i] = instructionsBefore;
        flags[i] = referenceFlags;
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
