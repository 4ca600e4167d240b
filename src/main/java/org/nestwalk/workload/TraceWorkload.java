package org.nestwalk.workload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nestwalk.config.ConfigException;
import org.nestwalk.config.Parameter;
import org.nestwalk.trace.TraceEvent;
import org.nestwalk.trace.TraceFormatException;
import org.nestwalk.trace.TraceHeader;
import org.nestwalk.trace.TraceIndex;
import org.nestwalk.trace.TraceReader;
import org.nestwalk.util.LongIntHashMap;
import org.tinylog.Logger;

/**
 * A recorded program as the workload: its trace is replayed reference by reference, and its page-table events
 * become the guest's system calls.
 *
 * <p>A trace may hold several processes (a capture that followed children): a process is followed by its pid
 * through the trace's SWITCH events, and its program images (one per EXEC) one after another. The first process
 * runs from the start; a child starts when its parent's FORK runs, and replays its own records if the trace has
 * any, or else exits at once (the capture did not follow it), so a fork still shares and then copies pages, as for
 * fork-and-exec.
 *
 * <p>A process's threads are replayed in the order the capture serialized them, as one stream; {@link TraceThreads}
 * replays the first process's threads one stream each instead ({@code workload.traceThreads=per-vcpu}).
 */
public final class TraceWorkload implements Workload {
    /** Touched pages closer than this are taken to lie in one mapping when the trace does not say otherwise. */
    private static final long MERGE_GAP_PAGES = 256;
    /** The rules this class makes regions and counts by; a trace's index made by others is not used. */
    static final TraceIndex.Rules RULES = new TraceIndex.Rules(MERGE_GAP_PAGES, TraceStream.MAX_KERNEL_PAGES,
            Region.USER_TOP);

    private final Path file;
    private final long firstPid;
    /** For each pid with records, the regions of each of its program images, in order. */
    private final Map<Long, List<List<Region>>> images;
    /** The ranges the trace says were present when it began (PRESENT records of the first process). */
    private final List<Region> present;
    private final long touchedBytes;
    private final long references;
    /** Whether the streams give instruction fetches to an iTLB. */
    private final boolean fetches;
    private int children;

    private TraceWorkload(Path file, long firstPid, Map<Long, List<List<Region>>> images, List<Region> present,
                          long touchedBytes, long references, boolean fetches) {
        this.file = file;
        this.firstPid = firstPid;
        this.images = images;
        this.present = present;
        this.touchedBytes = touchedBytes;
        this.references = references;
        this.fetches = fetches;
    }

    /** The pages one program image of one process touches. */
    private static final class Touched {
        final LongIntHashMap seen = new LongIntHashMap(1 << 10);
        long[] pages = new long[64];
        int count;

        void add(long page) {
            if (!seen.containsKey(page)) {
                seen.put(page, 1);
                if (count == pages.length) {
                    pages = Arrays.copyOf(pages, count * 2);
                }
                pages[count++] = page;
            }
        }
    }

    /**
     * Learns which pages each process image touches: the mappings a program had when the trace began (or that the
     * trace did not record) are not in it, so they are taken to be the touched pages, grouped into regions. What the
     * trace asks of the machine is bounded by {@code memoryBytes}, the VM's memory ({@code memory.guest}): a PRESENT
     * range, or a program image's distinct pages, larger than that is refused in one line before it can exhaust the
     * simulator's heap (a PRESENT of 2^44 bytes grew a run to 3.7 GB). So is a gap between two records above what
     * the simulator replays (2^31 - 1 instructions), which it used to cut silently.
     *
     * <p>A trace nestwalk wrote ends with an index of what this needs ({@link TraceIndex}), read instead of the
     * records: the regions, counts and refusals are those reading the records gives ({@link #scan}). A trace
     * without one (older, or written by another tool), or whose index is damaged (one line of warning), is read
     * whole; so is one the index says will be refused, for the refusal to name the record.
     */
    public static TraceWorkload open(Path file, long memoryBytes) {
        return open(file, memoryBytes, false);
    }

    /**
     * As {@link #open(Path, long)}; with {@code fetches}, instruction-page changes become fetch records for an iTLB,
     * and the pages instructions are fetched from count as touched (mapped) too.
     */
    public static TraceWorkload open(Path file, long memoryBytes, boolean fetches) {
        TraceHeader header;
        try (TraceReader r = TraceReader.open(file)) {
            header = r.header();
        }
        TraceIndex index = null;
        try {
            index = TraceIndex.read(file, header).orElse(null);
        } catch (TraceFormatException e) {
            Logger.warn(e.getMessage() + "; reading the whole trace instead");
        }
        TraceWorkload indexed = index == null ? null : fromIndex(file, index, memoryBytes, fetches);
        return indexed != null ? indexed : scan(file, memoryBytes, fetches);
    }

    /**
     * The workload {@link #scan} would give, from the trace's index; null when the index cannot tell (it was made by
     * other rules), or says the trace will be refused, which {@link #scan} does naming the record.
     */
    static TraceWorkload fromIndex(Path file, TraceIndex index, long memoryBytes, boolean fetches) {
        TraceIndex.Extremes x = index.extremes();
        if (!index.rules().equals(RULES) || index.references() == 0 || x.outsideUserSpace()
                || Long.compareUnsigned(x.maxGap(), Integer.MAX_VALUE) > 0
                || Long.compareUnsigned(x.maxPresentLength(), memoryBytes) > 0) {
            return null;
        }
        int shift = index.pageShift();
        Map<Long, List<List<Region>>> images = new HashMap<>();
        long bytes = 0;
        for (TraceIndex.Process p : index.processes()) {
            List<List<Region>> regions = new ArrayList<>();
            for (TraceIndex.Image image : p.images()) {
                // The instruction pages count only with an iTLB; coalesced apart, they join the data's regions here
                // as if coalesced together (TraceIndex.merge).
                long pages = fetches ? image.allPages() : image.dataPages();
                if (pages << shift > memoryBytes) {
                    return null;
                }
                regions.add(regions(fetches ? TraceIndex.merge(image.data(), image.code(), MERGE_GAP_PAGES)
                        : image.data(), shift));
                bytes += pages << shift;
            }
            images.put(p.pid(), List.copyOf(regions));
        }
        return new TraceWorkload(file, index.firstPid(), Map.copyOf(images), regions(index.present(), shift), bytes,
                index.replayed(), fetches);
    }

    private static List<Region> regions(List<TraceIndex.Pages> pages, int shift) {
        List<Region> out = new ArrayList<>(pages.size());
        for (TraceIndex.Pages p : pages) {
            out.add(new Region(p.first() << shift, p.count() << shift));
        }
        return List.copyOf(out);
    }

    /** Reads the whole trace to learn what {@link #open} needs: for traces without an index. */
    static TraceWorkload scan(Path file, long memoryBytes, boolean fetches) {
        Map<Long, List<Touched>> touched = new HashMap<>();
        List<Region> present = new ArrayList<>();
        long replayed = 0;
        try (TraceReader r = TraceReader.open(file)) {
            int shift = Integer.numberOfTrailingZeros(r.header().pageSize());
            long pid = r.header().pid();
            List<Touched> process = touched.computeIfAbsent(pid, p -> new ArrayList<>(List.of(new Touched())));
            for (int kind = r.next(); kind != TraceReader.END; kind = r.next()) {
                if (r.gap() < 0 || r.gap() > Integer.MAX_VALUE) {
                    throw new TraceFormatException(String.format(java.util.Locale.ROOT, "%s: record %,d: a gap of %s"
                            + " instructions since the previous record; the simulator replays at most %,d"
                            + " (2^31 - 1) between two records", file, r.references() + r.events(),
                            Long.toUnsignedString(r.gap()), Integer.MAX_VALUE));
                }
                long first;
                long last;
                if (kind == TraceReader.REFERENCE) {
                    first = r.address();
                    last = r.address() + r.size() - 1;
                    replayed++;
                } else if (fetches && r.event() instanceof TraceEvent.IPage ip && ip.address() >= 0
                        && ip.address() < Region.USER_TOP) {
                    // Instructions are fetched from it: the code page must be mapped like a data page.
                    first = ip.address();
                    last = first;
                } else if (r.event() instanceof TraceEvent.KernelTouch k && k.length() > 0) {
                    // The kernel's accesses become references too (TraceStream), so their pages must be mapped.
                    first = k.address();
                    last = k.address() + Math.min(k.length(), TraceStream.MAX_KERNEL_PAGES << shift) - 1;
                    replayed += (last >>> shift) - (first >>> shift) + 1;
                } else if (r.event() instanceof TraceEvent.Present p && p.length() != 0) {
                    if (Long.compareUnsigned(p.length(), memoryBytes) > 0) {
                        throw new ConfigException(String.format(java.util.Locale.ROOT, "%s: record %,d: PRESENT "
                                + "says %s bytes were present, more than the VM's memory (memory.guest = %s): the "
                                + "trace is damaged, or the machine needs more memory", file,
                                r.references() + r.events(), Long.toUnsignedString(p.length()),
                                Parameter.bytes(memoryBytes)));
                    }
                    // Present pages are mapped pages; those of the first program are faulted in before the run.
                    first = p.address();
                    last = p.address() + p.length() - 1;
                    if (pid == r.header().pid() && process.size() == 1 && first >= 0 && last < Region.USER_TOP
                            && last >= first) {
                        long mask = (1L << shift) - 1;
                        present.add(new Region(first & ~mask, (last | mask) + 1 - (first & ~mask)));
                    }
                } else {
                    if (r.event() instanceof TraceEvent.Switch s && s.pid() != pid) {
                        pid = s.pid();
                        process = touched.computeIfAbsent(pid, p -> new ArrayList<>(List.of(new Touched())));
                    } else if (r.event() instanceof TraceEvent.Exec) {
                        process.add(new Touched());
                    }
                    continue;
                }
                // A last byte past 2^63 - 1 wraps to a negative address: outside user space too.
                if (first < 0 || last >= Region.USER_TOP || last < first) {
                    throw new TraceFormatException(file + ": record " + (r.references() + r.events()) + " touches 0x"
                            + Long.toHexString(first) + ", outside user space");
                }
                Touched image = process.get(process.size() - 1);
                for (long page = first >>> shift; page <= last >>> shift; page++) {
                    image.add(page);
                }
                if ((long) image.count << shift > memoryBytes) {
                    throw new ConfigException(String.format(java.util.Locale.ROOT, "%s: by record %,d a program of "
                            + "the trace has touched more than the VM's memory (memory.guest = %s); give the "
                            + "machine more memory", file, r.references() + r.events(), Parameter.bytes(memoryBytes)));
                }
            }
            if (r.references() == 0) {
                throw new TraceFormatException(file + ": the trace has no data references");
            }
            Map<Long, List<List<Region>>> images = new HashMap<>();
            long bytes = 0;
            for (Map.Entry<Long, List<Touched>> e : touched.entrySet()) {
                List<List<Region>> regions = new ArrayList<>();
                for (Touched t : e.getValue()) {
                    regions.add(coalesce(t.pages, t.count, shift));
                    bytes += (long) t.count << shift;
                }
                images.put(e.getKey(), List.copyOf(regions));
            }
            return new TraceWorkload(file, r.header().pid(), Map.copyOf(images), List.copyOf(present), bytes,
                    replayed, fetches);
        }
    }

    /**
     * The references a run can replay from the trace: its data references and the pages of the kernel's accesses
     * (which become references), of every process. A run ends with the first process's records, so it may replay
     * fewer when children's records remain.
     */
    public long references() {
        return references;
    }

    /** Bytes of the distinct pages the trace touches (each process image's counted on its own). */
    public long touchedBytes() {
        return touchedBytes;
    }

    public Path file() {
        return file;
    }

    /** The processes the trace holds records of. */
    public int processes() {
        return images.size();
    }

    /** The pid of the trace's first process (the header's). */
    long firstPid() {
        return firstPid;
    }

    /** The regions of each program image of process {@code pid}, in order; null if the trace has no records of it. */
    List<List<Region>> images(long pid) {
        return images.get(pid);
    }

    /** The ranges present when the trace began (the first process's). */
    List<Region> present() {
        return present;
    }

    /** Whether the streams give instruction fetches to an iTLB. */
    boolean fetches() {
        return fetches;
    }

    @Override
    public List<ReferenceStream> initial() {
        return List.of(new TraceStream(TraceReader.open(file), "t0", firstPid, images.get(firstPid), present,
                false, fetches));
    }

    @Override
    public ReferenceStream forked(ReferenceStream parent) {
        String name = parent.name() + ".f" + ++children;
        long pid = parent instanceof TraceStream t ? t.lastChild() : -1;
        List<List<Region>> regions = images.get(pid);
        if (regions == null || pid == firstPid) {
            return TraceStream.exitAtOnce(name);
        }
        return new TraceStream(TraceReader.open(file), name, pid, regions, List.of(), true, fetches);
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
