package org.nestwalk.workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.random.RandomStreams;

/**
 * The synthetic workload a {@link WorkloadSpec} describes: one long-running program, or, when programs have a
 * lifetime, a driver that keeps {@code concurrency} of them running; programs may fork children. Streams are named
 * by their place in the process tree ("p0", its third forked child "p0.f3", the driver's fifth program "s5"), never
 * by the order the OS happened to create them in, so that replication r of every configuration sees the same
 * numbers.
 */
public final class SyntheticWorkload implements Workload {
    private final WorkloadSpec spec;
    private final RandomStreams streams;
    private final Map<String, Integer> children = new HashMap<>();

    public SyntheticWorkload(WorkloadSpec spec, RandomStreams streams) {
        this.spec = spec;
        this.streams = streams;
    }

    @Override
    public List<ReferenceStream> initial() {
        if (spec.lifetime() > 0) {
            return List.of(new DriverStream(spec.concurrency(), "driver"));
        }
        return List.of(new ProgramStream(spec, "p0", streams));
    }

    @Override
    public ReferenceStream forked(ReferenceStream parent) {
        return new ForkedChildStream(spec, parent.name() + ".f" + next(parent.name() + ".f"), streams);
    }

    @Override
    public ReferenceStream spawned(ReferenceStream parent) {
        return new ProgramStream(spec, "s" + next("s"), streams);
    }

    private int next(String prefix) {
        return children.merge(prefix, 1, Integer::sum);
    }

    /** The single program's stream, for tests and tools that need just references. */
    public static ReferenceStream program(WorkloadSpec spec, RandomStreams streams) {
        return new ProgramStream(spec, "p0", streams);
    }
}
