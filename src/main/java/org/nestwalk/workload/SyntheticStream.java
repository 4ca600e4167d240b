package org.nestwalk.workload;

import java.util.List;
import org.nestwalk.random.RandomStream;
import org.nestwalk.random.RandomStreams;

/**
 * An endless synthetic program: each reference is {@code instructionsPerReference} instructions after the previous
 * one, a store with probability {@code writeFraction}, at an address its {@link AccessPattern} picks inside one
 * region starting at {@link WorkloadSpec#BASE_ADDRESS}. Addresses and the load/store choice come from two separate
 * named streams, so common random numbers stay aligned across configurations.
 */
public abstract class SyntheticStream implements ReferenceStream {
    protected final WorkloadSpec spec;
    protected final long base;
    protected final RandomStream addresses;
    private final RandomStream writes;
    private final Region region;

    protected SyntheticStream(WorkloadSpec spec, RandomStreams streams) {
        this.spec = spec;
        this.base = WorkloadSpec.BASE_ADDRESS;
        this.addresses = streams.stream("workload.addresses");
        this.writes = streams.stream("workload.writes");
        this.region = new Region(base, spec.footprintBytes());
    }

    /** The stream for {@code spec}. */
    public static SyntheticStream of(WorkloadSpec spec, RandomStreams streams) {
        return switch (spec.pattern()) {
            case UNIFORM -> new UniformStream(spec, streams);
            case STREAM -> new SequentialStream(spec, streams);
            case ZIPF -> new ZipfStream(spec, streams);
            case CHASE -> new PointerChaseStream(spec, streams);
        };
    }

    @Override
    public final int fill(ReferenceBuffer buffer) {
        buffer.clear();
        int n = buffer.capacity();
        int instructions = spec.instructionsPerReference();
        double writeFraction = spec.writeFraction();
        byte dependent = dependentFlag();
        boolean anyWrites = writeFraction > 0;
        for (int i = 0; i < n; i++) {
            long va = nextAddress();
            // A conditional expression, not an if: a 30 % coin flip is a branch no predictor can learn.
            byte write = anyWrites && writes.nextDouble() < writeFraction ? ReferenceBuffer.WRITE : 0;
            buffer.add(va, instructions, (byte) (dependent | write));
        }
        return n;
    }

    @Override
    public final List<Region> regions() {
        return List.of(region);
    }

    /** The next address, inside {@code [base, base + footprint)} and 8-byte aligned. */
    protected abstract long nextAddress();

    /** {@link ReferenceBuffer#DEPENDENT} if each reference depends on the previous load. */
    protected byte dependentFlag() {
        return 0;
    }
}
