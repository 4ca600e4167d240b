package org.nestwalk.cpu;

import org.nestwalk.pagetable.PageSize;
import org.nestwalk.timeline.Timeline;
import org.nestwalk.tlb.DataTlb;
import org.nestwalk.walk.PageWalker;
import org.nestwalk.walk.WalkOutcome;
import org.nestwalk.walk.WalkTrace;

/**
 * What the vCPU does when a walk it asked for comes back. A walk the core stopped for ({@code core.walkOverlap=none})
 * hands its translation, or its speculative translation, to the core itself. A walk the core ran past gives its
 * translation to the references that wait for it ({@link Translations}), which then access their data; if it faulted,
 * if it was read-only for a store that waited for it, or if its verification contradicts the speculative translation
 * those references used, the core goes back to the checkpoint of its first reference ({@link Checkpoints}) and
 * everything younger is thrown away. Whatever a walk finds fills the TLB, even when nothing waits for it any more.
 */
final class WalkReturns implements PageWalker.Listener {
    private final VCpu core;
    private final Translations translations;
    private final Checkpoints checkpoints;
    private final CoreCounters n;
    private final DataTlb tlb;
    private final int squashPenalty;
    private Timeline timeline = Timeline.NONE;

    WalkReturns(VCpu core, Translations translations, Checkpoints checkpoints, CoreCounters n, DataTlb tlb,
                int squashPenalty) {
        this.core = core;
        this.translations = translations;
        this.checkpoints = checkpoints;
        this.n = n;
        this.tlb = tlb;
        this.squashPenalty = squashPenalty;
    }

    void recordTo(Timeline t) {
        this.timeline = t;
    }

    @Override
    public void walkSpeculated(long ticket, WalkTrace trace) {
        int s = translations.find(ticket);
        translations.speculate(s, trace.speculativeBase(), trace.speculativeWritable());
        if (translations.held(s)) {
            core.useHeldSpeculation(s, trace);
            return;
        }
        if (translations.unwaited(s)) {
            // Its references were squashed; the verification will fill the TLB.
            return;
        }
        n.speculations++;
        long now = core.now();
        long at = Math.max(core.time(), now);
        boolean writable = trace.speculativeWritable();
        for (int w = translations.firstWaiter(s); w != Translations.NONE; w = translations.nextWaiter(w)) {
            if (writable || !translations.waiterWrite(w)) {
                core.waiterAccess(at, trace.speculativeBase() | (translations.waiterVa(w) & 0xFFF),
                        translations.waiterWrite(w), translations.waiterInstruction(w));
            }
        }
        if (writable) {
            translations.clearWaiters(s);
        } else {
            // A store cannot use a read-only translation: it waits for the verified one.
            translations.clearLoadWaiters(s);
        }
        core.translationArrived(ticket, now, false);
    }

    @Override
    public void walkFinished(long ticket, WalkTrace trace) {
        int s = translations.find(ticket);
        if (translations.speculated(s)) {
            verified(s, trace);
            return;
        }
        if (translations.held(s)) {
            core.heldWalkEnded(s, trace);
            return;
        }
        long end = trace.endTime();
        boolean translated = trace.outcome() == WalkOutcome.TRANSLATED;
        if (translated) {
            fill(s, translations.walkVa(s), trace);
        }
        if (translations.unwaited(s)) {
            // Nothing waits for it (its references were squashed): the TLB keeps what it found.
            translations.close(s);
            core.wakeIfReady(end);
            return;
        }
        int cp = checkpoints.of(s);
        if (!translated) {
            long va = checkpoints.va(cp);
            boolean write = checkpoints.write(cp);
            long faultingSeq = checkpoints.seq(cp);
            translations.close(s);
            n.faultSquashes++;
            core.squashTo(cp, end, 0);
            core.fault(trace, va, write, false, faultingSeq, end);
            return;
        }
        if (!trace.writable() && translations.storeWaits(s)) {
            storeReplay(s, cp, end);
            return;
        }
        waitersAccess(s, trace, end);
        translations.close(s);
        checkpoints.release(cp);
        core.translationArrived(ticket, end, true);
    }

    /** Fills the TLB with entry {@code s}'s translation of {@code va}: the data side, or the iTLB for a fetch. */
    private void fill(int s, long va, WalkTrace trace) {
        if (translations.fetch(s)) {
            tlb.fillFetch(va, translations.space(s), trace.pageBase(), trace.pageSize(), trace.writable());
        } else {
            tlb.fill(va, translations.space(s), trace.pageBase(), trace.pageSize(), trace.writable());
        }
    }

    /** The data accesses of the references waiting for entry {@code s}, now that its walk gave its translation. */
    private void waitersAccess(int s, WalkTrace trace, long end) {
        long at = Math.max(core.time(), end);
        long base = trace.pageBase();
        long offsetMask = trace.pageSize().offsetMask();
        for (int w = translations.firstWaiter(s); w != Translations.NONE; w = translations.nextWaiter(w)) {
            core.waiterAccess(at, base | (translations.waiterVa(w) & offsetMask), translations.waiterWrite(w),
                    translations.waiterInstruction(w));
        }
    }

    /**
     * A store waited for entry {@code s}'s walk, which gave a read-only translation (a load asked for it, or its
     * speculation was read-only): the core goes back to the entry's first reference and replays; the store then
     * misses the TLB like any store through a read-only translation, and walks for itself.
     */
    private void storeReplay(int s, int cp, long at) {
        translations.close(s);
        n.storeReplays++;
        core.squashTo(cp, at, 0);
        core.replay();
    }

    /** The walk behind a speculation has ended: keep the work done since, or squash it. */
    private void verified(int s, WalkTrace trace) {
        boolean translated = trace.outcome() == WalkOutcome.TRANSLATED;
        PageSize size = trace.pageSize();
        long specPage = translations.page(s);
        long ticket = translations.ticket(s);
        long end = trace.endTime();
        boolean fetch = translations.fetch(s);
        if (translated) {
            fill(s, specPage, trace);
        }
        int cp = checkpoints.of(s);
        if (cp < 0) {
            // Its references were squashed before it was verified.
            translations.close(s);
            core.wakeIfReady(end);
            return;
        }
        boolean samePage = translated
                && ((trace.pageBase() | (specPage & size.offsetMask())) & ~0xFFFL) == translations.specBase(s);
        // Write permission matters only to data: an instruction fetch never stores through its translation.
        boolean sameRights = translated && (fetch || trace.writable() || !translations.specWritable(s)
                || !checkpoints.storedSince(cp, n));
        timeline.verification(trace, samePage && sameRights);
        if (samePage && sameRights) {
            if (!translations.unwaited(s)) {
                // Stores that could not use a read-only speculation waited for the verified translation.
                if (!trace.writable()) {
                    storeReplay(s, cp, end);
                    return;
                }
                waitersAccess(s, trace, end);
            }
            translations.close(s);
            checkpoints.release(cp);
            core.translationArrived(ticket, end, true);
            return;
        }
        translations.close(s);
        n.misspeculations++;
        long va = specPage | (checkpoints.va(cp) & 0xFFF);
        boolean write = checkpoints.write(cp);
        long speculatedSeq = checkpoints.seq(cp);
        core.squashTo(cp, end, squashPenalty);
        if (translated) {
            // Replay from the speculated reference; its translation is in the TLB now.
            core.replay();
        } else {
            // The page is not mapped (or not writable) after all: the replayed reference faults.
            core.fault(trace, va, write, fetch, speculatedSeq, end);
        }
    }
}
