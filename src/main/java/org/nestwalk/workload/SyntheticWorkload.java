package org.nestwalk.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.random.RandomStreams;

/**
 * The synthetic workload a {@link WorkloadSpec} describes: one long-running program, or, when programs have a
 * lifetime, a driver that keeps {@code concurrency} of them running; programs may fork children. Streams are named
 * by their place in the process tree ("p0", its third forked child "p0.f3", the driver's fifth program "s5"), never
 * by the order the OS happened to create them in, so that replication r of every configuration sees the same
 * numbers. Each copy of the workload (one per vCPU) prefixes its names with its own, so that copies draw from
 * streams of their own; the first copy's names are unprefixed.
 */
public final class SyntheticWorkload implements Workload {
    private final WorkloadSpec spec;
    private final RandomStreams streams;
    private final Map<String, Integer> children = new HashMap<>();
    private final String prefix;
    private final int threads;
    private final long mprotectEvery;

    public SyntheticWorkload(WorkloadSpec spec, RandomStreams streams) {
        this(spec, streams, "");
    }

    /** @param prefix what this copy's stream names begin with ("" for the first copy) */
    public SyntheticWorkload(WorkloadSpec spec, RandomStreams streams, String prefix) {
        this(spec, streams, prefix, 0, 0);
    }

    /**
     * @param threads       threads of one program sharing its address space ({@link #threaded}), each with streams
     *                      of its own ("t0", "t1", ...); 0: one program
     * @param mprotectEvery references between two mprotects of a footprint page by each thread (0: none)
     */
    public SyntheticWorkload(WorkloadSpec spec, RandomStreams streams, String prefix, int threads,
                             long mprotectEvery) {
        if (threads > 0 && (spec.lifetime() > 0 || spec.forkEvery() > 0)) {
            throw new IllegalArgumentException("the threads of a program neither exit nor fork");
        }
        this.spec = spec;
        this.streams = streams;
        this.prefix = prefix;
        this.threads = threads;
        this.mprotectEvery = mprotectEvery;
    }

    @Override
    public boolean threaded() {
        return threads > 0;
    }

    @Override
    public List<ReferenceStream> initial() {
        if (threads > 0) {
            List<ReferenceStream> l = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                l.add(new ProgramStream(spec, prefix + "t" + t, streams, t, mprotectEvery));
            }
            return l;
        }
        if (mprotectEvery > 0) {
            return List.of(new ProgramStream(spec, prefix + "p0", streams, 0, mprotectEvery));
        }
        if (spec.lifetime() > 0) {
            return List.of(new DriverStream(spec.concurrency(), prefix + "driver"));
        }
        return List.of(new ProgramStream(spec, prefix + "p0", streams));
    }

    /**
     * A forked child makes {@code childReferences} references with its parent's pattern over its parent's footprint
     * (which it shares copy-on-write) and exits; it neither forks nor churns itself.
     */
    @Override
    public ReferenceStream forked(ReferenceStream parent) {
        WorkloadSpec child = new WorkloadSpec(spec.name(), spec.pattern(), spec.footprintBytes(), spec.writeFraction(),
                spec.instructionsPerReference(), spec.strideBytes(), spec.zipfExponent(), false,
                Math.max(1, spec.childReferences()), 1, 0, 0, 0, 0, 0);
        return new ProgramStream(child, parent.name() + ".f" + next(parent.name() + ".f"), streams);
    }

    @Override
    public ReferenceStream spawned(ReferenceStream parent) {
        return new ProgramStream(spec, prefix + "s" + next("s"), streams);
    }

    private int next(String prefix) {
        return children.merge(prefix, 1, Integer::sum);
    }

    /** The single program's stream, for tests and tools that need just references. */
    public static ReferenceStream program(WorkloadSpec spec, RandomStreams streams) {
        return new ProgramStream(spec, "p0", streams);
    }
}
