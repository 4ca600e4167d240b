package org.nestwalk.timeline;

import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.walk.WalkTrace;

/**
 * Where the simulated machine's entities report what they did and when (in core cycles): the seam behind
 * {@code run --timeline} and {@code explain --scenario}. The entities call it at their events, never per reference,
 * and pass what they already hold (primitives, the walker's reusable trace, the vCPU's reusable handler work), so a
 * run that records nothing ({@link #NONE}) allocates nothing for it. An implementation must copy what it keeps:
 * the trace and the work are reused.
 */
public interface Timeline {
    /** Records nothing: what every run reports to unless a timeline was asked for. */
    Timeline NONE = new Timeline() {
    };

    /** The measured interval begins (after warm-up): a recording may start here. */
    default void intervalStarted(long time) {
    }

    /** The measured interval has ended. */
    default void intervalEnded(long time) {
    }

    /** The vCPU ran the program inline (instructions, TLB and cache hits) from {@code start} to {@code end}. */
    default void burst(long start, long end) {
    }

    /** The page walker finished the walk in {@code trace} (its start and end times are set). */
    default void walk(WalkTrace trace) {
    }

    /**
     * The memory controller served a request: it arrived at {@code arrival}, its bank started it at {@code start}
     * and completed it at {@code end}.
     */
    default void dram(long arrival, long start, long end, int bank, long address, boolean write, boolean rowHit) {
    }

    /**
     * The vCPU ran the guest OS's or the hypervisor's work from {@code start} to {@code end}; the end of each step
     * is {@link HandlerWork#endOf}.
     */
    default void handler(HandlerWork work, long start, long end) {
    }

    /**
     * The walk in {@code trace} verified a speculative translation the vCPU had been using since its critical steps
     * ended; {@code agreed}: the translation was right (otherwise the vCPU squashes and replays).
     */
    default void verification(WalkTrace trace, boolean agreed) {
    }
}
