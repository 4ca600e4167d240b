package org.nestwalk.workload;

import org.nestwalk.random.KeyedPermutation;
import org.nestwalk.random.RandomStreams;

/**
 * Pointer chasing: the footprint's 64-byte lines are linked in one random cycle, and each load reads the address of
 * the next, so no reference can issue before the previous one has returned (memory-level parallelism of one).
 */
final class PointerChaseStream extends SyntheticStream {
    private final KeyedPermutation order;
    private long position;

    PointerChaseStream(WorkloadSpec spec, RandomStreams streams) {
        super(spec, streams);
        this.order = new KeyedPermutation(spec.footprintBytes() >>> 6, addresses);
        this.position = addresses.nextLong(order.size());
    }

    @Override
    protected long nextAddress() {
        long line = order.at(position);
        position = position + 1 == order.size() ? 0 : position + 1;
        return base + (line << 6);
    }

    @Override
    protected byte dependentFlag() {
        return ReferenceBuffer.DEPENDENT;
    }
}
