package org.nestwalk.workload;

import org.nestwalk.random.RandomStreams;

/** Every 8-byte word of the footprint equally likely (GUPS-like): misses everywhere once the footprint is large. */
final class UniformStream extends SyntheticStream {
    private final long words;

    UniformStream(WorkloadSpec spec, RandomStreams streams) {
        super(spec, streams);
        this.words = spec.footprintBytes() >>> 3;
    }

    @Override
    protected long nextAddress() {
        return base + (addresses.nextLong(words) << 3);
    }
}
