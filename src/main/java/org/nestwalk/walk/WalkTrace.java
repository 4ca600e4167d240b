package org.nestwalk.walk;

import java.util.ArrayList;
import java.util.List;
import org.nestwalk.pagetable.IsptProbe;
import org.nestwalk.pagetable.PageSize;

/**
 * The walk a translation mode is producing, step by step, in reusable primitive arrays: the simulator's per-walk
 * record, filled without allocating. {@link #toWalk} turns it into the immutable {@link Walk} value.
 *
 * <p>The functional part (what was referenced, what served it, how the walk ended, whether it offers a speculative
 * translation) is written by the {@link TranslationMode}; the timing part (when each step started and ended, which
 * steps the requester waited for, whether it used the speculation) by the {@link PageWalker}.
 */
public final class WalkTrace {
    /** Missed-probe flag: the PWC was probed for this step's entry and missed. */
    public static final int MISSED_PWC = 1;
    /** Missed-probe flag: the NTLB was probed before this step and missed. */
    public static final int MISSED_NTLB = 2;
    /** Probe flag: the cuckoo walk cache was probed before this step (whether it hit or not: no step of its own). */
    public static final int PROBED_CWC = 4;

    /** More than enough for a 5-level 2D walk (35 references plus NTLB probes). */
    static final int MAX_STEPS = 64;

    private final TableKind[] table = new TableKind[MAX_STEPS];
    private final byte[] level = new byte[MAX_STEPS];
    private final byte[] target = new byte[MAX_STEPS];
    private final long[] address = new long[MAX_STEPS];
    private final long[] guestAddress = new long[MAX_STEPS];
    private final ServedBy[] servedBy = new ServedBy[MAX_STEPS];
    private final byte[] missed = new byte[MAX_STEPS];
    private final long[] stepStart = new long[MAX_STEPS];
    private final long[] stepEnd = new long[MAX_STEPS];
    private final boolean[] critical = new boolean[MAX_STEPS];
    private final boolean[] withNext = new boolean[MAX_STEPS];
    private int size;
    private int pendingMissed;

    private long va;
    private boolean write;
    private WalkOutcome outcome;
    private long pageBase;
    private PageSize pageSize;
    private boolean writable;
    private long faultAddress;
    private int probeSteps;
    private IsptProbe isptProbe = IsptProbe.NONE;
    private boolean offersSpeculation;
    private boolean speculationUsed;
    private long speculativeBase = -1;
    private PageSize speculativeSize;
    private boolean speculativeWritable;
    private long startTime;
    private long endTime;
    private long criticalEnd;

    /** Starts a new walk for {@code va}. */
    public void reset(long va, boolean write) {
        this.va = va;
        this.write = write;
        this.size = 0;
        this.pendingMissed = 0;
        this.outcome = null;
        this.pageBase = 0;
        this.pageSize = null;
        this.writable = false;
        this.faultAddress = 0;
        this.probeSteps = 0;
        this.isptProbe = IsptProbe.NONE;
        this.offersSpeculation = false;
        this.speculationUsed = false;
        this.speculativeBase = -1;
        this.speculativeSize = null;
        this.speculativeWritable = false;
        this.startTime = 0;
        this.endTime = 0;
        this.criticalEnd = 0;
    }

    /** Notes a probe of a walk cache that missed; charged to the next step recorded. */
    void missedProbe(int flag) {
        pendingMissed |= flag;
    }

    /** Appends a step. */
    void add(TableKind t, int lvl, int tgt, long addr, long guestAddr, ServedBy by) {
        if (size == MAX_STEPS) {
            throw new IllegalStateException("walk of 0x" + Long.toHexString(va) + " exceeds " + MAX_STEPS + " steps");
        }
        table[size] = t;
        level[size] = (byte) lvl;
        target[size] = (byte) tgt;
        address[size] = addr;
        guestAddress[size] = guestAddr;
        servedBy[size] = by;
        missed[size] = (byte) pendingMissed;
        critical[size] = true;
        withNext[size] = false;
        pendingMissed = 0;
        size++;
    }

    /**
     * The steps from {@code first} to the last one recorded are independent references the walker issues together
     * (the probes of a hashed table's ways): they start at once and the walk goes on when the last of them is back.
     * Each waits for the walk-cache probes that missed before the first.
     */
    void issuedTogether(int first) {
        for (int i = first; i < size - 1; i++) {
            withNext[i] = true;
            missed[i + 1] = missed[first];
        }
    }

    /** Whether step {@code i} was issued together with step {@code i + 1}. */
    public boolean issuedWithNext(int i) {
        return withNext[i];
    }

    void translated(long base, PageSize size, boolean canWrite) {
        this.outcome = WalkOutcome.TRANSLATED;
        this.pageBase = base;
        this.pageSize = size;
        this.writable = canWrite;
    }

    /**
     * The steps recorded so far read the inverted shadow page table: a probe of its own, which a walker may issue
     * beside the walk that follows instead of in front of it ({@code spec.verify}).
     */
    void probed(IsptProbe outcome) {
        this.probeSteps = size;
        this.isptProbe = outcome;
    }

    /**
     * The probe gave a translation the requester may use at once, speculatively, while the steps that follow
     * verify it.
     */
    void speculate(long base, PageSize size, boolean canWrite) {
        this.offersSpeculation = true;
        this.speculativeBase = base;
        this.speculativeSize = size;
        this.speculativeWritable = canWrite;
    }

    void faulted(WalkOutcome kind, long address) {
        this.outcome = kind;
        this.faultAddress = address;
    }

    public int size() {
        return size;
    }

    public TableKind table(int i) {
        return table[i];
    }

    public int level(int i) {
        return level[i];
    }

    public int target(int i) {
        return target[i];
    }

    public long address(int i) {
        return address[i];
    }

    public ServedBy servedBy(int i) {
        return servedBy[i];
    }

    /** Flags of walk-cache probes that missed before step {@code i}. */
    public int missed(int i) {
        return missed[i];
    }

    public long stepStart(int i) {
        return stepStart[i];
    }

    public long stepEnd(int i) {
        return stepEnd[i];
    }

    void step(int i, long start, long end) {
        stepStart[i] = start;
        stepEnd[i] = end;
    }

    /** Whether the requester waited for step {@code i}. */
    public boolean critical(int i) {
        return critical[i];
    }

    /**
     * The walk ended: the requester waited for steps {@code [from, to)} and no others, and could go on at
     * {@code criticalEndTime}.
     */
    void timed(long start, long end, int from, int to, long criticalEndTime) {
        this.startTime = start;
        this.endTime = end;
        this.criticalEnd = criticalEndTime;
        for (int i = 0; i < size; i++) {
            critical[i] = i >= from && i < to;
        }
    }

    void started(long start) {
        this.startTime = start;
    }

    /** The requester used the speculative translation before the walk verified it. */
    void speculationUsed() {
        this.speculationUsed = true;
    }

    public long va() {
        return va;
    }

    public boolean write() {
        return write;
    }

    public WalkOutcome outcome() {
        return outcome;
    }

    public long pageBase() {
        return pageBase;
    }

    public PageSize pageSize() {
        return pageSize;
    }

    /** Whether the translation found allows stores. */
    public boolean writable() {
        return writable;
    }

    public long faultAddress() {
        return faultAddress;
    }

    /** Steps at the start of the walk that probed the inverted shadow page table (0 if the mode has none). */
    public int probeSteps() {
        return probeSteps;
    }

    /** What the probe of the inverted shadow page table found, if the walk made one. */
    public IsptProbe isptProbe() {
        return isptProbe;
    }

    /** Whether the probe offered a speculative translation. */
    public boolean offersSpeculation() {
        return offersSpeculation;
    }

    /**
     * Whether the requester used a speculative translation before the walk verified it: the probe offered one and
     * ended before the verification.
     */
    public boolean speculative() {
        return speculationUsed;
    }

    /** Steps the requester waited for. */
    public int criticalSteps() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += critical[i] ? 1 : 0;
        }
        return n;
    }

    /** Memory references the requester waited for. */
    public int criticalReferences() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (critical[i] && servedBy[i].isMemoryReference()) {
                n++;
            }
        }
        return n;
    }

    public long speculativeBase() {
        return speculativeBase;
    }

    public PageSize speculativeSize() {
        return speculativeSize;
    }

    public boolean speculativeWritable() {
        return speculativeWritable;
    }

    public long startTime() {
        return startTime;
    }

    public long endTime() {
        return endTime;
    }

    /** When the requester could go on: when the speculative translation arrived, or the walk's end. */
    public long criticalEnd() {
        return criticalEnd;
    }

    /** Memory references made so far (steps served by a cache level or DRAM). */
    public int references() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (servedBy[i].isMemoryReference()) {
                n++;
            }
        }
        return n;
    }

    /** The finished walk as an immutable value. */
    public Walk toWalk(String mode) {
        List<WalkStep> steps = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            steps.add(new WalkStep(i + 1, table[i], level[i], target[i], address[i], guestAddress[i], servedBy[i],
                    stepStart[i] - startTime, stepEnd[i] - stepStart[i], critical[i], i > 0 && withNext[i - 1]));
        }
        return new Walk(mode, va, write, outcome, steps, pageBase, pageSize, writable, faultAddress, startTime,
                endTime, criticalEnd, speculationUsed, isptProbe);
    }
}
