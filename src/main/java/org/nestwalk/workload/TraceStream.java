package org.nestwalk.workload;

import java.util.List;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

/**
 * A process of a trace, or one thread of it: its references in order, and its page-table events as the system calls
 * the guest model knows. The process is followed by its pid: records after a SWITCH to another pid belong to another
 * process and are passed over, instructions and all. An EXEC replaces the program (the regions become the next
 * image's); the process's EXIT ends it. Events the model has no counterpart for are passed over, their instructions
 * still counted: thread switches within the process (threads share the address space; the interleaving is the
 * capture tool's, not a scheduler's), instruction pages (no iTLB yet), system-call boundaries, and PRESENT (whose
 * pages the machine maps before the run: {@link #present()}).
 *
 * <p>When its records end without an EXIT (the capture's window closed), a child exits, so that the others go on;
 * the first process's stream simply ends, and with it the run.
 *
 * <p>A thread's stream ({@link #thread}) follows one thread by pid and tid instead: the process's other threads'
 * records are passed over like another process's, so that the thread's own order is kept and the interleaving is
 * left to whoever runs the threads ({@link TraceThreads}). Its end, and the process's EXIT among its records, end
 * the thread alone ({@link OsEvent.Kind#THREAD_EXIT}).
 */
final class TraceStream implements ReferenceStream {
    /** Room kept free in a batch for the records one trace record can expand into. */
    private static final int EXPANSION = 2;
    /** At most this many pages of a kernel access become references (one per page: what faults is the first touch). */
    static final long MAX_KERNEL_PAGES = 1024;
    /** Linux's PROT_WRITE. */
    private static final int PROT_WRITE = 2;

    private final TraceReader reader;
    private final String name;
    /** The process followed. */
    private final long pid;
    /** The thread followed, or -1: every thread of the process. */
    private final long tid;
    /** Whether the records being read are the followed process's (or thread's). */
    private boolean mine;
    /** What the process's end is to the guest: EXIT, or THREAD_EXIT for a thread. */
    private final OsEvent.Kind exitKind;
    /** The regions of each of the process's program images; the one running is {@code image}. */
    private final List<List<Region>> images;
    private int image;
    private final List<Region> present;
    private final boolean exitAtEnd;
    /** Whether instruction-page changes become {@link ReferenceBuffer#FETCH} records (the machine has an iTLB). */
    private final boolean fetches;
    private final int pageShift;
    private boolean ended;
    /** The pid of the last child the process forked, or -1. */
    private long lastChild = -1;
    /** A kernel access still being turned into references, page by page. */
    private long touchNext;
    private long touchEnd;
    private boolean touchWrite;
    /** Instructions before records that were passed over, owed to the next record. */
    private long carry;

    /**
     * @param pid       the process to follow
     * @param images    the regions of each of its program images, in order
     * @param present   the ranges present when the run starts
     * @param exitAtEnd whether the process exits when its records end without an EXIT (a child) or the stream just
     *                  ends (the first process: the run ends with it)
     * @param fetches   whether instruction-page changes become fetch records for the iTLB
     */
    TraceStream(TraceReader reader, String name, long pid, List<List<Region>> images, List<Region> present,
                boolean exitAtEnd, boolean fetches) {
        this(reader, name, pid, -1, images, present, exitAtEnd, OsEvent.Kind.EXIT, fetches);
    }

    private TraceStream(TraceReader reader, String name, long pid, long tid, List<List<Region>> images,
                        List<Region> present, boolean exitAtEnd, OsEvent.Kind exitKind, boolean fetches) {
        this.reader = reader;
        this.name = name;
        this.pid = pid;
        this.tid = tid;
        this.images = images;
        this.present = present;
        this.exitAtEnd = exitAtEnd;
        this.exitKind = exitKind;
        this.fetches = fetches;
        // The records before the first SWITCH are the header's process's, and its main thread's (tid = pid).
        long first = reader == null ? pid : reader.header().pid();
        follow(first, first);
        this.pageShift = reader == null ? 12 : Integer.numberOfTrailingZeros(reader.header().pageSize());
    }

    /**
     * Thread {@code tid} of process {@code pid} (a single program image: a multi-threaded EXEC is refused before),
     * whose end leaves the address space to the other threads.
     */
    static TraceStream thread(TraceReader reader, String name, long pid, long tid, List<Region> regions,
                              List<Region> present, boolean fetches) {
        return new TraceStream(reader, name, pid, tid, List.of(regions), present, true, OsEvent.Kind.THREAD_EXIT,
                fetches);
    }

    /** A process the trace did not record: it exits as soon as it runs. */
    static TraceStream exitAtOnce(String name) {
        return new TraceStream(null, name, -1, List.of(List.of()), List.of(), true, false);
    }

    /** The pid of the last child this process forked, or -1. */
    long lastChild() {
        return lastChild;
    }

    @Override
    public int fill(ReferenceBuffer buffer) {
        buffer.clear();
        if (reader == null) {
            if (!ended) {
                ended = true;
                buffer.addEvent(OsEvent.of(OsEvent.Kind.EXIT), 1);
            }
            return buffer.size();
        }
        while (buffer.size() < buffer.capacity() - EXPANSION && !ended) {
            if (touchNext < touchEnd) {
                buffer.add(touchNext, owed(0), touchWrite ? ReferenceBuffer.WRITE : 0);
                touchNext = (touchNext >>> pageShift) + 1 << pageShift;
                continue;
            }
            if (mine && carry == 0
                    && buffer.addReferences(reader, buffer.capacity() - EXPANSION) > 0) {
                // A run of the process's data references, decoded in bulk: what the branch for a REFERENCE below
                // adds, one at a time.
                continue;
            }
            int kind = reader.next();
            if (kind == TraceReader.END) {
                end(!exitAtEnd ? -1 : mine ? reader.gap() : 0, buffer);
            } else if (!mine) {
                if (kind == TraceReader.EVENT && reader.event() instanceof TraceEvent.Switch s) {
                    follow(s.pid(), s.tid());
                }
            } else if (kind == TraceReader.REFERENCE) {
                buffer.add(reader.address(), owed(reader.gap()), reader.store() ? ReferenceBuffer.WRITE : 0);
            } else if (event(reader.event(), reader.gap(), buffer)) {
                // The guest must handle a FORK or an EXEC before the next records are read: it then asks this
                // stream which child was forked, or what the new image's regions are.
                break;
            }
        }
        return buffer.size();
    }

    /** The records that follow are thread {@code t}'s of process {@code p}. */
    private void follow(long p, long t) {
        mine = p == pid && (tid < 0 || t == tid);
    }

    /** The stream ends; with {@code exitGap} >= 0 the process (or thread) exits after that many instructions. */
    private void end(long exitGap, ReferenceBuffer buffer) {
        ended = true;
        reader.close();
        if (exitGap >= 0) {
            buffer.addEvent(OsEvent.of(exitKind), owed(exitGap));
        }
    }

    /** Turns one of the process's events into what the guest sees; true after a FORK or an EXEC. */
    private boolean event(TraceEvent e, long rawGap, ReferenceBuffer buffer) {
        if (e instanceof TraceEvent.Switch s) {
            // The instructions before the SWITCH ran in the thread it leaves.
            carry += rawGap;
            follow(s.pid(), s.tid());
            return false;
        }
        int gap = owed(rawGap);
        switch (e.kind()) {
            case TraceEvent.MMAP -> {
                TraceEvent.Mmap m = (TraceEvent.Mmap) e;
                mapping(OsEvent.Kind.MMAP, m.address(), m.length(), gap, buffer);
            }
            case TraceEvent.MUNMAP -> {
                TraceEvent.Munmap m = (TraceEvent.Munmap) e;
                mapping(OsEvent.Kind.MUNMAP, m.address(), m.length(), gap, buffer);
            }
            case TraceEvent.BRK -> {
                TraceEvent.Brk b = (TraceEvent.Brk) e;
                if (b.newBreak() > b.oldBreak()) {
                    mapping(OsEvent.Kind.MMAP, b.oldBreak(), b.newBreak() - b.oldBreak(), gap, buffer);
                } else {
                    mapping(OsEvent.Kind.MUNMAP, b.newBreak(), b.oldBreak() - b.newBreak(), gap, buffer);
                }
            }
            case TraceEvent.MREMAP -> {
                // The guest model cannot move pages between ranges: the old range goes, the new one is mapped
                // afresh and its pages fault in again when touched.
                TraceEvent.Mremap m = (TraceEvent.Mremap) e;
                mapping(OsEvent.Kind.MUNMAP, m.oldAddress(), m.oldLength(), gap, buffer);
                mapping(OsEvent.Kind.MMAP, m.newAddress(), m.newLength(), 0, buffer);
            }
            case TraceEvent.MPROTECT -> {
                TraceEvent.Mprotect m = (TraceEvent.Mprotect) e;
                boolean write = (m.prot() & PROT_WRITE) != 0;
                mapping(write ? OsEvent.Kind.WRITE_ENABLE : OsEvent.Kind.WRITE_PROTECT, m.address(), m.length(), gap,
                        buffer);
            }
            case TraceEvent.FORK -> {
                lastChild = ((TraceEvent.Fork) e).childPid();
                buffer.addEvent(OsEvent.of(OsEvent.Kind.FORK), gap);
                return true;
            }
            case TraceEvent.EXEC -> {
                if (image + 1 < images.size()) {
                    image++;
                    buffer.addEvent(OsEvent.of(OsEvent.Kind.EXEC), gap);
                    return true;
                }
                // The trace has nothing of the new program (the capture did not follow it): the process ends.
                end(gap, buffer);
            }
            case TraceEvent.EXIT -> {
                if (((TraceEvent.Exit) e).pid() == pid) {
                    end(gap, buffer);
                } else {
                    carry += gap;
                }
            }
            case TraceEvent.IPAGE -> {
                long page = ((TraceEvent.IPage) e).address();
                if (fetches && page >= 0 && page < Region.USER_TOP) {
                    buffer.add(page, gap, ReferenceBuffer.FETCH);
                } else {
                    carry += gap;
                }
            }
            case TraceEvent.KERNEL_TOUCH -> {
                TraceEvent.KernelTouch k = (TraceEvent.KernelTouch) e;
                carry += gap;
                touchNext = k.address();
                touchEnd = k.address() + Math.min(k.length(), MAX_KERNEL_PAGES << pageShift);
                touchWrite = k.write();
            }
            default -> {
                // No counterpart in the guest model yet; its instructions still ran.
                carry += gap;
            }
        }
        return false;
    }

    /**
     * {@code gap} plus the instructions owed by records passed over, as the int a buffer holds. More is refused, not
     * cut: cutting it would shorten the program's run without a word ({@link TraceWorkload#open} refuses single gaps
     * that large before a run starts).
     */
    private int owed(long gap) {
        long g = gap + carry;
        carry = 0;
        if (g < 0 || g > Integer.MAX_VALUE) {
            throw new org.nestwalk.trace.TraceFormatException(reader.name() + ": process " + pid
                    + (tid < 0 ? "" : " thread " + tid) + ": "
                    + Long.toUnsignedString(g) + " instructions between two of its records, more than the "
                    + Integer.MAX_VALUE + " (2^31 - 1) the simulator replays");
        }
        return (int) g;
    }

    /** An mmap-like event over the whole pages of {@code [address, address + length)}. */
    private void mapping(OsEvent.Kind kind, long address, long length, int gap, ReferenceBuffer buffer) {
        long mask = (1L << pageShift) - 1;
        long base = address & ~mask;
        long end = address + length + mask & ~mask;
        if (end > base && base >= 0) {
            buffer.addEvent(new OsEvent(kind, base, end - base), gap);
        } else {
            carry += gap;
        }
    }

    @Override
    public List<Region> regions() {
        return images.get(image);
    }

    @Override
    public List<Region> present() {
        return present;
    }

    @Override
    public String name() {
        return name;
    }
}
