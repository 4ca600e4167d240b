package org.nestwalk.sim;

/**
 * Counters of the structures only the later schemes have: the cuckoo walk cache of a hashed nested dimension, the
 * part-of-memory TLB, and agile paging's moves between shadow and nested mode. Zero when the machine has none.
 *
 * @param cwcProbes     cuckoo walk cache probes
 * @param cwcHits       of which hits
 * @param pomProbes     POM-TLB lookups
 * @param pomHits       of which hits
 * @param agileToNested guest page-table pages agile paging moved from shadow to nested mode
 * @param agileToShadow pages it moved back
 * @param agile         whether the machine runs agile paging (its moves may be zero)
 */
public record SchemeCounters(long cwcProbes, long cwcHits, long pomProbes, long pomHits, long agileToNested,
                             long agileToShadow, boolean agile) {
    public static final SchemeCounters NONE = new SchemeCounters(0, 0, 0, 0, 0, 0, false);

    public SchemeCounters minus(SchemeCounters e) {
        return new SchemeCounters(cwcProbes - e.cwcProbes, cwcHits - e.cwcHits, pomProbes - e.pomProbes,
                pomHits - e.pomHits, agileToNested - e.agileToNested, agileToShadow - e.agileToShadow, agile);
    }
}
