package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import nl.tudelft.simulation.dsol.simulators.SimulatorInterface;
import org.djutils.event.Event;
import org.djutils.event.EventListener;
import org.djutils.event.TimedEvent;
import org.junit.jupiter.api.Test;
import org.nestwalk.des.Scheduler;

/**
 * The scheduler seam over DSOL: the ordering contract of {@link Scheduler}, DSOL's clock and its time-changed event
 * as DSOL defines them, and failures reported as before.
 */
class DsolSeamTest {
    /** One action as scheduled: when, at which priority, and the how-manieth it was. */
    private record Scheduled(long time, int priority, int order) {
    }

    @Test
    void eventsRunByTimeThenHigherPriorityThenSchedulingOrder() {
        List<Scheduled> scheduled = new ArrayList<>();
        List<Scheduled> ran = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        SimModel model = new SimModel() {
            int remaining = 20_000;

            @Override
            public void construct(Scheduler s) {
                for (int i = 0; i < 50; i++) {
                    add(s, random.nextInt(4));
                }
            }

            /**
             * Few distinct delays and both priorities the model uses, so ties are common; from inside an event never
             * at the current time, so that sorting everything scheduled gives the order to expect.
             */
            private void add(Scheduler s, long delay) {
                long time = s.now() + delay;
                int priority = random.nextBoolean() ? Scheduler.NORMAL : Scheduler.LATE;
                Scheduled e = new Scheduled(time, priority, scheduled.size());
                scheduled.add(e);
                s.schedule(time, priority, () -> {
                    assertEquals(e.time(), s.now());
                    ran.add(e);
                    if (--remaining == 0) {
                        s.finish();
                    } else {
                        add(s, 1 + random.nextInt(3));
                    }
                });
            }
        };
        ReplicationRunner.run("ordering", model, 1, 60);
        List<Scheduled> expected = new ArrayList<>(scheduled);
        expected.sort(Comparator.comparingLong(Scheduled::time)
                .thenComparing(Scheduled::priority, Comparator.reverseOrder()).thenComparingInt(Scheduled::order));
        assertEquals(expected.subList(0, ran.size()), ran);
    }

    @Test
    void dsolsClockFollowsTheSchedulersClock() {
        long[] seen = new long[2];
        ReplicationRunner.run("clock", s -> s.schedule(1234, () -> {
            seen[0] = s.now();
            s.schedule(5000, s::finish);
        }), 1, 60, simulator -> simulator.addListener(event -> {
            seen[1] = simulator.getSimulatorTime();
        }, SimulatorInterface.TIME_CHANGED_EVENT));
        assertEquals(1234, seen[0]);
        // DSOL notifies a time change before its clock moves: at the change to 5000, the clock still shows 1234.
        assertEquals(1234, seen[1]);
    }

    @Test
    void dsolsOwnSchedulingMethodsSeeTheCurrentTime() {
        // DSOL computes relative and "now" times from its own clock field, which must be current whenever it runs.
        List<Long> times = new ArrayList<>();
        FastDevsSimulator[] sim = new FastDevsSimulator[1];
        ReplicationRunner.run("dsol-scheduling", s -> s.schedule(100, () -> {
            times.add(sim[0].getSimulatorTime());
            sim[0].scheduleEventRel(50L, (short) 5, () -> {
                times.add(sim[0].getSimulatorTime());
                sim[0].scheduleEventNow((short) 5, () -> {
                    times.add(s.now());
                    s.schedule(s.now() + 1, s::finish);
                });
            });
        }), 1, 60, simulator -> sim[0] = simulator);
        assertEquals(List.of(100L, 150L, 150L), times);
    }

    @Test
    void timeChangesReachListenersOnlyWhileTheyListen() {
        List<Long> times = new ArrayList<>();
        FastDevsSimulator[] sim = new FastDevsSimulator[1];
        EventListener listener = new EventListener() {
            @Override
            public void notify(Event event) {
                @SuppressWarnings("unchecked")
                TimedEvent<Long> timed = (TimedEvent<Long>) event;
                times.add(timed.getTimeStamp());
            }
        };
        ReplicationRunner.run("listeners", s -> {
            s.schedule(10, () -> sim[0].addListener(listener, SimulatorInterface.TIME_CHANGED_EVENT));
            s.schedule(20, () -> { });
            s.schedule(20, () -> { });
            s.schedule(30, () -> sim[0].removeListener(listener, SimulatorInterface.TIME_CHANGED_EVENT));
            s.schedule(40, () -> { });
            s.schedule(50, s::finish);
        }, 1, 60, simulator -> sim[0] = simulator);
        // Listening from 10 to 30: told of the moves to 20 and 30, once each.
        assertEquals(List.of(20L, 30L), times);
    }

    @Test
    void anActionThatThrowsFailsTheReplicationWithItsError() {
        SimulationException e = assertThrows(SimulationException.class, () -> ReplicationRunner.run("throws",
                s -> s.schedule(100, () -> {
                    throw new IllegalStateException("boom");
                }), 1, 60));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void schedulingInThePastFailsTheReplication() {
        SimulationException e = assertThrows(SimulationException.class, () -> ReplicationRunner.run("past",
                s -> s.schedule(100, () -> s.schedule(99, () -> { })), 1, 60));
        assertTrue(e.getMessage().contains("in the past"), e.getMessage());
    }
}
