package org.nestwalk.workload;

import java.util.List;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceReader;

/**
 * A process of a trace: its references in order, and its page-table events as the system calls the guest model
 * knows. Events the model has no counterpart for are passed over, their instructions still counted: exec (the
 * capture ends there), thread switches (threads share the address space; the interleaving is the capture tool's,
 * not a scheduler's), instruction pages (no iTLB yet) and system-call boundaries.
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
    private final List<Region> regions;
    private final int pageShift;
    private boolean ended;
    /** A kernel access still being turned into references, page by page. */
    private long touchNext;
    private long touchEnd;
    private boolean touchWrite;
    /** Instructions before records that were passed over, owed to the next record. */
    private long carry;

    TraceStream(TraceReader reader, String name, List<Region> regions) {
        this.reader = reader;
        this.name = name;
        this.regions = regions;
        this.pageShift = reader == null ? 12 : Integer.numberOfTrailingZeros(reader.header().pageSize());
    }

    /** A process the trace did not record: it exits as soon as it runs. */
    static TraceStream exitAtOnce(String name) {
        return new TraceStream(null, name, List.of());
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
            int kind = reader.next();
            int gap = owed(reader.gap());
            if (kind == TraceReader.REFERENCE) {
                buffer.add(reader.address(), gap, reader.store() ? ReferenceBuffer.WRITE : 0);
            } else if (kind == TraceReader.END) {
                ended = true;
                reader.close();
            } else {
                event(reader.event(), gap, buffer);
            }
        }
        return buffer.size();
    }

    private void event(TraceEvent e, int gap, ReferenceBuffer buffer) {
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
            case TraceEvent.FORK -> buffer.addEvent(OsEvent.of(OsEvent.Kind.FORK), gap);
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
    }

    /** {@code gap} plus the instructions owed by records passed over, as the int a buffer holds. */
    private int owed(long gap) {
        long g = gap + carry;
        carry = 0;
        return (int) Math.min(g, Integer.MAX_VALUE);
    }

    /** An mmap-like event over the whole pages of {@code [address, address + length)}. */
    private void mapping(OsEvent.Kind kind, long address, long length, int gap, ReferenceBuffer buffer) {
        long mask = (1L << pageShift) - 1;
        long base = address & ~mask;
        long end = address + length + mask & ~mask;
        if (end > base && base >= 0) {
            buffer.addEvent(new OsEvent(kind, base, end - base), gap);
        }
    }

    @Override
    public List<Region> regions() {
        return regions;
    }

    @Override
    public String name() {
        return name;
    }
}
