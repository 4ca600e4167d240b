package org.nestwalk.workload;

/**
 * A batch of a program's data references, in primitive arrays, which the vCPU consumes without allocating:
 * per reference its virtual address, the instructions executed since the previous reference (this one included),
 * and flags.
 */
public final class ReferenceBuffer {
    /** The reference is a store. */
    public static final byte WRITE = 1;
    /** The reference's address comes from the previous load (pointer chasing): it cannot issue before that load. */
    public static final byte DEPENDENT = 2;

    private final long[] address;
    private final int[] instructions;
    private final byte[] flags;
    private int size;

    public ReferenceBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.address = new long[capacity];
        this.instructions = new int[capacity];
        this.flags = new byte[capacity];
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
