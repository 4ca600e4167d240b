package org.nestwalk.cpu;

import java.util.Arrays;

/**
 * The vCPU's translations under way: one entry per walk it asked for that has not ended, like the miss-status
 * registers of a TLB. Each entry knows its page, whether it was asked for by a store, whether a speculative
 * translation has come back for it, and the references waiting for it, oldest first (the one that missed the TLB,
 * and younger ones to the same page that found the walk under way instead of walking again). A reference waits
 * here only when the core has run on past it; with {@code core.walkOverlap=none} the core itself waits at the
 * reference (the entry is then <i>held</i>). An entry whose references were all squashed lives on, without
 * waiters, until its walk ends: a replayed reference to its page may wait for it again.
 *
 * <p>Entries and waiters live in primitive arrays with free lists, so no allocation happens per walk.
 */
final class Translations {
    /** No entry. */
    static final int NONE = -1;

    // Per entry (a slot).
    private long[] ticket = new long[8];
    private long[] page = new long[8];
    private long[] walkVa = new long[8];
    private int[] space = new int[8];
    private boolean[] write = new boolean[8];
    private boolean[] fetch = new boolean[8];
    private boolean[] speculated = new boolean[8];
    private long[] specBase = new long[8];
    private boolean[] specWritable = new boolean[8];
    private boolean[] held = new boolean[8];
    private int[] firstWaiter = new int[8];
    private int[] lastWaiter = new int[8];
    private int[] nextFree = new int[8];
    private int freeEntry = NONE;
    private int[] active = new int[8];
    private int activeCount;

    // Per waiter: a reference the core ran past, in its entry's list.
    private long[] wVa = new long[16];
    private boolean[] wWrite = new boolean[16];
    private long[] wInstruction = new long[16];
    private long[] wSeq = new long[16];
    private int[] wNext = new int[16];
    private int freeWaiter = NONE;
    private int waiterCapacityUsed;

    Translations() {
        Arrays.fill(firstWaiter, NONE);
        Arrays.fill(lastWaiter, NONE);
        for (int s = ticket.length - 1; s >= 0; s--) {
            nextFree[s] = freeEntry;
            freeEntry = s;
        }
    }

    /** Entries in use. */
    int active() {
        return activeCount;
    }

    /** The slot of the {@code i}-th entry in use (0 .. {@link #active()} - 1), in no particular order. */
    int activeSlot(int i) {
        return active[i];
    }

    /**
     * A new entry for the walk {@code t} of {@code va} in address space {@code tag}, asked for by a load or store,
     * or by an instruction fetch.
     */
    int open(long t, long va, boolean isWrite, int tag, boolean isFetch) {
        if (freeEntry == NONE) {
            grow();
        }
        int s = freeEntry;
        freeEntry = nextFree[s];
        ticket[s] = t;
        page[s] = va & ~0xFFFL;
        walkVa[s] = va;
        space[s] = tag;
        write[s] = isWrite;
        fetch[s] = isFetch;
        speculated[s] = false;
        held[s] = false;
        firstWaiter[s] = NONE;
        lastWaiter[s] = NONE;
        active[activeCount++] = s;
        return s;
    }

    /** The entry of walk {@code t}, or {@link #NONE}. */
    int find(long t) {
        for (int i = 0; i < activeCount; i++) {
            if (ticket[active[i]] == t) {
                return active[i];
            }
        }
        return NONE;
    }

    /**
     * The entry whose translation a reference to {@code va} can take instead of walking, or {@link #NONE}. With
     * {@code anyRights}, any entry for its page: a store that waits for a walk which ends in a read-only translation
     * is replayed then (see {@code VCpu}). Without (a core that stops at each miss), one that certainly allows the
     * access: speculated and writable if {@code isWrite}, or still walking, for a store only if a store asked for it.
     */
    int match(long va, boolean isWrite, boolean anyRights) {
        long p = va & ~0xFFFL;
        for (int i = 0; i < activeCount; i++) {
            int s = active[i];
            if (page[s] == p && !fetch[s]
                    && (anyRights || !isWrite || (speculated[s] ? specWritable[s] : write[s]))) {
                return s;
            }
        }
        return NONE;
    }

    /** The entry of an instruction fetch's walk of {@code va}'s page still under way, or {@link #NONE}. */
    int matchFetch(long va) {
        long p = va & ~0xFFFL;
        for (int i = 0; i < activeCount; i++) {
            int s = active[i];
            if (page[s] == p && fetch[s]) {
                return s;
            }
        }
        return NONE;
    }

    /** Whether a store waits for entry {@code s}. */
    boolean storeWaits(int s) {
        for (int w = firstWaiter[s]; w != NONE; w = wNext[w]) {
            if (wWrite[w]) {
                return true;
            }
        }
        return false;
    }

    /** Drops entry {@code s}'s waiting loads, keeping its stores (a read-only speculation served the loads). */
    void clearLoadWaiters(int s) {
        int head = NONE;
        int tail = NONE;
        for (int w = firstWaiter[s]; w != NONE; ) {
            int next = wNext[w];
            if (!wWrite[w]) {
                freeWaiter(w);
            } else {
                wNext[w] = NONE;
                if (tail == NONE) {
                    head = w;
                } else {
                    wNext[tail] = w;
                }
                tail = w;
            }
            w = next;
        }
        firstWaiter[s] = head;
        lastWaiter[s] = tail;
    }

    /** Frees entry {@code s}: its walk has ended and nothing waits for it. */
    void close(int s) {
        for (int i = 0; i < activeCount; i++) {
            if (active[i] == s) {
                active[i] = active[--activeCount];
                break;
            }
        }
        for (int w = firstWaiter[s]; w != NONE; ) {
            int next = wNext[w];
            freeWaiter(w);
            w = next;
        }
        firstWaiter[s] = NONE;
        lastWaiter[s] = NONE;
        nextFree[s] = freeEntry;
        freeEntry = s;
    }

    /** The walk of entry {@code s} offered a speculative translation. */
    void speculate(int s, long base, boolean writable) {
        speculated[s] = true;
        specBase[s] = base;
        specWritable[s] = writable;
    }

    /** The speculative translation of entry {@code s} may no longer be used (its checkpoint was squashed). */
    void unspeculate(int s) {
        speculated[s] = false;
    }

    void hold(int s, boolean isHeld) {
        held[s] = isHeld;
    }

    /** Whether the core itself waits at the reference of entry {@code s}. */
    boolean held(int s) {
        return held[s];
    }

    long ticket(int s) {
        return ticket[s];
    }

    long page(int s) {
        return page[s];
    }

    /** The address the entry's walk translates. */
    long walkVa(int s) {
        return walkVa[s];
    }

    int space(int s) {
        return space[s];
    }

    boolean write(int s) {
        return write[s];
    }

    /** Whether an instruction fetch asked for entry {@code s}'s walk (its translation goes to the iTLB). */
    boolean fetch(int s) {
        return fetch[s];
    }

    boolean speculated(int s) {
        return speculated[s];
    }

    long specBase(int s) {
        return specBase[s];
    }

    boolean specWritable(int s) {
        return specWritable[s];
    }

    /** Whether no reference waits for entry {@code s}. */
    boolean unwaited(int s) {
        return firstWaiter[s] == NONE;
    }

    /** Appends a waiting reference to entry {@code s}. */
    void addWaiter(int s, long va, boolean isWrite, long instruction, long sequence) {
        int w = freeWaiter;
        if (w == NONE) {
            w = growWaiters();
        } else {
            freeWaiter = wNext[w];
        }
        wVa[w] = va;
        wWrite[w] = isWrite;
        wInstruction[w] = instruction;
        wSeq[w] = sequence;
        wNext[w] = NONE;
        if (lastWaiter[s] == NONE) {
            firstWaiter[s] = w;
        } else {
            wNext[lastWaiter[s]] = w;
        }
        lastWaiter[s] = w;
    }

    /** The first waiter of entry {@code s}, or {@link #NONE}; the next with {@link #nextWaiter}. */
    int firstWaiter(int s) {
        return firstWaiter[s];
    }

    int nextWaiter(int w) {
        return wNext[w];
    }

    long waiterVa(int w) {
        return wVa[w];
    }

    boolean waiterWrite(int w) {
        return wWrite[w];
    }

    long waiterInstruction(int w) {
        return wInstruction[w];
    }

    long waiterSeq(int w) {
        return wSeq[w];
    }

    /** Drops entry {@code s}'s waiters: their data is done (or they were squashed). */
    void clearWaiters(int s) {
        for (int w = firstWaiter[s]; w != NONE; ) {
            int next = wNext[w];
            freeWaiter(w);
            w = next;
        }
        firstWaiter[s] = NONE;
        lastWaiter[s] = NONE;
    }

    /** Drops every waiter numbered {@code sequence} or later, from every entry (a squash back to it). */
    void dropFrom(long sequence) {
        for (int i = 0; i < activeCount; i++) {
            int s = active[i];
            int head = NONE;
            int tail = NONE;
            for (int w = firstWaiter[s]; w != NONE; ) {
                int next = wNext[w];
                if (wSeq[w] >= sequence) {
                    freeWaiter(w);
                } else {
                    wNext[w] = NONE;
                    if (tail == NONE) {
                        head = w;
                    } else {
                        wNext[tail] = w;
                    }
                    tail = w;
                }
                w = next;
            }
            firstWaiter[s] = head;
            lastWaiter[s] = tail;
        }
    }

    /** The smallest instruction number of a waiting reference, or Long.MAX_VALUE. */
    long oldestWaitingInstruction() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < activeCount; i++) {
            int w = firstWaiter[active[i]];
            if (w != NONE && wInstruction[w] < oldest) {
                oldest = wInstruction[w];
            }
        }
        return oldest;
    }

    private void freeWaiter(int w) {
        wNext[w] = freeWaiter;
        freeWaiter = w;
    }

    private void grow() {
        int old = ticket.length;
        int n = old * 2;
        ticket = Arrays.copyOf(ticket, n);
        page = Arrays.copyOf(page, n);
        walkVa = Arrays.copyOf(walkVa, n);
        space = Arrays.copyOf(space, n);
        write = Arrays.copyOf(write, n);
        fetch = Arrays.copyOf(fetch, n);
        speculated = Arrays.copyOf(speculated, n);
        specBase = Arrays.copyOf(specBase, n);
        specWritable = Arrays.copyOf(specWritable, n);
        held = Arrays.copyOf(held, n);
        firstWaiter = Arrays.copyOf(firstWaiter, n);
        lastWaiter = Arrays.copyOf(lastWaiter, n);
        nextFree = Arrays.copyOf(nextFree, n);
        active = Arrays.copyOf(active, n);
        for (int s = n - 1; s >= old; s--) {
            nextFree[s] = freeEntry;
            freeEntry = s;
        }
    }

    private int growWaiters() {
        if (waiterCapacityUsed < wVa.length) {
            return waiterCapacityUsed++;
        }
        int n = wVa.length * 2;
        wVa = Arrays.copyOf(wVa, n);
        wWrite = Arrays.copyOf(wWrite, n);
        wInstruction = Arrays.copyOf(wInstruction, n);
        wSeq = Arrays.copyOf(wSeq, n);
        wNext = Arrays.copyOf(wNext, n);
        return waiterCapacityUsed++;
    }
}
