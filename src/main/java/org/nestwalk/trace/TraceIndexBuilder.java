package org.nestwalk.trace;

import static org.nestwalk.trace.TraceIndex.MAX_PAGES;
import static org.nestwalk.trace.TraceIndex.RULES;
import static org.nestwalk.trace.TraceIndex.coalesce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nestwalk.trace.TraceIndex.Extremes;
import org.nestwalk.trace.TraceIndex.Image;
import org.nestwalk.trace.TraceIndex.Pages;
import org.nestwalk.trace.TraceIndex.Process;

/**
 * Learns a trace's index from its records as they are written, in one pass: a set of pages per program image
 * (the data pages and the instruction pages apart), freed as soon as the image is done. It gives up (no index)
 * when the programs touch more than {@link TraceIndex#MAX_PAGES} distinct pages, as a writer must not hold more.
 */
public final class TraceIndexBuilder {
    private final int shift;
    private final long firstPid;
    private final long userTop = RULES.userTop();
    private final Map<Long, List<ImageSets>> processes = new LinkedHashMap<>();
    private final List<Pages> present = new ArrayList<>();
    private long pid;
    private List<ImageSets> images;
    private ImageSets image;
    /** The last data page added to {@code image}: most references fall in the page of the one before. */
    private long lastPage = -1;
    private long pages;
    private long references;
    private long replayed;
    private long maxGap;
    private long maxPresent;
    private boolean outside;
    private boolean abandoned;

    public TraceIndexBuilder(TraceHeader header) {
        this.shift = Integer.numberOfTrailingZeros(header.pageSize());
        this.firstPid = header.pid();
        switchTo(firstPid);
    }

    /** A data reference of {@code size} bytes at {@code address}, {@code gap} instructions after the last record. */
    public void reference(long gap, long address, int size) {
        if (Long.compareUnsigned(gap, maxGap) > 0) {
            maxGap = gap;
        }
        references++;
        replayed++;
        if (address >>> shift == lastPage && (address + size - 1) >>> shift == lastPage) {
            return;
        }
        touch(address, address + size - 1);
    }

    /** An event, {@code gap} instructions after the last record. */
    public void event(long gap, TraceEvent e) {
        if (Long.compareUnsigned(gap, maxGap) > 0) {
            maxGap = gap;
        }
        if (e instanceof TraceEvent.Unknown u && TraceEvent.fieldCount(u.kind()) >= 0) {
            // Written as raw bytes, it is read as the known event its kind names, which the builder cannot see.
            abandon();
        } else if (e instanceof TraceEvent.Switch s) {
            if (s.pid() != pid) {
                switchTo(s.pid());
            }
        } else if (e instanceof TraceEvent.Exec) {
            image.close(this);
            image = new ImageSets();
            images.add(image);
            lastPage = -1;
        } else if (e instanceof TraceEvent.KernelTouch k && k.length() > 0) {
            long first = k.address();
            long last = first + Math.min(k.length(), RULES.kernelTouchPages() << shift) - 1;
            replayed += (last >>> shift) - (first >>> shift) + 1;
            touch(first, last);
        } else if (e instanceof TraceEvent.IPage ip && ip.address() >= 0 && ip.address() < userTop) {
            if (!abandoned && image.code.add(ip.address() >>> shift)) {
                counted(1);
            }
        } else if (e instanceof TraceEvent.Present p && p.length() != 0) {
            if (Long.compareUnsigned(p.length(), maxPresent) > 0) {
                maxPresent = p.length();
            }
            long first = p.address();
            long last = first + p.length() - 1;
            if (!outside(first, last) && pid == firstPid && images.size() == 1 && !abandoned) {
                present.add(new Pages(first >>> shift, (last >>> shift) - (first >>> shift) + 1));
                if (present.size() > MAX_PAGES) {
                    abandon();
                }
            }
            touch(first, last);
        }
    }

    /**
     * The index, after the last record; empty when the builder gave up.
     *
     * @param references data references written (END's count; the builder's own)
     * @param events     events written, END not included
     */
    public Optional<TraceIndex> finish(long references, long events) {
        if (references != this.references) {
            throw new IllegalStateException("the index saw " + this.references + " references, END says "
                    + references);
        }
        if (abandoned) {
            return Optional.empty();
        }
        List<Process> out = new ArrayList<>();
        for (Map.Entry<Long, List<ImageSets>> e : processes.entrySet()) {
            List<Image> done = new ArrayList<>();
            for (ImageSets s : e.getValue()) {
                s.close(this);
                done.add(s.done);
            }
            out.add(new Process(e.getKey(), done));
        }
        return Optional.of(new TraceIndex(shift, firstPid, references, events, replayed,
                new Extremes(maxGap, maxPresent, outside), RULES, present, out));
    }

    private void switchTo(long next) {
        pid = next;
        images = processes.computeIfAbsent(next, p -> new ArrayList<>(List.of(new ImageSets())));
        image = images.get(images.size() - 1);
        lastPage = -1;
    }

    private boolean outside(long first, long last) {
        // Wrapping around counts too: the regions cannot say what a reader makes of it.
        return first < 0 || last >= userTop || last < first;
    }

    /** Data pages {@code first} to {@code last} (byte addresses) of the current image are touched. */
    private void touch(long first, long last) {
        if (outside(first, last)) {
            outside = true;
            return;
        }
        if (abandoned) {
            return;
        }
        long p = first >>> shift;
        long q = last >>> shift;
        if (q - p >= MAX_PAGES) {
            abandon();
            return;
        }
        int added = 0;
        for (long page = p; page <= q; page++) {
            added += image.data.add(page) ? 1 : 0;
        }
        lastPage = q;
        counted(added);
    }

    private void counted(int added) {
        pages += added;
        if (pages > MAX_PAGES) {
            abandon();
        }
    }

    private void abandon() {
        abandoned = true;
        lastPage = -1;
        processes.clear();
        images = new ArrayList<>(List.of(new ImageSets()));
        image = images.get(0);
        present.clear();
    }

    /** The pages one program image touches, until it is done; then its regions and counts. */
    private static final class ImageSets {
        PageSet data = new PageSet();
        PageSet code = new PageSet();
        Image done;

        void close(TraceIndexBuilder b) {
            if (done != null || b.abandoned) {
                return;
            }
            long[] d = data.toArray();
            long[] c = code.toArray();
            long all = d.length;
            for (long page : c) {
                all += data.contains(page) ? 0 : 1;
            }
            done = new Image(d.length, all, coalesce(d, d.length, RULES.mergeGapPages()),
                    coalesce(c, c.length, RULES.mergeGapPages()));
            data = null;
            code = null;
        }
    }

    /**
     * A set of page numbers (non-negative): groups of 64 neighbouring pages, each a bit mask, in an open-addressing
     * table. Programs touch pages in clusters, so a group holds many of them: a gups-like random walk over 512 MiB
     * keeps its 2,048 groups in 64 KiB, where a table of single pages (2 to 4 MiB) missed the caches on every
     * reference and made the writer half as slow again (+10 % now). At worst, one page per group, 32 to 64 bytes a
     * page.
     */
    private static final class PageSet {
        /** group + 1; 0 is empty. */
        private long[] groups = new long[16];
        private long[] masks = new long[16];
        private int used;
        private int size;

        boolean add(long page) {
            long key = (page >>> 6) + 1;
            long bit = 1L << (page & 63);
            int mask = groups.length - 1;
            int i = hash(key) & mask;
            for (long g = groups[i]; g != 0; g = groups[i]) {
                if (g == key) {
                    if ((masks[i] & bit) != 0) {
                        return false;
                    }
                    masks[i] |= bit;
                    size++;
                    return true;
                }
                i = (i + 1) & mask;
            }
            groups[i] = key;
            masks[i] = bit;
            size++;
            if (++used * 2 > groups.length) {
                grow();
            }
            return true;
        }

        boolean contains(long page) {
            long key = (page >>> 6) + 1;
            int mask = groups.length - 1;
            for (int i = hash(key) & mask; groups[i] != 0; i = (i + 1) & mask) {
                if (groups[i] == key) {
                    return (masks[i] & 1L << (page & 63)) != 0;
                }
            }
            return false;
        }

        long[] toArray() {
            long[] out = new long[size];
            int n = 0;
            for (int i = 0; i < groups.length; i++) {
                for (long m = masks[i]; m != 0; m &= m - 1) {
                    out[n++] = (groups[i] - 1) << 6 | Long.numberOfTrailingZeros(m);
                }
            }
            return out;
        }

        private void grow() {
            long[] oldGroups = groups;
            long[] oldMasks = masks;
            groups = new long[oldGroups.length * 2];
            masks = new long[oldGroups.length * 2];
            int mask = groups.length - 1;
            for (int j = 0; j < oldGroups.length; j++) {
                if (oldGroups[j] != 0) {
                    int i = hash(oldGroups[j]) & mask;
                    while (groups[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    groups[i] = oldGroups[j];
                    masks[i] = oldMasks[j];
                }
            }
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ h >>> 32);
        }
    }
}
