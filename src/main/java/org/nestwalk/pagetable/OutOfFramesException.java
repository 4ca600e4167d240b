package org.nestwalk.pagetable;

/** A physical address space has no free frame left: the workload needs more memory than the machine was given. */
public final class OutOfFramesException extends RuntimeException {
    public OutOfFramesException(String message) {
        super(message);
    }
}
