package org.nestwalk.cpu;

import org.nestwalk.workload.OsEvent;
import org.nestwalk.workload.ReferenceBuffer;

/**
 * The vCPU's front end: where the running process is in its stream of references, and the buffer of records the
 * stream delivers. The core passes the records in program order, each reference after its instruction gap; a
 * squash sends it back to a record it passed, so records the core ran past while a translation was not final stay
 * in the buffer until they can no longer be replayed. On a process switch the position is saved in the process's
 * {@link ExecutionContext}, like the registers a context switch saves.
 */
final class ReferenceCursor {
    private ExecutionContext context;
    private ReferenceBuffer refs;
    private int pos;
    private int len;
    private boolean gapDone;
    /** Numbers the references the core passes, in program order (never reused, not even after a squash). */
    private long seq;

    /** The process whose stream this is, or null when none is left. */
    ExecutionContext context() {
        return context;
    }

    /** Switches to {@code next}'s stream, saving where the current process was. */
    void switchTo(ExecutionContext next) {
        if (context != null) {
            context.position = pos;
            context.length = len;
            context.gapDone = gapDone;
        }
        context = next;
        if (next != null) {
            refs = next.buffer;
            pos = next.position;
            len = next.length;
            gapDone = next.gapDone;
        }
    }

    /** Whether every record in the buffer has been passed. */
    boolean exhausted() {
        return pos == len;
    }

    /** Refills the buffer with the stream's next records; false when the stream has ended, or there is none. */
    boolean refill() {
        if (context == null) {
            // No process on this vCPU (a program with fewer threads than vCPUs): it has nothing to run.
            return false;
        }
        len = context.stream.fill(refs);
        pos = 0;
        return len > 0;
    }

    /**
     * Refills the buffer while the records from {@code keep} on may still be replayed: they move to its front and
     * the stream's next records follow them. False if nothing could be added (the buffer holds only replayable
     * records, or the stream has ended).
     */
    boolean refillKeeping(int keep) {
        if (keep == 0) {
            return false;
        }
        refs.retainFrom(keep);
        int kept = len - keep;
        context.stream.fill(refs);
        refs.releaseRetained();
        len = refs.size();
        pos = kept;
        return len > kept;
    }

    /** Whether the current record's instruction gap has been executed. */
    boolean gapDone() {
        return gapDone;
    }

    /** Instructions before the current record; marks its gap executed. */
    int takeGap() {
        gapDone = true;
        return refs.instructions(pos);
    }

    byte flags() {
        return refs.flags(pos);
    }

    long address() {
        return refs.address(pos);
    }

    OsEvent event() {
        return refs.event(pos);
    }

    /** Position of the current record in the buffer. */
    int position() {
        return pos;
    }

    /** Program-order number of the current reference. */
    long sequence() {
        return seq;
    }

    /** The current reference is done: on to the next record. */
    void passReference() {
        pos++;
        gapDone = false;
        seq++;
    }

    /** The buffer the records are read from (for a loop that passes several at once: {@link #passed}). */
    ReferenceBuffer buffer() {
        return refs;
    }

    /** One past the last record in the buffer. */
    int length() {
        return len;
    }

    /**
     * {@code count} references were passed as {@link #passReference} passes them, and the cursor is now at
     * {@code position}, whose gap is executed if {@code gapTaken}.
     */
    void passed(int count, int position, boolean gapTaken) {
        seq += count;
        pos = position;
        gapDone = gapTaken;
    }

    /** The current record, an OS event, is consumed: the program continues after it. */
    void passEvent() {
        pos++;
        gapDone = false;
    }

    /** Back to the record at {@code position}, whose gap was executed already (a squash). */
    void rewind(int position) {
        pos = position;
        gapDone = true;
    }
}
