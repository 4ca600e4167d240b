package org.nestwalk.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.util.LongIntHashMap;

/**
 * A recorded program as the workload: its trace is replayed reference by reference, and its page-table events
 * become the guest's system calls. The trace holds one process; a child it forks runs nothing of its own and exits
 * at once (the trace did not record it), so a fork still shares and then copies pages, as for fork-and-exec.
 */
public final class TraceWorkload implements Workload {
    /** Touched pages closer than this are taken to lie in one mapping when the trace does not say otherwise. */
    private static final long MERGE_GAP_PAGES = 256;

    private final Path file;
    private final List<Region> regions;
    private final long touchedBytes;
    private int children;

    private TraceWorkload(Path file, List<Region> regions, long touchedBytes) {
        this.file = file;
        this.regions = regions;
        this.touchedBytes = touchedBytes;
    }

    /**
     * Reads the trace once to learn which pages it touches: the mappings its program had when the trace began are
     * not in it, so they are taken to be the touched pages, grouped into regions.
     */
    public static TraceWorkload open(Path file) {
        LongIntHashMap seen = new LongIntHashMap(1 << 16);
        long[] pages = new long[1024];
        int count = 0;
        try (TraceReader r = TraceReader.open(file)) {
            int shift = Integer.numberOfTrailingZeros(r.header().pageSize());
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                long first;
                long last;
                if (kind == TraceReader.REFERENCE) {
                    first = r.address();
                    last = r.address() + r.size() - 1;
                } else if (r.event() instanceof TraceEvent.KernelTouch k && k.length() > 0) {
                    // The kernel's accesses become references too (TraceStream), so their pages must be mapped.
                    first = k.address();
                    last = k.address() + Math.min(k.length(), TraceStream.MAX_KERNEL_PAGES << shift) - 1;
                } else {
                    continue;
                }
                if (first < 0 || last >= Region.USER_TOP) {
                    throw new TraceFormatException(file + ": record " + (r.references() + r.events()) + " touches 0x"
                            + Long.toHexString(first) + ", outside user space");
                }
                for (long page = first >>> shift; page <= last >>> shift; page++) {
                    if (!seen.containsKey(page)) {
                        seen.put(page, 1);
                        if (count == pages.length) {
                            pages = Arrays.copyOf(pages, count * 2);
                        }
                        pages[count++] = page;
                    }
                }
            }
            if (r.references() == 0) {
                throw new TraceFormatException(file + ": the trace has no data references");
            }
            return new TraceWorkload(file, coalesce(pages, count, shift), (long) count << shift);
        }
    }

    /** Bytes of the distinct pages the trace touches. */
    public long touchedBytes() {
        return touchedBytes;
    }

    public Path file() {
        return file;
    }

    @Override
    public List<ReferenceStream> initial() {
        return List.of(new TraceStream(TraceReader.open(file), "t0", regions));
    }

    @Override
    public ReferenceStream forked(ReferenceStream parent) {
        return TraceStream.exitAtOnce(parent.name() + ".f" + ++children);
    }

    @Override
    public ReferenceStream spawned(ReferenceStream parent) {
        return TraceStream.exitAtOnce(parent.name() + ".s" + ++children);
    }

    private static List<Region> coalesce(long[] pages, int count, int shift) {
        long[] sorted = Arrays.copyOf(pages, count);
        Arrays.sort(sorted);
        List<Region> out = new ArrayList<>();
        int i = 0;
        while (i < count) {
            long first = sorted[i];
            long last = first;
            while (i + 1 < count && sorted[i + 1] - last <= MERGE_GAP_PAGES) {
                last = sorted[++i];
            }
            i++;
            out.add(new Region(first << shift, (last - first + 1) << shift));
        }
        return List.copyOf(out);
    }
}
