package org.nestwalk.cpu;

/**
 * The core's checkpoints, oldest first: one for each reference the core ran past while its translation was not
 * final (a walk still under way, or a speculative translation not yet verified). Each holds what the core must go
 * back to if that translation turns out wrong or faults: the position in the reference stream and the counters at
 * that moment. A squash goes back to one checkpoint and discards it and every younger one: the work after it is
 * thrown away; the work before it stands.
 *
 * <p>Checkpoints are made in program order (the core passes references in order) and may be released in any order
 * (translations finish out of order), so they live in an array kept in order, with at most a reorder buffer's worth
 * of them.
 */
final class Checkpoints {
    private int size;
    private int[] pos = new int[8];
    private long[] va = new long[8];
    private boolean[] write = new boolean[8];
    private long[] seq = new long[8];
    private long[] references = new long[8];
    private long[] stores = new long[8];
    private long[] overlapped = new long[8];
    private long[] instructions = new long[8];
    private long[][] dataServed = new long[8][];
    private long[][] tlbAt = new long[8][];
    private long[] base = new long[8];
    private long[] tlb = new long[8];
    private long[] walk = new long[8];
    private long[] dataStall = new long[8];
    private long[] previousTicket = new long[8];
    /** The translation (a slot of {@link Translations}) whose reference each checkpoint is at. */
    private int[] owner = new int[8];

    Checkpoints() {
        for (int i = 0; i < dataServed.length; i++) {
            dataServed[i] = new long[CoreCounters.LEVELS];
            tlbAt[i] = new long[CoreCounters.TLB_COUNTS];
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Saves the core's state at the reference at stream position {@code p}, whose translation is {@code ownerSlot};
     * {@code sequence} numbers the reference in program order, {@code previous} is the ticket the reference before
     * it waits for (or 0).
     */
    void save(CoreCounters c, int p, long address, boolean isWrite, long sequence, int ownerSlot, long previous) {
        if (size == pos.length) {
            grow();
        }
        int i = size++;
        pos[i] = p;
        va[i] = address;
        write[i] = isWrite;
        seq[i] = sequence;
        owner[i] = ownerSlot;
        previousTicket[i] = previous;
        references[i] = c.references;
        stores[i] = c.stores;
        overlapped[i] = c.overlappedReferences;
        instructions[i] = c.instructions;
        System.arraycopy(c.dataServed, 0, dataServed[i], 0, CoreCounters.LEVELS);
        System.arraycopy(c.tlbNow, 0, tlbAt[i], 0, CoreCounters.TLB_COUNTS);
        base[i] = c.baseCycles;
        tlb[i] = c.tlbCycles;
        walk[i] = c.walkCycles;
        dataStall[i] = c.dataStallCycles;
    }

    /** The index of the checkpoint owned by translation slot {@code ownerSlot}, or -1. */
    int of(int ownerSlot) {
        for (int i = 0; i < size; i++) {
            if (owner[i] == ownerSlot) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets checkpoint {@code i}: its translation is final and right. */
    void release(int i) {
        int n = size - i - 1;
        System.arraycopy(pos, i + 1, pos, i, n);
        System.arraycopy(va, i + 1, va, i, n);
        System.arraycopy(write, i + 1, write, i, n);
        System.arraycopy(seq, i + 1, seq, i, n);
        System.arraycopy(owner, i + 1, owner, i, n);
        System.arraycopy(previousTicket, i + 1, previousTicket, i, n);
        System.arraycopy(references, i + 1, references, i, n);
        System.arraycopy(stores, i + 1, stores, i, n);
        System.arraycopy(overlapped, i + 1, overlapped, i, n);
        System.arraycopy(instructions, i + 1, instructions, i, n);
        long[] kept = dataServed[i];
        System.arraycopy(dataServed, i + 1, dataServed, i, n);
        dataServed[size - 1] = kept;
        long[] keptTlb = tlbAt[i];
        System.arraycopy(tlbAt, i + 1, tlbAt, i, n);
        tlbAt[size - 1] = keptTlb;
        System.arraycopy(base, i + 1, base, i, n);
        System.arraycopy(tlb, i + 1, tlb, i, n);
        System.arraycopy(walk, i + 1, walk, i, n);
        System.arraycopy(dataStall, i + 1, dataStall, i, n);
        size--;
    }

    /**
     * Puts the counters back to checkpoint {@code i} and discards it and every younger one. The cycles the accounts
     * grew by since (the only ones that advance while a translation is unresolved) are taken out of them and
     * returned, to be charged as squash cycles; the references executed since are counted as squashed.
     */
    long restore(int i, CoreCounters c) {
        c.squashedReferences += c.references - references[i];
        c.references = references[i];
        c.stores = stores[i];
        c.overlappedReferences = overlapped[i];
        c.instructions = instructions[i];
        System.arraycopy(dataServed[i], 0, c.dataServed, 0, CoreCounters.LEVELS);
        for (int k = 0; k < CoreCounters.TLB_COUNTS; k++) {
            c.squashedTlb[k] += c.tlbNow[k] - tlbAt[i][k];
        }
        long grown = (c.baseCycles - base[i]) + (c.tlbCycles - tlb[i]) + (c.walkCycles - walk[i])
                + (c.dataStallCycles - dataStall[i]);
        c.baseCycles = base[i];
        c.tlbCycles = tlb[i];
        c.walkCycles = walk[i];
        c.dataStallCycles = dataStall[i];
        size = i;
        return grown;
    }

    /** Stream position of checkpoint {@code i}'s reference. */
    int pos(int i) {
        return pos[i];
    }

    /** Moves every checkpoint's stream position {@code by} records back (the buffer was compacted). */
    void shift(int by) {
        for (int i = 0; i < size; i++) {
            pos[i] -= by;
        }
    }

    long va(int i) {
        return va[i];
    }

    boolean write(int i) {
        return write[i];
    }

    long seq(int i) {
        return seq[i];
    }

    int owner(int i) {
        return owner[i];
    }

    long previousTicket(int i) {
        return previousTicket[i];
    }

    /** References completed when checkpoint {@code i} was taken. */
    long references(int i) {
        return references[i];
    }

    /** Instructions executed when checkpoint {@code i} was taken, its reference's own included. */
    long instructions(int i) {
        return instructions[i];
    }

    /** Whether the core stored since checkpoint {@code i}. */
    boolean storedSince(int i, CoreCounters c) {
        return c.stores > stores[i];
    }

    private void grow() {
        int n = pos.length * 2;
        pos = java.util.Arrays.copyOf(pos, n);
        va = java.util.Arrays.copyOf(va, n);
        write = java.util.Arrays.copyOf(write, n);
        seq = java.util.Arrays.copyOf(seq, n);
        owner = java.util.Arrays.copyOf(owner, n);
        previousTicket = java.util.Arrays.copyOf(previousTicket, n);
        references = java.util.Arrays.copyOf(references, n);
        stores = java.util.Arrays.copyOf(stores, n);
        overlapped = java.util.Arrays.copyOf(overlapped, n);
        instructions = java.util.Arrays.copyOf(instructions, n);
        long[][] d = java.util.Arrays.copyOf(dataServed, n);
        for (int i = dataServed.length; i < n; i++) {
            d[i] = new long[CoreCounters.LEVELS];
        }
        dataServed = d;
        long[][] t = java.util.Arrays.copyOf(tlbAt, n);
        for (int i = tlbAt.length; i < n; i++) {
            t[i] = new long[CoreCounters.TLB_COUNTS];
        }
        tlbAt = t;
        base = java.util.Arrays.copyOf(base, n);
        tlb = java.util.Arrays.copyOf(tlb, n);
        walk = java.util.Arrays.copyOf(walk, n);
        dataStall = java.util.Arrays.copyOf(dataStall, n);
    }
}
