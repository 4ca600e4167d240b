package org.nestwalk.cpu;

import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.MemoryClient;
import org.nestwalk.memory.MemoryController;

/**
 * The DRAM data misses an out-of-order core has in flight. At most {@code core.mlp} of them (its miss-status
 * registers); the core may run on past a miss, but not more than {@code core.robWindow} instructions past the
 * oldest one, because that miss blocks retirement and the reorder buffer fills behind it. A load whose address comes
 * from the previous load (pointer chasing) must wait for that load. Together these give the
 * "data-miss stalls / MLP" of the design's timing model as a mechanism rather than a formula.
 *
 * <p>Each miss is a request to the memory controller, made at the time it leaves the LLC; its completion comes back
 * to the owner (a {@link MemoryClient}) with the miss's slot as the tag. A miss of a reference the core has already
 * moved past (its translation came from a walk while the core ran on) that finds every register taken waits for
 * one, oldest first, ahead of the core's own.
 */
final class MissWindow {
    private final int robWindow;
    private final Scheduler scheduler;
    private final MemoryController memory;
    private final MemoryClient owner;
    private final boolean[] busy;
    private final long[] instruction;
    private final long[] address;
    private final boolean[] write;
    private final long[] id;
    private final Action[] submitLater;
    private int outstanding;
    /** Every miss gets a number; the most recent one's, and whether it has its data. */
    private long nextId;
    private long lastId;
    private boolean lastDone = true;

    // Misses waiting for a register, oldest first (a ring that grows).
    private long[] waitReady = new long[8];
    private long[] waitAddress = new long[8];
    private boolean[] waitWrite = new boolean[8];
    private long[] waitInstruction = new long[8];
    private long[] waitId = new long[8];
    private int waitHead;
    private int waiting;

    MissWindow(CoreConfig core, Scheduler scheduler, MemoryController memory, MemoryClient owner) {
        this.robWindow = core.robWindow();
        this.scheduler = scheduler;
        this.memory = memory;
        this.owner = owner;
        int mlp = core.mlp();
        this.busy = new boolean[mlp];
        this.instruction = new long[mlp];
        this.address = new long[mlp];
        this.write = new boolean[mlp];
        this.id = new long[mlp];
        this.submitLater = new Action[mlp];
        for (int s = 0; s < mlp; s++) {
            int slot = s;
            submitLater[s] = () -> memory.submit(scheduler.now(), address[slot], write[slot], owner, slot);
        }
    }

    /** Misses in flight (holding a register). */
    int outstanding() {
        return outstanding;
    }

    /** Misses waiting for a register. */
    int waiting() {
        return waiting;
    }

    /** Whether the core's next miss must wait: every register is taken, or older misses wait for one. */
    boolean full() {
        return outstanding == busy.length || waiting > 0;
    }

    /**
     * A new miss by the instruction numbered {@code instructionIndex}, whose request reaches the memory controller
     * at {@code arrival}: made inline if that is before the next event, else from an event at that time. The
     * caller has checked that a register is free; its clock is at {@code cause}.
     */
    void issue(long cause, long arrival, long pa, boolean isWrite, long instructionIndex) {
        lastId = ++nextId;
        lastDone = false;
        start(cause, arrival, pa, isWrite, instructionIndex, lastId);
    }

    /**
     * A miss of an instruction the core has moved past, whose request leaves the LLC at {@code readyAt}: issued now
     * if a register is free and none is waited for, else it waits for one.
     */
    void issueOrWait(long cause, long readyAt, long pa, boolean isWrite, long instructionIndex) {
        if (!full()) {
            issue(cause, readyAt, pa, isWrite, instructionIndex);
            return;
        }
        if (waiting == waitReady.length) {
            grow();
        }
        int i = (waitHead + waiting) % waitReady.length;
        waitReady[i] = readyAt;
        waitAddress[i] = pa;
        waitWrite[i] = isWrite;
        waitInstruction[i] = instructionIndex;
        waitId[i] = lastId = ++nextId;
        lastDone = false;
        waiting++;
    }

    private void start(long cause, long arrival, long pa, boolean isWrite, long instructionIndex, long missId) {
        int slot = 0;
        while (busy[slot]) {
            slot++;
        }
        busy[slot] = true;
        instruction[slot] = instructionIndex;
        address[slot] = pa;
        write[slot] = isWrite;
        id[slot] = missId;
        outstanding++;
        if (arrival < scheduler.nextEventTime()) {
            memory.submit(arrival, pa, isWrite, owner, slot);
        } else {
            scheduler.scheduleFrom(cause, arrival, submitLater[slot]);
        }
    }

    /** The miss in {@code slot} has its data; the oldest miss waiting for a register takes it. */
    void complete(int slot) {
        busy[slot] = false;
        outstanding--;
        if (id[slot] == lastId) {
            lastDone = true;
        }
        if (waiting > 0) {
            int i = waitHead;
            waitHead = (waitHead + 1) % waitReady.length;
            waiting--;
            long now = scheduler.now();
            start(now, Math.max(now, waitReady[i]), waitAddress[i], waitWrite[i], waitInstruction[i], waitId[i]);
        }
    }

    /** Whether the reorder buffer is full: {@code instructions} ran {@code robWindow} past the oldest miss. */
    boolean robFull(long instructions) {
        return instructions >= robLimit();
    }

    /**
     * The instruction count at which the reorder buffer is full behind the oldest miss in flight or waiting;
     * Long.MAX_VALUE when there is none. Changes only when a miss is issued or completes.
     */
    long robLimit() {
        if (outstanding == 0 && waiting == 0) {
            return Long.MAX_VALUE;
        }
        long oldest = Long.MAX_VALUE;
        for (int s = 0; s < busy.length; s++) {
            if (busy[s] && instruction[s] < oldest) {
                oldest = instruction[s];
            }
        }
        for (int k = 0; k < waiting; k++) {
            oldest = Math.min(oldest, waitInstruction[(waitHead + k) % waitReady.length]);
        }
        return oldest + robWindow;
    }

    /** Whether the most recent miss has not had its data yet (a dependent load must wait for it). */
    boolean lastMissPending() {
        return !lastDone;
    }

    private void grow() {
        int n = waitReady.length * 2;
        long[] r = new long[n];
        long[] a = new long[n];
        boolean[] w = new boolean[n];
        long[] in = new long[n];
        long[] ids = new long[n];
        for (int k = 0; k < waiting; k++) {
            int i = (waitHead + k) % waitReady.length;
            r[k] = waitReady[i];
            a[k] = waitAddress[i];
            w[k] = waitWrite[i];
            in[k] = waitInstruction[i];
            ids[k] = waitId[i];
        }
        waitReady = r;
        waitAddress = a;
        waitWrite = w;
        waitInstruction = in;
        waitId = ids;
        waitHead = 0;
    }
}
