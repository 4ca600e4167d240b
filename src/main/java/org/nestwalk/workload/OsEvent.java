package org.nestwalk.workload;

/**
 * Something a program asks of the operating system at a point of its execution, between two references: what
 * changes page tables and address spaces.
 *
 * @param kind    what is asked
 * @param address start of the virtual range concerned (mmap, munmap, remap, write-protect, write-enable)
 * @param length  its length in bytes
 */
public record OsEvent(Kind kind, long address, long length) {
    /** The system calls and kernel actions the model knows. */
    public enum Kind {
        /** Map an anonymous range (pages appear on first touch). */
        MMAP,
        /** Unmap a range: its page-table entries are cleared and its TLB entries invalidated. */
        MUNMAP,
        /** Duplicate the process: the child shares its pages copy-on-write. */
        FORK,
        /** Start a new program as a child process, with an address space of its own (fork + exec). */
        SPAWN,
        /** Block until a child process exits. */
        WAIT,
        /** End the process: its address space is torn down. */
        EXIT,
        /**
         * End one thread of a multi-threaded program: it leaves its vCPU, and the address space stays as it is, for
         * the program's other threads (and, after the last, as the run leaves it: a replayed trace's threads stop
         * where the capture's window closed, which is not the program's exit).
         */
        THREAD_EXIT,
        /**
         * Replace the process's program (execve): its address space is torn down and a new one starts with the
         * regions its stream then names ({@link ReferenceStream#regions()}).
         */
        EXEC,
        /** Move a live page to another frame (migration, compaction): its mapping changes under the program. */
        REMAP,
        /** Take write permission away from a range (mprotect without PROT_WRITE): its entries become read-only. */
        WRITE_PROTECT,
        /** Give write permission back to a range (mprotect with PROT_WRITE). */
        WRITE_ENABLE
    }

    public static OsEvent of(Kind kind) {
        return new OsEvent(kind, 0, 0);
    }
}
