package org.nestwalk.workload;

import org.nestwalk.random.RandomStreams;

/** Ascending addresses with a fixed stride from a random starting point, wrapping at the end of the footprint. */
final class SequentialStream extends SyntheticStream {
    private final long footprint;
    private final long stride;
    private long offset;

    SequentialStream(WorkloadSpec spec, RandomStreams streams) {
        super(spec, streams);
        this.footprint = spec.footprintBytes();
        this.stride = spec.strideBytes();
        this.offset = addresses.nextLong(footprint >>> 3) << 3;
    }

    @Override
    protected long nextAddress() {
        long va = base + offset;
        offset += stride;
        if (offset >= footprint) {
            offset -= footprint;
        }
        return va;
    }
}
