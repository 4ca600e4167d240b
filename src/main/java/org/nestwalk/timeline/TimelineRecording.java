package org.nestwalk.timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.nestwalk.cpu.ExitCause;
import org.nestwalk.cpu.HandlerWork;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;

/**
 * A timeline of the measured interval of one run, bounded: it records events from the start of the interval until
 * {@code limit} events are held, then only counts what it leaves out, so that a long run cannot fill memory or disk.
 * Handler work is cut into one event per stretch of steps charged to the same account: guest-OS work on the
 * {@code guest-os} lane, and one event per VM exit (the exit, its handler and its references) on the
 * {@code hypervisor} lane. A speculative walk is a {@code walk} event up to its speculation and a
 * {@code verification} event after it, on the walker's lane.
 */
public final class TimelineRecording implements Timeline {
    /** The lanes, top to bottom; DRAM banks follow. */
    public static final List<String> LANES = List.of("vcpu", "guest-os", "hypervisor", "walker");

    private final int limit;
    private final List<TimelineEvent> events = new ArrayList<>();
    private boolean open;
    private long left;
    private long intervalStart = -1;
    private long intervalEnd = -1;

    /** @param limit the most events to keep (at least 1) */
    public TimelineRecording(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a timeline must be able to hold at least one event");
        }
        this.limit = limit;
    }

    @Override
    public void intervalStarted(long time) {
        open = true;
        intervalStart = time;
    }

    @Override
    public void intervalEnded(long time) {
        open = false;
        intervalEnd = time;
    }

    @Override
    public void burst(long start, long end) {
        add("vcpu", "burst", start, end, "");
    }

    @Override
    public void walk(WalkTrace t) {
        if (!open) {
            return;
        }
        int refs = 0;
        for (int i = 0; i < t.criticalSteps(); i++) {
            refs += t.servedBy(i).isMemoryReference() ? 1 : 0;
        }
        String outcome = t.outcome() == WalkOutcome.TRANSLATED ? "translated" : t.outcome().name()
                .toLowerCase(Locale.ROOT).replace('_', ' ');
        if (t.speculative()) {
            add("walker", "walk", t.startTime(), t.criticalEnd(), String.format(Locale.ROOT,
                    "0x%x: %d reference(s) to a speculative translation", t.va(), refs));
        } else {
            add("walker", "walk", t.startTime(), t.endTime(), String.format(Locale.ROOT,
                    "0x%x: %d references, %s", t.va(), refs, outcome));
        }
    }

    @Override
    public void verification(WalkTrace t, boolean agreed) {
        add("walker", "verification", t.criticalEnd(), t.endTime(), String.format(Locale.ROOT,
                "0x%x: %d references, %s", t.va(), t.references() - criticalReferences(t),
                agreed ? "agreed" : "mis-speculated: squash and replay"));
    }

    private static int criticalReferences(WalkTrace t) {
        int n = 0;
        for (int i = 0; i < t.criticalSteps(); i++) {
            n += t.servedBy(i).isMemoryReference() ? 1 : 0;
        }
        return n;
    }

    @Override
    public void dram(long arrival, long start, long end, int bank, long address, boolean write, boolean rowHit) {
        add("dram bank " + bank, "dram", start, end, String.format(Locale.ROOT, "%s 0x%x, row %s, queued %d",
                write ? "write" : "read", address, rowHit ? "hit" : "miss", start - arrival));
    }

    @Override
    public void handler(HandlerWork work, long start, long end) {
        if (!open) {
            return;
        }
        long from = start;
        int i = 0;
        while (i < work.count()) {
            int account = work.accountOf(i);
            int j = i;
            int refs = 0;
            // One event per VM exit: a stretch ends where the account changes or the next exit begins.
            while (j < work.count() && work.accountOf(j) == account
                    && (j == i || work.kindOf(j) != HandlerWork.StepKind.EXIT)) {
                refs += work.kindOf(j) == HandlerWork.StepKind.READ || work.kindOf(j) == HandlerWork.StepKind.WRITE
                        ? 1 : 0;
                j++;
            }
            long to = work.endOf(j - 1);
            ExitCause cause = work.causeOf(i);
            if (cause == null) {
                add("guest-os", "guest-os", from, to, refs + " page-table references");
            } else {
                add("hypervisor", "vm-exit", from, to, cause.label() + ", " + refs + " references");
            }
            from = to;
            i = j;
        }
    }

    private void add(String lane, String kind, long start, long end, String detail) {
        if (!open) {
            return;
        }
        if (events.size() >= limit) {
            left++;
            return;
        }
        events.add(new TimelineEvent(lane, kind, start, end, detail));
    }

    /** The events kept, by start time (then lane). */
    public List<TimelineEvent> events() {
        List<TimelineEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(TimelineEvent::start).thenComparing(TimelineEvent::lane)
                .thenComparingLong(TimelineEvent::end));
        return sorted;
    }

    /** Events left out because the limit was reached. */
    public long leftOut() {
        return left;
    }

    public int limit() {
        return limit;
    }

    /** Cycle the measured interval began, or -1. */
    public long intervalStart() {
        return intervalStart;
    }

    /** Cycle it ended, or -1. */
    public long intervalEnd() {
        return intervalEnd;
    }
}
