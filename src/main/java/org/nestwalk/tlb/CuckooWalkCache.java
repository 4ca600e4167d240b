package org.nestwalk.tlb;

/**
 * The cuckoo walk cache of a hashed nested dimension: a small fully associative cache, tagged by VM, of which way of
 * the cuckoo table holds a cluster of guest pages that a nested translation recently found. With a hit the walker
 * reads that one way's line instead of all d. Elastic cuckoo page tables (Skarlatos et al., ASPLOS 2020) keep cuckoo
 * walk tables that tell the walker which of its per-page-size tables to probe; with the one page size this hypervisor
 * maps guest memory with, what is left to tell is the way, and that is what this cache keeps (assumed). Least
 * recently used entries are replaced.
 */
public final class CuckooWalkCache {
    private final long[] keys;
    private final int[] ways;
    private final long[] used;
    private final int latency;
    private long clock;
    private long probes;
    private long hits;

    public CuckooWalkCache(WalkCacheConfig config) {
        this.keys = new long[config.entries()];
        this.ways = new int[config.entries()];
        this.used = new long[config.entries()];
        this.latency = config.latency();
    }

    /** Whether the cache exists (0 entries: every nested translation reads all d ways). */
    public boolean present() {
        return keys.length > 0;
    }

    public int latency() {
        return latency;
    }

    /** The way that held {@code cluster} of VM {@code vm}, or -1. */
    public int lookup(long cluster, int vm) {
        probes++;
        int i = find(key(cluster, vm));
        if (i < 0) {
            return -1;
        }
        hits++;
        used[i] = ++clock;
        return ways[i];
    }

    /** Remembers that {@code cluster} of VM {@code vm} is in way {@code way}. */
    public void fill(long cluster, int vm, int way) {
        if (!present()) {
            return;
        }
        long k = key(cluster, vm);
        int i = find(k);
        if (i < 0) {
            i = 0;
            for (int j = 0; j < keys.length; j++) {
                if (keys[j] == 0) {
                    i = j;
                    break;
                }
                if (used[j] < used[i]) {
                    i = j;
                }
            }
            keys[i] = k;
        }
        ways[i] = way;
        used[i] = ++clock;
    }

    /** Forgets {@code cluster} of VM {@code vm} (its way was found to have changed). */
    public void invalidate(long cluster, int vm) {
        int i = find(key(cluster, vm));
        if (i >= 0) {
            keys[i] = 0;
        }
    }

    public void flush() {
        java.util.Arrays.fill(keys, 0);
    }

    public long probes() {
        return probes;
    }

    public long hits() {
        return hits;
    }

    private int find(long k) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == k) {
                return i;
            }
        }
        return -1;
    }

    /** Never 0, which marks a free entry. */
    private static long key(long cluster, int vm) {
        return ((cluster + 1) << 8) | (vm & 0xFF);
    }
}
