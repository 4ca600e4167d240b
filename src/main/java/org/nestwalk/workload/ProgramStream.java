package org.nestwalk.workload;

import java.util.List;
import org.nestwalk.random.RandomStream;
import org.nestwalk.random.RandomStreams;

/**
 * A synthetic program: references following its {@link AccessPattern} over its footprint, each a store with
 * probability {@code writeFraction}, {@code instructionsPerReference} instructions apart; and, at the rates the spec
 * gives, the OS activity that shadow paging pays for: forks, mmap/munmap churn (allocate a range, touch every page,
 * free it at the next churn), remaps of live pages, and an exit after its lifetime. Every process of a workload has
 * its own named random streams, so common random numbers stay aligned whatever the other processes do.
 */
final class ProgramStream implements ReferenceStream {
    /** Where churn mappings go: the top of the user address space, away from the footprint. */
    static final long CHURN_BASE = 0x7e00_0000_0000L;

    private final WorkloadSpec spec;
    private final String name;
    private final AddressPattern pattern;
    private final RandomStream writes;
    private final RandomStream events;
    private final Region footprint;
    private long references;
    private long sinceFork;
    private long sinceChurn;
    private long sinceRemap;
    private long churnBase = CHURN_BASE;
    private long churnMapped = -1;
    private long churnTouch = -1;
    private boolean exited;

    ProgramStream(WorkloadSpec spec, String name, RandomStreams streams) {
        this.spec = spec;
        this.name = name;
        this.pattern = AddressPattern.of(spec, WorkloadSpec.BASE_ADDRESS, streams.stream(name + ".addresses"));
        this.writes = streams.stream(name + ".writes");
        this.events = streams.stream(name + ".events");
        this.footprint = new Region(WorkloadSpec.BASE_ADDRESS, spec.footprintBytes());
    }

    @Override
    public int fill(ReferenceBuffer buffer) {
        buffer.clear();
        if (exited) {
            return 0;
        }
        int instructions = spec.instructionsPerReference();
        double writeFraction = spec.writeFraction();
        boolean anyWrites = writeFraction > 0;
        byte dependent = pattern.dependentFlag();
        while (!buffer.isFull()) {
            if (spec.lifetime() > 0 && references == spec.lifetime()) {
                buffer.addEvent(OsEvent.of(OsEvent.Kind.EXIT), instructions);
                exited = true;
                break;
            }
            if (spec.forkEvery() > 0 && sinceFork == spec.forkEvery()) {
                sinceFork = 0;
                buffer.addEvent(OsEvent.of(OsEvent.Kind.FORK), instructions);
                continue;
            }
            if (spec.mmapEvery() > 0 && sinceChurn == spec.mmapEvery()) {
                sinceChurn = 0;
                churn(buffer, instructions);
                continue;
            }
            if (spec.remapEvery() > 0 && sinceRemap == spec.remapEvery()) {
                sinceRemap = 0;
                long page = events.nextLong(spec.footprintBytes() >>> 12) << 12;
                buffer.addEvent(new OsEvent(OsEvent.Kind.REMAP, footprint.base() + page, 4096), instructions);
                continue;
            }
            long va;
            if (churnTouch >= 0) {
                // Initialise the new mapping, one store per page, like malloc + memset.
                va = churnMapped + churnTouch;
                churnTouch += 4096;
                if (churnTouch == spec.mmapBytes()) {
                    churnTouch = -1;
                }
                buffer.add(va, instructions, ReferenceBuffer.WRITE);
            } else {
                va = pattern.next();
                // A conditional expression, not an if: a 30 % coin flip is a branch no predictor can learn.
                byte write = anyWrites && writes.nextDouble() < writeFraction ? ReferenceBuffer.WRITE : 0;
                buffer.add(va, instructions, (byte) (dependent | write));
            }
            references++;
            sinceFork++;
            sinceChurn++;
            sinceRemap++;
        }
        return buffer.size();
    }

    /** Frees the previous churn mapping, maps a new one and starts touching it. */
    private void churn(ReferenceBuffer buffer, int instructions) {
        if (churnMapped >= 0) {
            buffer.addEvent(new OsEvent(OsEvent.Kind.MUNMAP, churnMapped, spec.mmapBytes()), instructions);
        }
        churnMapped = churnBase;
        churnBase += spec.mmapBytes() + (1L << 21);
        buffer.addEvent(new OsEvent(OsEvent.Kind.MMAP, churnMapped, spec.mmapBytes()), instructions);
        churnTouch = 0;
    }

    @Override
    public List<Region> regions() {
        return List.of(footprint);
    }

    @Override
    public String name() {
        return name;
    }

    WorkloadSpec spec() {
        return spec;
    }
}
