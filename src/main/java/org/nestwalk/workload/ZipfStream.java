package org.nestwalk.workload;

import org.nestwalk.random.KeyedPermutation;
import org.nestwalk.random.RandomStreams;

/**
 * A hot set: the page touched is drawn from a Zipf law over popularity ranks (rank 1 most popular), ranks are
 * scattered over the footprint by a random permutation, and the word inside the page is uniform.
 */
final class ZipfStream extends SyntheticStream {
    private final ZipfSampler ranks;
    private final KeyedPermutation pageOfRank;

    ZipfStream(WorkloadSpec spec, RandomStreams streams) {
        super(spec, streams);
        long pages = spec.footprintBytes() >>> 12;
        this.ranks = new ZipfSampler(pages, spec.zipfExponent());
        this.pageOfRank = new KeyedPermutation(pages, addresses);
    }

    @Override
    protected long nextAddress() {
        long page = pageOfRank.at(ranks.sample(addresses) - 1);
        return base + (page << 12) + (addresses.nextLong(512) << 3);
    }
}
