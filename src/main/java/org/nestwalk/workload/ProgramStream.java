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
    /** Each thread's churn goes in a 16 GiB area of its own, so that threads of one address space never collide. */
    private static final long THREAD_CHURN_AREA = 1L << 34;

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
    private final long mprotectEvery;
    private long sinceMprotect;
    /** The page write-protected by the last mprotect, given write permission back at the next event; or -1. */
    private long protectedPage = -1;
    private long churnBase;
    private long churnMapped = -1;
    private long churnTouch = -1;
    private boolean exited;

    ProgramStream(WorkloadSpec spec, String name, RandomStreams streams) {
        this(spec, name, streams, 0, 0);
    }

    /**
     * One thread of a multi-threaded program.
     *
     * @param thread        its index: where its churn mappings go
     * @param mprotectEvery references between two mprotects of a footprint page (0: none)
     */
    ProgramStream(WorkloadSpec spec, String name, RandomStreams streams, int thread, long mprotectEvery) {
        this.spec = spec;
        this.name = name;
        this.mprotectEvery = mprotectEvery;
        this.churnBase = CHURN_BASE + thread * THREAD_CHURN_AREA;
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
                if (buffer.capacity() - buffer.size() < 2) {
                    // A churn round is two records (munmap, mmap); with one slot left (records a squash may replay
                    // fill the rest) it waits for the next fill.
                    break;
                }
                sinceChurn = 0;
                churn(buffer, instructions);
                continue;
            }
            if (protectedPage >= 0) {
                // mprotect(PROT_READ|PROT_WRITE) right after: what is measured is the write-protect's shootdown.
                buffer.addEvent(new OsEvent(OsEvent.Kind.WRITE_ENABLE, protectedPage, 4096), instructions);
                protectedPage = -1;
                continue;
            }
            if (mprotectEvery > 0 && sinceMprotect == mprotectEvery) {
                sinceMprotect = 0;
                protectedPage = footprint.base() + (events.nextLong(spec.footprintBytes() >>> 12) << 12);
                buffer.addEvent(new OsEvent(OsEvent.Kind.WRITE_PROTECT, protectedPage, 4096), instructions);
                continue;
            }
            if (spec.remapEvery() > 0 && sinceRemap == spec.remapEvery()) {
                sinceRemap = 0;
                long page = events.nextLong(spec.footprintBytes() >>> 12) << 12;
                buffer.addEvent(new OsEvent(OsEvent.Kind.REMAP, footprint.base() + page, 4096), instructions);
                continue;
            }
            // References up to the next event, generated without looking at the schedules again.
            long n = Math.min(buffer.capacity() - buffer.size(), untilNextEvent());
            if (churnTouch >= 0) {
                n = Math.min(n, (spec.mmapBytes() - churnTouch) >>> 12);
                touchChurn(buffer, (int) n, instructions);
            } else {
                references(buffer, (int) n, instructions);
            }
            references += n;
            sinceFork += n;
            sinceChurn += n;
            sinceRemap += n;
            sinceMprotect += n;
        }
        return buffer.size();
    }

    /** References until the next event is due (the buffer limits it further). */
    private long untilNextEvent() {
        long n = Long.MAX_VALUE;
        if (spec.lifetime() > 0) {
            n = spec.lifetime() - references;
        }
        if (spec.forkEvery() > 0) {
            n = Math.min(n, spec.forkEvery() - sinceFork);
        }
        if (spec.mmapEvery() > 0) {
            n = Math.min(n, spec.mmapEvery() - sinceChurn);
        }
        if (spec.remapEvery() > 0) {
            n = Math.min(n, spec.remapEvery() - sinceRemap);
        }
        if (mprotectEvery > 0) {
            n = Math.min(n, mprotectEvery - sinceMprotect);
        }
        return n;
    }

    /** {@code n} references of the program's own pattern. */
    private void references(ReferenceBuffer buffer, int n, int instructions) {
        double writeFraction = spec.writeFraction();
        boolean anyWrites = writeFraction > 0;
        byte dependent = pattern.dependentFlag();
        for (int i = 0; i < n; i++) {
            long va = pattern.next();
            // A conditional expression, not an if: a 30 % coin flip is a branch no predictor can learn.
            byte write = anyWrites && writes.nextDouble() < writeFraction ? ReferenceBuffer.WRITE : 0;
            buffer.add(va, instructions, (byte) (dependent | write));
        }
    }

    /** Initialises the new churn mapping, one store per page, like malloc + memset. */
    private void touchChurn(ReferenceBuffer buffer, int n, int instructions) {
        for (int i = 0; i < n; i++) {
            buffer.add(churnMapped + churnTouch, instructions, ReferenceBuffer.WRITE);
            churnTouch += 4096;
        }
        if (churnTouch == spec.mmapBytes()) {
            churnTouch = -1;
        }
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
