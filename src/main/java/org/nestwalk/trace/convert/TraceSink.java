package org.nestwalk.trace.convert;

import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceWriter;

/**
 * Turns a tool's stream of instructions and data accesses into trace records. The gap of a reference counts the
 * instructions since the previous record with the reference's own instruction included (as the simulator's reference
 * buffer does), so the gaps and END's gap add up to the instructions converted; IPAGE sits before the first
 * instruction fetched from a new page.
 */
final class TraceSink {
    private final TraceWriter writer;
    private final int pageShift;
    private final long maxReferences;
    /** Instructions executed since the last record, not yet charged to one. */
    private long pending;
    private long page = -1;
    private long instructions;
    private long events;
    private boolean full;

    TraceSink(TraceWriter writer, int pageSize, long maxReferences) {
        this.writer = writer;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.maxReferences = maxReferences;
    }

    /** An instruction fetched from {@code ip} starts; its data accesses follow. */
    void instruction(long ip) {
        long p = ip >>> pageShift;
        if (p != page) {
            // An instruction that straddles two pages is charged to the page where it starts.
            writer.event(pending, new TraceEvent.IPage(p << pageShift));
            pending = 0;
            events++;
            page = p;
        }
        pending++;
        instructions++;
    }

    /**
     * A data access of the current instruction.
     *
     * @return whether more references are wanted (false once {@code --max-refs} is reached)
     */
    boolean reference(long address, int size, boolean store) {
        writer.reference(pending, address, size, store);
        pending = 0;
        if (writer.references() >= maxReferences) {
            full = true;
            return false;
        }
        return true;
    }

    /** Writes END and puts the trace in place. */
    void finish() {
        writer.finish(pending);
    }

    long instructions() {
        return instructions;
    }

    long references() {
        return writer.references();
    }

    long events() {
        return events;
    }

    /** Whether conversion stopped at the maximum number of references rather than at the input's end. */
    boolean full() {
        return full;
    }
}
