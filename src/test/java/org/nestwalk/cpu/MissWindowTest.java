package org.nestwalk.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.memory.DramConfig;
import org.nestwalk.memory.DramScheduling;
import org.nestwalk.memory.MemoryController;

class MissWindowTest {
    /** A scheduler that only records what is scheduled. */
    private static final class Recording implements Scheduler {
        final List<Long> times = new ArrayList<>();
        long next = Long.MAX_VALUE;

        @Override
        public long now() {
            return 0;
        }

        @Override
        public long nextEventTime() {
            return next;
        }

        @Override
        public void scheduleFrom(long cause, long time, int priority, Action action) {
            times.add(time);
        }

        @Override
        public void finish() {
        }

        @Override
        public long eventsExecuted() {
            return 0;
        }
    }

    @Test
    void holdsAtMostMlpMissesAndLimitsHowFarTheCoreRunsAhead() {
        Recording s = new Recording();
        MemoryController mc = new MemoryController(new DramConfig(8, 120, 200, 8192, DramScheduling.FRFCFS), s);
        MissWindow w = new MissWindow(new CoreConfig(1.0, 2, 10, 1000, 30, WalkOverlap.ROB), s, mc, (t, tag) -> { });
        assertFalse(w.robFull(1_000_000));
        w.issue(0, 40, 0x1000, false, 100);
        assertTrue(w.lastMissPending());
        assertFalse(w.full());
        assertFalse(w.robFull(109));
        assertTrue(w.robFull(110));
        w.issue(0, 50, 0x2000, false, 105);
        assertTrue(w.full());
        // Both requests went inline to the controller, to two idle banks: two completions (row misses, 200 cycles).
        assertEquals(List.of(240L, 250L), s.times);
        w.complete(0);
        assertFalse(w.full());
        assertTrue(w.lastMissPending());
        assertFalse(w.robFull(114), "the oldest miss is now the one of instruction 105");
        assertTrue(w.robFull(115));
        w.complete(1);
        assertFalse(w.lastMissPending());
        assertEquals(0, w.outstanding());
    }

    @Test
    void aMissBeyondTheHorizonIsSubmittedByAnEventOfItsOwn() {
        Recording s = new Recording();
        s.next = 30;
        MemoryController mc = new MemoryController(new DramConfig(8, 120, 200, 8192, DramScheduling.FRFCFS), s);
        MissWindow w = new MissWindow(new CoreConfig(1.0, 2, 10, 1000, 30, WalkOverlap.ROB), s, mc, (t, tag) -> { });
        w.issue(0, 40, 0x1000, false, 1);
        assertEquals(List.of(40L), s.times, "the submission, not yet a completion");
    }
}
