package org.nestwalk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import nl.tudelft.simulation.dsol.SimRuntimeException;
import nl.tudelft.simulation.dsol.formalisms.eventscheduling.LambdaSimEvent;
import nl.tudelft.simulation.dsol.formalisms.eventscheduling.SimEventInterface;
import org.junit.jupiter.api.Test;
import org.nestwalk.des.Action;

/**
 * The primitive-keyed event list against a trivially correct model (a {@link PriorityQueue} of records ordered by
 * time, then priority, higher first, then cause, earlier first, counting a cause's lead over its event up to
 * {@code MAX_LEAD} cycles, then the order of adding): the same events come out in the same order.
 */
class CycleEventListTest {
    /** What the model expects: one added event and the order in which it was added. */
    private record Entry(long time, int priority, long cause, long order, int id) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            if (time != o.time) {
                return Long.compare(time, o.time);
            }
            if (priority != o.priority) {
                return Integer.compare(o.priority, priority);
            }
            if (cause != o.cause) {
                return Long.compare(cause, o.cause);
            }
            return Long.compare(order, o.order);
        }
    }

    /** An action that records its id when it runs. */
    private record Recorder(int id, List<Integer> ran) implements Action {
        @Override
        public void run() {
            ran.add(id);
        }
    }

    @Test
    void runsEventsByTimeThenPriorityThenCauseThenSchedulingOrderLikeAReferenceQueue() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Integer> ran = new ArrayList<>();
            CycleEventList list = new CycleEventList(Action::run);
            PriorityQueue<Entry> model = new PriorityQueue<>();
            long order = 0;
            long now = 0;
            int id = 0;
            for (int step = 0; step < 20_000; step++) {
                if (random.nextInt(5) < 3 || model.isEmpty()) {
                    // Few distinct times and priorities, so that ties are common; now and then an event far
                    // ahead, whose cause's lead counts only up to MAX_LEAD.
                    long time = random.nextInt(50) == 0 ? now + CycleEventList.MAX_LEAD + random.nextInt(4)
                            : now + random.nextInt(8);
                    int priority = random.nextInt(CycleEventList.LOWEST_PRIORITY, CycleEventList.HIGHEST_PRIORITY + 1);
                    // An entity acting inline causes events anywhere between now and their time; DSOL's own are
                    // caused now.
                    long cause = now;
                    if (random.nextInt(10) == 0) {
                        int foreignId = id;
                        list.add(new LambdaSimEvent<>(time, (short) priority, () -> ran.add(foreignId)));
                    } else {
                        cause = random.nextBoolean() ? now : now + random.nextLong(time - now + 1);
                        list.add(cause, time, priority, new Recorder(id, ran));
                    }
                    long counted = time - Math.min(time - cause, CycleEventList.MAX_LEAD);
                    model.add(new Entry(time, priority, counted, order++, id++));
                } else {
                    Entry expected = model.poll();
                    assertEquals(expected.time(), list.firstTime(), "step " + step);
                    now = expected.time();
                    list.executeFirst();
                    assertEquals(expected.id(), ran.get(ran.size() - 1), "step " + step);
                }
                assertEquals(model.size(), list.size());
            }
        }
    }

    @Test
    void removingAnEventFromInsideTheHeapKeepsTheOrderOfTheRest() {
        SplittableRandom random = new SplittableRandom(7);
        List<Integer> ran = new ArrayList<>();
        CycleEventList list = new CycleEventList(Action::run);
        PriorityQueue<Entry> model = new PriorityQueue<>();
        for (int i = 0; i < 2_000; i++) {
            long time = random.nextInt(300);
            list.add(0, time, 5, new Recorder(i, ran));
            model.add(new Entry(time, 5, 0, i, i));
        }
        // Remove every third event through its DSOL view, as DevsSimulator.cancelEvent would.
        Set<Integer> removed = new HashSet<>();
        List<SimEventInterface<Long>> views = new ArrayList<>();
        list.iterator().forEachRemaining(views::add);
        for (SimEventInterface<Long> v : views) {
            if (v.getId() % 3 == 0) {
                assertTrue(list.contains(v));
                assertTrue(list.remove(v));
                assertFalse(list.contains(v));
                removed.add((int) v.getId() - 1);
            }
        }
        model.removeIf(e -> removed.contains(e.id()));
        while (!model.isEmpty()) {
            Entry expected = model.poll();
            assertEquals(expected.time(), list.firstTime());
            list.executeFirst();
            assertEquals(expected.id(), ran.get(ran.size() - 1));
        }
        assertTrue(list.isEmpty());
        assertEquals(Long.MAX_VALUE, list.firstTime());
    }

    @Test
    void dsolsGenericAccessSeesTheSameEvents() {
        List<Integer> ran = new ArrayList<>();
        CycleEventList list = new CycleEventList(Action::run);
        SimEventInterface<Long> foreign = new LambdaSimEvent<>(10L, (short) 11, () -> ran.add(-1));
        list.add(0, 10, 5, new Recorder(1, ran));
        list.add(foreign);
        list.add(0, 3, 1, new Recorder(2, ran));

        SimEventInterface<Long> first = list.first();
        assertEquals(3L, first.getAbsoluteExecutionTime());
        assertEquals(1, first.getPriority());
        assertEquals(first, list.first(), "two views of one event are equal");
        assertEquals(first, list.removeFirst());
        first.execute();
        assertSame(foreign, list.removeFirst(), "the higher priority runs first at equal times");
        foreign.execute();
        list.removeFirst().execute();
        assertEquals(List.of(2, -1, 1), ran);
        assertNull(list.first());
        assertNull(list.removeFirst());
    }

    @Test
    void clearEmptiesTheList() {
        CycleEventList list = new CycleEventList(Action::run);
        for (int i = 0; i < 100; i++) {
            list.add(0, i, 5, () -> { });
        }
        list.clear();
        assertTrue(list.isEmpty());
        assertFalse(list.iterator().hasNext());
        list.add(0, 4, 5, () -> { });
        assertEquals(4, list.firstTime());
    }

    @Test
    void rejectsPrioritiesDsolRejects() {
        CycleEventList list = new CycleEventList(Action::run);
        assertThrows(SimRuntimeException.class, () -> list.add(0, 0, CycleEventList.HIGHEST_PRIORITY + 1, () -> { }));
        assertThrows(SimRuntimeException.class, () -> list.add(0, 0, CycleEventList.LOWEST_PRIORITY - 1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> list.add(0, 0, 5, null));
    }
}
