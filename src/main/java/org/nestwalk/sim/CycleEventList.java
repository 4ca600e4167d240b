package org.nestwalk.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import nl.tudelft.simulation.dsol.SimRuntimeException;
import nl.tudelft.simulation.dsol.eventlists.EventListInterface;
import nl.tudelft.simulation.dsol.formalisms.eventscheduling.SimEventInterface;
import org.nestwalk.des.Action;

/**
 * The future event list of one simulator, as DSOL's {@link EventListInterface}, kept in primitive arrays: a binary
 * heap ordered by time (cycles), then priority (higher first), then cause (the time of what scheduled the event,
 * earlier first: see {@code Scheduler.scheduleFrom}), then the order in which events were added.
 *
 * <p>Why not DSOL's {@code EventListPriorityQueue}: every entry there is an event object holding a boxed
 * {@code Long}, and every sift compares two of them through {@code SimEventInterface.compareTo} (an
 * {@code equals} call, two {@code Long.compareTo}s, then the priorities and ids). Here the model's actions are
 * stored as they are, with their time and a single ordering key as {@code long}s: scheduling one allocates
 * nothing, and comparing two is two {@code long} comparisons. Events made elsewhere (DSOL's own warm-up and
 * end-of-replication events) are kept as the objects they are, in the same order.
 *
 * <p>The ordering key packs the priority, then the cause's lead (how long before its event the cause was; a longer
 * lead first), then a per-list sequence number, so that the whole order among events of one time is one comparison
 * of two non-negative {@code long}s. DSOL allows priorities from {@code MIN_PRIORITY - 1} to
 * {@code MAX_PRIORITY + 1} (0 to 11); so does this list. A lead counts up to {@link #MAX_LEAD} cycles: ties among
 * events caused longer ago than that fall back to the order of scheduling. Only entities acting in events schedule
 * that far ahead (timer ticks, DSOL's end of the replication), with their cause at the clock, so for them the order
 * of scheduling is the order of their causes; what an entity acting inline schedules is a few hundred cycles ahead
 * at most. A vCPU's resume on a machine of several vCPUs ({@link #addRanked}) holds its vCPU's rank where the lead
 * would be, so that vCPUs meeting at one cycle go in the order of their ranks.
 *
 * <p>{@link #first()}, {@link #removeFirst()} and the iterator hand out {@link SimEventInterface} views of the
 * model's actions, made on demand: they serve DSOL's generic code paths (a single {@code step()}, inspection),
 * never the simulator's run loop, which uses {@link #firstTime()} and {@link #executeFirst()}.
 */
final class CycleEventList implements EventListInterface<Long> {
    /** Lowest priority DSOL accepts ({@code SimEventInterface.MIN_PRIORITY - 1}). */
    static final int LOWEST_PRIORITY = SimEventInterface.MIN_PRIORITY - 1;
    /** Highest priority DSOL accepts ({@code SimEventInterface.MAX_PRIORITY + 1}). */
    static final int HIGHEST_PRIORITY = SimEventInterface.MAX_PRIORITY + 1;

    /** Key bits below the priority: the cause's lead, the sequence number and the foreign-event flag. */
    private static final int PRIORITY_SHIFT = 59;
    /** Key bits below the cause's lead: the sequence number and the foreign-event flag. */
    private static final int LEAD_SHIFT = 39;
    /** The longest lead of a cause over its event that orders ties (2^20 - 1 cycles); longer ones count as this. */
    static final long MAX_LEAD = (1L << (PRIORITY_SHIFT - LEAD_SHIFT)) - 1;
    /** Lowest key bit: set for an event object made elsewhere, clear for one of the model's actions. */
    private static final long FOREIGN = 1;
    /** 2^38 - 1: a run of 10^11 references at three events each stays below it. */
    private static final long MAX_SEQUENCE = (1L << (LEAD_SHIFT - 1)) - 1;

    /** Runs one of the model's actions when its time comes. */
    @FunctionalInterface
    interface Dispatcher {
        void dispatch(Action action);
    }

    private final Dispatcher dispatcher;
    private long[] times = new long[16];
    private long[] keys = new long[16];
    private Object[] payloads = new Object[16];
    private int size;
    private long sequence;
    /** Time of the event that runs (or last ran): the cause of DSOL's own events added meanwhile. */
    private long current;

    CycleEventList(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /**
     * Adds one of the model's actions, caused at {@code cause} (not after {@code time}): the hot path, which
     * allocates nothing (unless the heap grows).
     */
    void add(long cause, long time, int priority, Action action) {
        if (action == null) {
            throw new IllegalArgumentException("action cannot be null");
        }
        push(time, key(priority, time - cause, 0), action);
    }

    /**
     * Adds a vCPU's resume at {@code time} with {@code priority} (the scheduler's PEER), ordered among those of its
     * time and priority by {@code rank}, lower first: the rank takes the place of the cause's lead in the key.
     */
    void addRanked(long time, int priority, int rank, Action action) {
        if (action == null) {
            throw new IllegalArgumentException("action cannot be null");
        }
        if (rank < 0 || rank > MAX_LEAD) {
            throw new SimRuntimeException("rank must be between 0 and " + MAX_LEAD + ": " + rank);
        }
        push(time, key(priority, MAX_LEAD - rank, 0), action);
    }

    /** Adds an event object made elsewhere (DSOL's own events), caused now: at the time of the event running. */
    @Override
    public void add(SimEventInterface<Long> event) {
        long time = event.getAbsoluteExecutionTime();
        push(time, key(event.getPriority(), time - current, FOREIGN), event);
    }

    /** Sets the clock before the first event: what is added before any event runs is caused at {@code start}. */
    void startAt(long start) {
        current = start;
    }

    /** Time of the first event, or {@link Long#MAX_VALUE} if there is none. */
    long firstTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /** Whether the first event is at {@code time} with {@code priority}, added with a rank above {@code rank}. */
    boolean firstIsRankedAfter(long time, int priority, int rank) {
        return size != 0 && times[0] == time && keys[0] >>> PRIORITY_SHIFT == HIGHEST_PRIORITY - priority
                && (keys[0] >>> LEAD_SHIFT & MAX_LEAD) > rank;
    }

    /** Whether the first event is one of DSOL's own (not one of the model's actions); the list must not be empty. */
    boolean firstIsForeign() {
        return (keys[0] & FOREIGN) != 0;
    }

    /** Removes the first event and executes it (the event list must not be empty). */
    @SuppressWarnings("unchecked")
    void executeFirst() {
        Object payload = payloads[0];
        boolean foreign = (keys[0] & FOREIGN) != 0;
        current = times[0];
        pop(0);
        if (foreign) {
            ((SimEventInterface<Long>) payload).execute();
        } else {
            dispatcher.dispatch((Action) payload);
        }
    }

    @Override
    public SimEventInterface<Long> first() {
        return size == 0 ? null : view(0);
    }

    @Override
    public SimEventInterface<Long> removeFirst() {
        if (size == 0) {
            return null;
        }
        SimEventInterface<Long> first = view(0);
        current = times[0];
        pop(0);
        return first;
    }

    @Override
    public boolean contains(SimEventInterface<Long> event) {
        return indexOf(event) >= 0;
    }

    @Override
    public boolean remove(SimEventInterface<Long> event) {
        int i = indexOf(event);
        if (i < 0) {
            return false;
        }
        pop(i);
        return true;
    }

    @Override
    public void clear() {
        Arrays.fill(payloads, 0, size, null);
        size = 0;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** The pending events, in no particular order (as {@code EventListPriorityQueue}'s iterator). */
    @Override
    public Iterator<SimEventInterface<Long>> iterator() {
        List<SimEventInterface<Long>> snapshot = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            snapshot.add(view(i));
        }
        Iterator<SimEventInterface<Long>> it = snapshot.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public SimEventInterface<Long> next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                return it.next();
            }
        };
    }

    private long key(int priority, long lead, long foreign) {
        if (priority < LOWEST_PRIORITY || priority > HIGHEST_PRIORITY) {
            throw new SimRuntimeException("priority must be between " + LOWEST_PRIORITY + " and " + HIGHEST_PRIORITY
                    + ": " + priority);
        }
        if (sequence == MAX_SEQUENCE) {
            throw new SimRuntimeException("more than " + MAX_SEQUENCE + " events scheduled");
        }
        if (lead < 0) {
            throw new SimRuntimeException("an event caused " + -lead + " cycles after its time");
        }
        // Higher priorities get smaller keys; among equal priorities, longer leads (earlier causes) get smaller
        // keys; among equal leads, earlier additions.
        long lateness = MAX_LEAD - Math.min(lead, MAX_LEAD);
        return (long) (HIGHEST_PRIORITY - priority) << PRIORITY_SHIFT | lateness << LEAD_SHIFT | ++sequence << 1
                | foreign;
    }

    private static boolean before(long timeA, long keyA, long timeB, long keyB) {
        return timeA < timeB || timeA == timeB && keyA < keyB;
    }

    private void push(long time, long key, Object payload) {
        if (size == times.length) {
            int capacity = size * 2;
            times = Arrays.copyOf(times, capacity);
            keys = Arrays.copyOf(keys, capacity);
            payloads = Arrays.copyOf(payloads, capacity);
        }
        int i = size++;
        // Sift up: move parents that come later down into the hole.
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(time, key, times[parent], keys[parent])) {
                break;
            }
            times[i] = times[parent];
            keys[i] = keys[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        times[i] = time;
        keys[i] = key;
        payloads[i] = payload;
    }

    /** Removes entry {@code i}: the last entry takes its place and sifts down (or up, when removing from inside). */
    private void pop(int i) {
        int last = --size;
        long time = times[last];
        long key = keys[last];
        Object payload = payloads[last];
        payloads[last] = null;
        if (i == last) {
            return;
        }
        int hole = i;
        while (true) {
            int child = 2 * hole + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && before(times[child + 1], keys[child + 1], times[child], keys[child])) {
                child++;
            }
            if (!before(times[child], keys[child], time, key)) {
                break;
            }
            times[hole] = times[child];
            keys[hole] = keys[child];
            payloads[hole] = payloads[child];
            hole = child;
        }
        if (hole == i) {
            // Nothing moved down: the moved entry may belong above i (only when removing from inside the heap).
            while (hole > 0) {
                int parent = (hole - 1) >>> 1;
                if (!before(time, key, times[parent], keys[parent])) {
                    break;
                }
                times[hole] = times[parent];
                keys[hole] = keys[parent];
                payloads[hole] = payloads[parent];
                hole = parent;
            }
        }
        times[hole] = time;
        keys[hole] = key;
        payloads[hole] = payload;
    }

    private int indexOf(SimEventInterface<Long> event) {
        if (event instanceof ActionView v) {
            for (int i = 0; i < size; i++) {
                if (keys[i] == v.key && payloads[i] == v.action) {
                    return i;
                }
            }
            return -1;
        }
        for (int i = 0; i < size; i++) {
            if ((keys[i] & FOREIGN) != 0 && payloads[i].equals(event)) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private SimEventInterface<Long> view(int i) {
        if ((keys[i] & FOREIGN) != 0) {
            return (SimEventInterface<Long>) payloads[i];
        }
        return new ActionView(times[i], keys[i], (Action) payloads[i]);
    }

    /** One of the model's actions seen as a DSOL event: made only when DSOL's generic code asks for one. */
    private final class ActionView implements SimEventInterface<Long> {
        private final long time;
        private final long key;
        private final Action action;

        ActionView(long time, long key, Action action) {
            this.time = time;
            this.key = key;
            this.action = action;
        }

        @Override
        public void execute() {
            dispatcher.dispatch(action);
        }

        @Override
        public Long getAbsoluteExecutionTime() {
            return time;
        }

        @Override
        public short getPriority() {
            return (short) (HIGHEST_PRIORITY - (key >>> PRIORITY_SHIFT));
        }

        /** The scheduling order: the sequence number of the key (per list, so per simulator). */
        @Override
        public long getId() {
            return (key & ((1L << LEAD_SHIFT) - 1)) >>> 1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ActionView v && v.key == key && v.action == action;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(key);
        }

        @Override
        public String toString() {
            return "ActionEvent[t=" + time + ", priority=" + getPriority() + ", " + action + "]";
        }
    }
}
