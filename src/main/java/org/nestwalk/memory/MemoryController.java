package org.nestwalk.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import org.nestwalk.des.Action;
import org.nestwalk.des.Scheduler;
import org.nestwalk.timeline.Timeline;

/**
 * The memory controller and the DRAM behind it: independent banks, each with one open row (open-page policy) and a
 * queue of waiting requests served FCFS or FR-FCFS. An access costs one event, its completion: a request that finds
 * its bank idle starts at once and its completion time is known (busy-until); a request that finds it busy waits in
 * the bank's queue until a completion picks it. Queueing delay and queue length are statistics. FR-FCFS may be
 * capped ({@link DramConfig#rowHitCap}): after that many row hits served ahead of the oldest waiting request, the
 * oldest goes next, as controllers bound a streaming program's row hits (FR-FCFS+Cap, Mutlu and Moscibroda 2007).
 *
 * <p>Addresses map to banks row-interleaved: a row's worth of consecutive bytes stays in one bank, the next row of
 * addresses goes to the next bank. Requests must arrive in non-decreasing time order, which the scheduler's horizon
 * rule guarantees for every caller.
 */
public final class MemoryController {
    private final DramConfig config;
    private final Scheduler scheduler;
    private final Bank[] banks;
    private final int rowShift;
    private final int bankBits;
    private final long bankMask;
    private final ArrayDeque<Request> spare = new ArrayDeque<>();

    private long requests;
    private long writes;
    private long rowHits;
    private long started;
    private long queueDelaySum;
    private long serviceSum;
    private long maxQueued;
    private long queueLengthIntegral;
    private int queued;
    private long lastChange;
    private long lastArrival;
    private Timeline timeline = Timeline.NONE;

    public MemoryController(DramConfig config, Scheduler scheduler) {
        this.config = config;
        this.scheduler = scheduler;
        this.banks = new Bank[config.banks()];
        for (int i = 0; i < banks.length; i++) {
            banks[i] = new Bank(i);
        }
        this.rowShift = Long.numberOfTrailingZeros(config.rowBytes());
        this.bankBits = Integer.numberOfTrailingZeros(config.banks());
        this.bankMask = config.banks() - 1;
    }

    /** Reports every access to {@code t} from now on. */
    public void recordTo(Timeline t) {
        this.timeline = t;
    }

    public DramConfig config() {
        return config;
    }

    /**
     * A request for the line at {@code address} reaching the controller at time {@code arrival}. The client is told
     * when it completes.
     */
    public void submit(long arrival, long address, boolean write, MemoryClient client, int tag) {
        if (arrival < lastArrival || arrival < scheduler.now()) {
            throw new IllegalStateException("memory request at " + arrival + " arrives before an earlier one ("
                    + Math.max(lastArrival, scheduler.now()) + "): a caller acted beyond its horizon");
        }
        lastArrival = arrival;
        Bank bank = banks[(int) ((address >>> rowShift) & bankMask)];
        Request r = spare.isEmpty() ? new Request() : spare.poll();
        r.row = address >>> (rowShift + bankBits);
        r.address = address;
        r.write = write;
        r.arrival = arrival;
        r.client = client;
        r.tag = tag;
        requests++;
        if (write) {
            writes++;
        }
        if (bank.current == null) {
            start(bank, r, arrival);
        } else {
            accountQueue(arrival);
            queued++;
            maxQueued = Math.max(maxQueued, queued);
            bank.waiting.add(r);
        }
    }

    private void start(Bank bank, Request r, long time) {
        boolean hit = bank.openRow == r.row;
        long service = hit ? config.rowHitLatency() : config.rowMissLatency();
        if (hit) {
            rowHits++;
        }
        bank.openRow = r.row;
        bank.current = r;
        started++;
        queueDelaySum += time - r.arrival;
        serviceSum += service;
        scheduler.scheduleFrom(time, time + service, bank.completion);
        timeline.dram(r.arrival, time, time + service, bank.index, r.address, r.write, hit);
    }

    private void complete(Bank bank) {
        long now = scheduler.now();
        Request done = bank.current;
        bank.current = null;
        int next = pick(bank);
        if (next >= 0) {
            accountQueue(now);
            queued--;
            start(bank, bank.waiting.remove(next), now);
        }
        MemoryClient client = done.client;
        int tag = done.tag;
        done.client = null;
        spare.push(done);
        client.memoryDone(now, tag);
    }

    /** Index of the request the bank serves next, or -1 if none waits. */
    private int pick(Bank bank) {
        ArrayList<Request> w = bank.waiting;
        if (w.isEmpty()) {
            return -1;
        }
        if (config.scheduling() == DramScheduling.FRFCFS
                && (config.rowHitCap() == 0 || bank.passedOldest < config.rowHitCap())) {
            for (int i = 0; i < w.size(); i++) {
                if (w.get(i).row == bank.openRow) {
                    // A row hit served ahead of the oldest request counts toward the cap; the oldest resets it.
                    bank.passedOldest = i == 0 ? 0 : bank.passedOldest + 1;
                    return i;
                }
            }
        }
        bank.passedOldest = 0;
        return 0;
    }

    private void accountQueue(long time) {
        queueLengthIntegral += queued * (time - lastChange);
        lastChange = time;
    }

    /** Requests waiting for a bank right now (not counting those in service). */
    public int queued() {
        return queued;
    }

    /** Counters since the start, the queue length integrated up to now. */
    public DramStats stats() {
        return stats(scheduler.now());
    }

    /**
     * Counters since the start, the queue length integrated up to {@code time} (a vCPU's clock may be ahead of the
     * scheduler's); difference two snapshots for an interval.
     */
    public DramStats stats(long time) {
        long now = Math.max(time, lastChange);
        return new DramStats(requests, started, writes, rowHits, queueDelaySum, serviceSum, maxQueued,
                queueLengthIntegral + queued * (now - lastChange));
    }

    private final class Bank {
        final int index;
        long openRow = -1;
        Request current;
        /** Row hits served ahead of the oldest waiting request since it last was (the FR-FCFS cap's count). */
        int passedOldest;
        final ArrayList<Request> waiting = new ArrayList<>();
        final Action completion = () -> complete(this);

        Bank(int index) {
            this.index = index;
        }
    }

    private static final class Request {
        long row;
        long arrival;
        long address;
        boolean write;
        MemoryClient client;
        int tag;
    }
}
