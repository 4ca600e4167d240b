package org.nestwalk.walk;

/**
 * What the page walkers did: counts since the start of the run, so the difference of two snapshots describes an
 * interval. {@code steps[t][s]} counts steps on table kind {@code t} (ordinal) served by {@code s} (ordinal).
 *
 * @param walks       walks performed (including those ending in a fault)
 * @param pageFaults  walks that ended in a page fault
 * @param nestedFaults walks that ended in a nested fault
 * @param cycles      cycles from each walk's start to its translation, summed
 * @param criticalReferences memory references the requester waited for (fewer than all when a walk speculated)
 * @param speculative walks whose speculative translation the requester used before the verification
 * @param queuedWalks walks that found every walker busy and waited for one
 * @param queueCycles cycles walks waited for a walker, summed
 * @param busyCycles  cycles walkers were occupied (from a walk's start until the walker was free), summed over
 *                    walkers
 * @param steps       steps by table and by what served them
 */
public record WalkStats(long walks, long pageFaults, long nestedFaults, long cycles, long criticalReferences,
                        long speculative, long queuedWalks, long queueCycles, long busyCycles, long[][] steps) {

    public static WalkStats empty() {
        return new WalkStats(0, 0, 0, 0, 0, 0, 0, 0, 0,
                new long[TableKind.values().length][ServedBy.values().length]);
    }

    public WalkStats minus(WalkStats e) {
        long[][] d = new long[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            d[t] = new long[steps[t].length];
            for (int s = 0; s < steps[t].length; s++) {
                d[t][s] = steps[t][s] - e.steps[t][s];
            }
        }
        return new WalkStats(walks - e.walks, pageFaults - e.pageFaults, nestedFaults - e.nestedFaults,
                cycles - e.cycles, criticalReferences - e.criticalReferences, speculative - e.speculative,
                queuedWalks - e.queuedWalks, queueCycles - e.queueCycles, busyCycles - e.busyCycles, d);
    }

    /** Memory references made to {@code table}. */
    /** The counts of two sets of walkers together (two vCPUs'). */
    public WalkStats plus(WalkStats e) {
        long[][] d = new long[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            d[t] = new long[steps[t].length];
            for (int s = 0; s < steps[t].length; s++) {
                d[t][s] = steps[t][s] + e.steps[t][s];
            }
        }
        return new WalkStats(walks + e.walks, pageFaults + e.pageFaults, nestedFaults + e.nestedFaults,
                cycles + e.cycles, criticalReferences + e.criticalReferences, speculative + e.speculative,
                queuedWalks + e.queuedWalks, queueCycles + e.queueCycles, busyCycles + e.busyCycles, d);
    }

    public long references(TableKind table) {
        long n = 0;
        for (ServedBy s : ServedBy.values()) {
            if (s.isMemoryReference()) {
                n += steps[table.ordinal()][s.ordinal()];
            }
        }
        return n;
    }

    /** Memory references made to all tables. */
    public long references() {
        long n = 0;
        for (TableKind t : TableKind.values()) {
            n += references(t);
        }
        return n;
    }

    /** Steps of any table served by {@code by}. */
    public long servedBy(ServedBy by) {
        long n = 0;
        for (long[] perTable : steps) {
            n += perTable[by.ordinal()];
        }
        return n;
    }
}
