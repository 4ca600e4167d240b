package org.nestwalk.workload;

import java.util.List;
import org.nestwalk.random.RandomStream;
import org.nestwalk.random.RandomStreams;

/**
 * The child a program forks: it runs in the parent's address space (copy-on-write), makes
 * {@code spec.childReferences()} references following the parent's pattern over the parent's footprint, and exits.
 */
final class ForkedChildStream implements ReferenceStream {
    private final WorkloadSpec spec;
    private final String name;
    private final AddressPattern pattern;
    private final RandomStream writes;
    private long references;
    private boolean exited;

    ForkedChildStream(WorkloadSpec spec, String name, RandomStreams streams) {
        this.spec = spec;
        this.name = name;
        this.pattern = AddressPattern.of(spec, WorkloadSpec.BASE_ADDRESS, streams.stream(name + ".addresses"));
        this.writes = streams.stream(name + ".writes");
    }

    @Override
    public int fill(ReferenceBuffer buffer) {
        buffer.clear();
        if (exited) {
            return 0;
        }
        int instructions = spec.instructionsPerReference();
        byte dependent = pattern.dependentFlag();
        while (!buffer.isFull()) {
            if (references == spec.childReferences()) {
                buffer.addEvent(OsEvent.of(OsEvent.Kind.EXIT), instructions);
                exited = true;
                break;
            }
            byte write = writes.nextDouble() < spec.writeFraction() ? ReferenceBuffer.WRITE : 0;
            buffer.add(pattern.next(), instructions, (byte) (dependent | write));
            references++;
        }
        return buffer.size();
    }

    @Override
    public List<Region> regions() {
        return List.of();
    }

    @Override
    public String name() {
        return name;
    }
}
