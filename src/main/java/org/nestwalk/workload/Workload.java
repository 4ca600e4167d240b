package org.nestwalk.workload;

import java.util.List;

/**
 * What runs in the guest: the reference streams of its processes. The guest OS asks for the streams of the processes
 * that run from the start, and, as the programs fork and spawn, for those of the new processes.
 */
public interface Workload {
    /** The processes that exist when the run starts, in order (or the threads of one, if {@link #threaded}). */
    List<ReferenceStream> initial();

    /**
     * Whether {@link #initial} are the threads of one program, sharing one address space (thread i on vCPU i, modulo
     * the vCPUs), rather than programs of their own.
     */
    default boolean threaded() {
        return false;
    }

    /** The stream of the child a process running {@code parent} forks (it continues in a copy of the parent). */
    ReferenceStream forked(ReferenceStream parent);

    /** The stream of the new program a process running {@code parent} starts with SPAWN. */
    ReferenceStream spawned(ReferenceStream parent);
}
