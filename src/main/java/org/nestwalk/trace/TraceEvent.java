package org.nestwalk.trace;

/**
 * An event of a trace that changes, or matters to, the program's page tables; see {@code docs/trace-format.md}.
 * Every event has a kind (its number in the format) and its fields in format order.
 */
public sealed interface TraceEvent {
    int MMAP = 1;
    int MUNMAP = 2;
    int MPROTECT = 3;
    int BRK = 4;
    int MREMAP = 5;
    int FORK = 6;
    int EXEC = 7;
    int EXIT = 8;
    int SWITCH = 9;
    int KERNEL_TOUCH = 10;
    int IPAGE = 11;
    int PRESENT = 12;
    int SYSCALL = 13;
    int END = 127;

    /** The kind's number in the format. */
    int kind();

    /** The fields, in format order. */
    long[] fields();

    /** A mapping was created. */
    record Mmap(long address, long length, int prot, int flags) implements TraceEvent {
        public int kind() {
            return MMAP;
        }

        public long[] fields() {
            return new long[] {address, length, prot, flags};
        }
    }

    /** A range was unmapped. */
    record Munmap(long address, long length) implements TraceEvent {
        public int kind() {
            return MUNMAP;
        }

        public long[] fields() {
            return new long[] {address, length};
        }
    }

    /** A range's protection changed. */
    record Mprotect(long address, long length, int prot) implements TraceEvent {
        public int kind() {
            return MPROTECT;
        }

        public long[] fields() {
            return new long[] {address, length, prot};
        }
    }

    /** The heap's end moved. */
    record Brk(long oldBreak, long newBreak) implements TraceEvent {
        public int kind() {
            return BRK;
        }

        public long[] fields() {
            return new long[] {oldBreak, newBreak};
        }
    }

    /** A mapping moved or was resized. */
    record Mremap(long oldAddress, long oldLength, long newAddress, long newLength) implements TraceEvent {
        public int kind() {
            return MREMAP;
        }

        public long[] fields() {
            return new long[] {oldAddress, oldLength, newAddress, newLength};
        }
    }

    /** The current process forked a child with its own (copy-on-write) address space. */
    record Fork(long childPid) implements TraceEvent {
        public int kind() {
            return FORK;
        }

        public long[] fields() {
            return new long[] {childPid};
        }
    }

    /** The current process's address space was replaced by a new program's. */
    record Exec() implements TraceEvent {
        public int kind() {
            return EXEC;
        }

        public long[] fields() {
            return new long[0];
        }
    }

    /** A process exited. */
    record Exit(long pid) implements TraceEvent {
        public int kind() {
            return EXIT;
        }

        public long[] fields() {
            return new long[] {pid};
        }
    }

    /** The records that follow belong to this thread. */
    record Switch(long pid, long tid) implements TraceEvent {
        public int kind() {
            return SWITCH;
        }

        public long[] fields() {
            return new long[] {pid, tid};
        }
    }

    /** The kernel read or wrote user memory inside a system call. */
    record KernelTouch(long address, long length, boolean write) implements TraceEvent {
        public int kind() {
            return KERNEL_TOUCH;
        }

        public long[] fields() {
            return new long[] {address, length, write ? 1 : 0};
        }
    }

    /** Instructions are now fetched from this page. */
    record IPage(long address) implements TraceEvent {
        public int kind() {
            return IPAGE;
        }

        public long[] fields() {
            return new long[] {address};
        }
    }

    /** Pages already present when the trace starts. */
    record Present(long address, long length, boolean writable) implements TraceEvent {
        public int kind() {
            return PRESENT;
        }

        public long[] fields() {
            return new long[] {address, length, writable ? 1 : 0};
        }
    }

    /** A system call boundary. */
    record Syscall(long number) implements TraceEvent {
        public int kind() {
            return SYSCALL;
        }

        public long[] fields() {
            return new long[] {number};
        }
    }

    /** An event of a kind this version does not know; kept so that copying a trace loses nothing. */
    record Unknown(int kind, byte[] payload) implements TraceEvent {
        public long[] fields() {
            return new long[0];
        }
    }

    /** How many fields of a known kind a reader needs, or -1 for an unknown kind. */
    static int fieldCount(int kind) {
        return switch (kind) {
            case MMAP, MREMAP -> 4;
            case MPROTECT, KERNEL_TOUCH, PRESENT -> 3;
            case MUNMAP, BRK, SWITCH, END -> 2;
            case FORK, EXIT, IPAGE, SYSCALL -> 1;
            case EXEC -> 0;
            default -> -1;
        };
    }

    /** The event of {@code kind} with {@code f} as its fields (kind known, fields complete). */
    static TraceEvent of(int kind, long[] f) {
        return switch (kind) {
            case MMAP -> new Mmap(f[0], f[1], (int) f[2], (int) f[3]);
            case MUNMAP -> new Munmap(f[0], f[1]);
            case MPROTECT -> new Mprotect(f[0], f[1], (int) f[2]);
            case BRK -> new Brk(f[0], f[1]);
            case MREMAP -> new Mremap(f[0], f[1], f[2], f[3]);
            case FORK -> new Fork(f[0]);
            case EXEC -> new Exec();
            case EXIT -> new Exit(f[0]);
            case SWITCH -> new Switch(f[0], f[1]);
            case KERNEL_TOUCH -> new KernelTouch(f[0], f[1], f[2] != 0);
            case IPAGE -> new IPage(f[0]);
            case PRESENT -> new Present(f[0], f[1], f[2] != 0);
            case SYSCALL -> new Syscall(f[0]);
            default -> throw new IllegalArgumentException("not an event kind: " + kind);
        };
    }
}
