package org.nestwalk.memory;

/**
 * What the memory controller did: counts and sums since the start of the run, so that the difference of two
 * snapshots describes an interval.
 *
 * @param requests            accesses that reached the controller
 * @param started             of which a bank has started serving
 * @param writes              of which writes
 * @param rowHits             accesses that found their row open
 * @param queueDelaySum       cycles requests waited for their bank, summed
 * @param serviceSum          cycles of bank service, summed
 * @param maxQueued           most requests ever waiting at once (not differenced)
 * @param queueLengthIntegral waiting requests integrated over time (cycles x requests)
 */
public record DramStats(long requests, long started, long writes, long rowHits, long queueDelaySum, long serviceSum,
                        long maxQueued, long queueLengthIntegral) {

    /** This interval minus an earlier snapshot; the maximum is kept as it is. */
    public DramStats minus(DramStats earlier) {
        return new DramStats(requests - earlier.requests, started - earlier.started, writes - earlier.writes, rowHits - earlier.rowHits,
                queueDelaySum - earlier.queueDelaySum, serviceSum - earlier.serviceSum, maxQueued,
                queueLengthIntegral - earlier.queueLengthIntegral);
    }

    /** Two controllers' counters together (several memory channels); the larger maximum queue. */
    public DramStats plus(DramStats o) {
        return new DramStats(requests + o.requests, started + o.started, writes + o.writes, rowHits + o.rowHits,
                queueDelaySum + o.queueDelaySum, serviceSum + o.serviceSum, Math.max(maxQueued, o.maxQueued),
                queueLengthIntegral + o.queueLengthIntegral);
    }

    /** Mean cycles a request waited for its bank. */
    public double meanQueueDelay() {
        return started == 0 ? 0 : (double) queueDelaySum / started;
    }

    /** Fraction of started accesses that found their row open. */
    public double rowHitRate() {
        return started == 0 ? 0 : (double) rowHits / started;
    }
}
