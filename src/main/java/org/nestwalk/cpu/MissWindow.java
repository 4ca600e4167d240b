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
 * to the owner (a {@link MemoryClient}) with the miss's slot as the tag.
 */
final class MissWindow {
    private final int robWindow;
    private final Scheduler scheduler;
    private final MemoryController memory;
    private final boolean[] busy;
    private final long[] instruction;
    private final long[] address;
    private final boolean[] write;
    private final Action[] submitLater;
    private int outstanding;
    private int lastSlot = -1;

    MissWindow(CoreConfig core, Scheduler scheduler, MemoryController memory, MemoryClient owner) {
        this.robWindow = core.robWindow();
        this.scheduler = scheduler;
        this.memory = memory;
        int mlp = core.mlp();
        this.busy = new boolean[mlp];
        this.instruction = new long[mlp];
        this.address = new long[mlp];
        this.write = new boolean[mlp];
        this.submitLater = new Action[mlp];
        for (int s = 0; s < mlp; s++) {
            int slot = s;
            submitLater[s] = () -> memory.submit(scheduler.now(), address[slot], write[slot], owner, slot);
        }
    }

    int outstanding() {
        return outstanding;
    }

    /** Whether every miss register is taken. */
    boolean full() {
        return outstanding == busy.length;
    }

    /**
     * A new miss by the instruction numbered {@code instructionIndex}, whose request reaches the memory controller
     * at {@code arrival}: made inline if that is before the next event, else from an event at that time.
     */
    void issue(long arrival, long pa, boolean isWrite, long instructionIndex, MemoryClient owner) {
        int slot = 0;
        while (busy[slot]) {
            slot++;
        }
        busy[slot] = true;
        instruction[slot] = instructionIndex;
        address[slot] = pa;
        write[slot] = isWrite;
        outstanding++;
        lastSlot = slot;
        if (arrival < scheduler.nextEventTime()) {
            memory.submit(arrival, pa, isWrite, owner, slot);
        } else {
            scheduler.schedule(arrival, submitLater[slot]);
        }
    }

    /** The miss in {@code slot} has its data. */
    void complete(int slot) {
        busy[slot] = false;
        outstanding--;
    }

    /** Whether the reorder buffer is full: {@code instructions} ran {@code robWindow} past the oldest miss. */
    boolean robFull(long instructions) {
        return instructions >= robLimit();
    }

    /**
     * The instruction count at which the reorder buffer is full behind the oldest miss in flight; Long.MAX_VALUE
     * when none is. Changes only when a miss is issued or completes.
     */
    long robLimit() {
        if (outstanding == 0) {
            return Long.MAX_VALUE;
        }
        long oldest = Long.MAX_VALUE;
        for (int s = 0; s < busy.length; s++) {
            if (busy[s] && instruction[s] < oldest) {
                oldest = instruction[s];
            }
        }
        return oldest + robWindow;
    }

    /** Whether the most recent miss is still in flight (a dependent load must wait for it). */
    boolean lastMissPending() {
        return lastSlot >= 0 && busy[lastSlot];
    }
}
