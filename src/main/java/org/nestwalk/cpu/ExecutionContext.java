package org.nestwalk.cpu;

import org.nestwalk.workload.ReferenceBuffer;
import org.nestwalk.workload.ReferenceStream;

/**
 * The user-level state of a process as the vCPU sees it: where it is in its stream of references. Saved and
 * restored by the vCPU when the guest OS switches processes, like the registers a context switch saves.
 */
public final class ExecutionContext {
    private static final int BATCH = 4096;

    final ReferenceStream stream;
    final ReferenceBuffer buffer = new ReferenceBuffer(BATCH);
    int position;
    int length;
    boolean gapDone;

    public ExecutionContext(ReferenceStream stream) {
        this.stream = stream;
    }

    public ReferenceStream stream() {
        return stream;
    }
}
