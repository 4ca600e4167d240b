package org.nestwalk.cpu;

import org.nestwalk.memory.AccessChain;
import org.nestwalk.memory.CacheHierarchy;
import org.nestwalk.memory.MemoryLevel;

/**
 * What the OS or the hypervisor does on a vCPU while the program it interrupted waits: a sequence of compute steps
 * (handler instructions, VM exit and entry) and memory references (page-table entries written), each charged to
 * the guest OS or to a VM exit cause. The guest OS and hypervisor models describe the work; the vCPU resolves its
 * references against its caches and times it as an {@link AccessChain}. Reused between traps, no allocation.
 */
public final class HandlerWork implements AccessChain.Steps {
    /** Account of guest-OS work; exit causes use their ordinal + 1. */
    public static final int GUEST_OS = 0;

    /** What a step is: handler instructions, a VM exit and entry, or a memory reference. */
    public enum StepKind {
        /** Instructions of the guest OS or of the hypervisor's handler. */
        COMPUTE,
        /** The VM exit and the VM entry back into the guest (the hardware round trip). */
        EXIT,
        /** A page-table entry (or line) read. */
        READ,
        /** A page-table entry written. */
        WRITE
    }

    private static final MemoryLevel[] LEVELS = MemoryLevel.values();
    private static final StepKind[] KINDS = StepKind.values();

    private long[] cycles = new long[64];
    private long[] address = new long[64];
    private boolean[] memory = new boolean[64];
    private boolean[] write = new boolean[64];
    private byte[] account = new byte[64];
    private byte[] level = new byte[64];
    private byte[] kind = new byte[64];
    private long[] end = new long[64];
    private final long[] exits = new long[ExitCause.values().length];
    private int size;
    private CacheHierarchy caches;

    /** Empties the work for the next trap. */
    public void reset() {
        size = 0;
        java.util.Arrays.fill(exits, 0);
    }

    /** {@code n} cycles of handler instructions charged to {@code acct}. */
    public void compute(long n, int acct) {
        computeStep(n, acct, StepKind.COMPUTE);
    }

    /**
     * A VM exit for {@code cause}: the exit and entry, then {@code handlerCycles} of hypervisor work (two steps, so
     * that {@code explain --scenario} can show them apart; one after the other they take the same time as one).
     */
    public void exit(ExitCause cause, long exitAndEntryCycles, long handlerCycles) {
        exits[cause.ordinal()]++;
        computeStep(exitAndEntryCycles, cause.ordinal() + 1, StepKind.EXIT);
        computeStep(handlerCycles, cause.ordinal() + 1, StepKind.COMPUTE);
    }

    private void computeStep(long n, int acct, StepKind k) {
        int i = append();
        cycles[i] = n;
        memory[i] = false;
        account[i] = (byte) acct;
        kind[i] = (byte) k.ordinal();
    }

    /** A reference to system-physical {@code spa} charged to {@code acct}. */
    public void reference(long spa, boolean isWrite, int acct) {
        int i = append();
        memory[i] = true;
        address[i] = spa;
        write[i] = isWrite;
        account[i] = (byte) acct;
        kind[i] = (byte) (isWrite ? StepKind.WRITE : StepKind.READ).ordinal();
    }

    /** The account of the exit cause {@code cause}. */
    public static int account(ExitCause cause) {
        return cause.ordinal() + 1;
    }

    /** Looks every reference up in {@code hierarchy}, in order, deciding what serves it. */
    void resolve(CacheHierarchy hierarchy) {
        this.caches = hierarchy;
        for (int i = 0; i < size; i++) {
            if (memory[i]) {
                level[i] = (byte) hierarchy.access(address[i]).ordinal();
            }
        }
    }

    /** Cycles of the compute and exit steps (memory references not included). */
    long computeCycles() {
        long c = 0;
        for (int i = 0; i < size; i++) {
            if (!memory[i]) {
                c += cycles[i];
            }
        }
        return c;
    }

    /** Exits of {@code cause} in this work. */
    public long exits(ExitCause cause) {
        return exits[cause.ordinal()];
    }

    /** Number of memory references in this work. */
    public int references() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (memory[i]) {
                n++;
            }
        }
        return n;
    }

    public int accountOf(int i) {
        return account[i];
    }

    /** The exit cause step {@code i} is charged to, or null for guest-OS work. */
    public ExitCause causeOf(int i) {
        return account[i] == GUEST_OS ? null : ExitCause.values()[account[i] - 1];
    }

    /** What step {@code i} is. */
    public StepKind kindOf(int i) {
        return KINDS[kind[i]];
    }

    /** What served memory step {@code i} (after the work was resolved against the caches). */
    public MemoryLevel levelOf(int i) {
        if (!memory[i]) {
            throw new IllegalArgumentException("step " + i + " is not a memory reference");
        }
        return LEVELS[level[i]];
    }

    public long endOf(int i) {
        return end[i];
    }

    @Override
    public int count() {
        return size;
    }

    @Override
    public long cycles(int i) {
        return memory[i] ? caches.latency(LEVELS[level[i]]) : cycles[i];
    }

    @Override
    public boolean dram(int i) {
        return memory[i] && level[i] == MemoryLevel.DRAM.ordinal();
    }

    @Override
    public long address(int i) {
        return address[i];
    }

    @Override
    public boolean write(int i) {
        return write[i];
    }

    @Override
    public void completed(int i, long time) {
        end[i] = time;
    }

    private int append() {
        if (size == cycles.length) {
            int n = size * 2;
            cycles = java.util.Arrays.copyOf(cycles, n);
            address = java.util.Arrays.copyOf(address, n);
            memory = java.util.Arrays.copyOf(memory, n);
            write = java.util.Arrays.copyOf(write, n);
            account = java.util.Arrays.copyOf(account, n);
            level = java.util.Arrays.copyOf(level, n);
            kind = java.util.Arrays.copyOf(kind, n);
            end = java.util.Arrays.copyOf(end, n);
        }
        return size++;
    }
}
