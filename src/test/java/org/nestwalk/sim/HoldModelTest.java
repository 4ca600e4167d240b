package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;

class HoldModelTest {
    @Test
    void runsExactlyItsEventsWithAConstantNumberPending() {
        HoldModel model = new HoldModel(16, 10_000, 1);
        int[] mostPending = {0};
        // Counts the model's pending events through a seam that wraps the real one.
        SimModel counting = s -> model.construct(new Scheduler() {
            int pending;

            @Override
            public long now() {
                return s.now();
            }

            @Override
            public long nextEventTime() {
                return s.nextEventTime();
            }

            @Override
            public void scheduleFrom(long cause, long time, int priority, Action action) {
                mostPending[0] = Math.max(mostPending[0], ++pending);
                s.scheduleFrom(cause, time, priority, () -> {
                    pending--;
                    action.run();
                });
            }

            @Override
            public void finish() {
                s.finish();
            }

            @Override
            public long eventsExecuted() {
                return s.eventsExecuted();
            }
        });
        ReplicationRunner.run("hold", counting, 1, 60);
        assertEquals(10_000, model.executed());
        assertEquals(16, mostPending[0]);
        assertTrue(model.nanosPerEvent() > 0);
    }
}
