package org.nestwalk.hypervisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When agile paging moves a guest page-table page between shadow and nested mode (Gandhi, Basu, Hill and Swift,
 * ISCA 2016): the hypervisor shadows a page until the guest writes it often, and nests it until it goes quiet.
 * <ul>
 * <li>Shadow to nested: the {@code writesToNested}-th write to a shadowed page the hypervisor traps within one
 * interval moves the page, and with it everything below it, to nested mode: from then on the guest writes it
 * without exits, and walks switch to the nested walk at it.</li>
 * <li>Nested to shadow: at the end of an interval, a nested page the guest has not written since the previous end
 * goes back to shadow mode (the hypervisor learns of the writes from the dirty bit of the nested entry that maps the
 * page, which it reads and clears). The write that moved a page counts, so a page stays nested for the rest of the
 * interval it moved in and the whole next one.</li>
 * </ul>
 * An interval ends each time the hypervisor takes a guest CR3 write that switches to the process (a context switch,
 * the start of an exec), a point where it has control anyway, about once per time slice (assumed: the paper's VMM
 * scans at an interval of its own choosing). The CR3 reloads of full TLB flushes do not end it: one right before a
 * switch would end an interval no write had time to fall into. Counts per process; pages are guest-physical
 * page-table page addresses.
 */
final class AgilePolicy {
    private final int writesToNested;
    // Trapped writes to shadowed pages in this interval; nested pages, and those written since the last check.
    private final Map<Long, Integer> trapped = new LinkedHashMap<>();
    private final Set<Long> nested = new LinkedHashSet<>();
    private final Set<Long> written = new LinkedHashSet<>();
    private long toNested;
    private long toShadow;

    /** @param writesToNested trapped writes to a shadowed page within one interval that move it to nested mode */
    AgilePolicy(int writesToNested) {
        if (writesToNested < 1) {
            throw new IllegalArgumentException("at least one write moves a page to nested mode, not "
                    + writesToNested);
        }
        this.writesToNested = writesToNested;
    }

    /** Whether {@code page} is in nested mode (a page below it is too, without being named here). */
    boolean nested(long page) {
        return nested.contains(page);
    }

    /** The pages in nested mode, in the order they went there. */
    List<Long> nestedPages() {
        return List.copyOf(nested);
    }

    /** The hypervisor trapped a write to shadowed {@code page}: whether the page goes to nested mode now. */
    boolean trappedWrite(long page) {
        int n = trapped.merge(page, 1, Integer::sum);
        if (n < writesToNested) {
            return false;
        }
        trapped.remove(page);
        nested.add(page);
        // The write that moved it counts: the page stays nested at least until the end of the next interval.
        written.add(page);
        toNested++;
        return true;
    }

    /** The guest wrote (without an exit) the nested page {@code page}, or a page below it. */
    void nestedWrite(long page) {
        written.add(page);
    }

    /**
     * The interval ends: returns the nested pages not written since the previous end, which go back to shadow mode
     * now, and starts a new interval (trapped writes counted afresh, dirty bits cleared).
     */
    List<Long> endInterval() {
        List<Long> quiet = new ArrayList<>();
        for (long page : nested) {
            if (!written.contains(page)) {
                quiet.add(page);
            }
        }
        quiet.forEach(nested::remove);
        toShadow += quiet.size();
        written.clear();
        trapped.clear();
        return quiet;
    }

    /** {@code page} starts in nested mode (a new address space, started nested): for one interval at least. */
    void nestedFromStart(long page) {
        nested.add(page);
        written.add(page);
    }

    /** {@code page} is nested mode no longer without a switch (a page above it went nested: it is covered). */
    void forget(long page) {
        nested.remove(page);
        written.remove(page);
        trapped.remove(page);
    }

    /** Pages moved from shadow to nested mode so far. */
    long toNested() {
        return toNested;
    }

    /** Pages moved from nested back to shadow mode so far. */
    long toShadow() {
        return toShadow;
    }
}
