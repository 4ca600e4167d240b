/* A hash join, the build-and-probe kind an in-memory database runs (a "no partitioning" join in the manner of
 * Blanas et al., SIGMOD 2011, and Balkesen et al., ICDE 2013): relation R of 2^SCALE tuples (8-byte key, 8-byte
 * payload, unique keys) is built into an open-addressing hash table with linear probing and 2^(SCALE+1) slots
 * (load factor 0.5); relation S of 2^(SCALE+1) tuples, each referring to a random tuple of R, then probes it, and
 * the matching payloads are summed.
 *
 * Footprint: R 16 x 2^SCALE bytes, the table 32 x 2^SCALE, S 32 x 2^SCALE: 80 x 2^SCALE bytes (SCALE 24: 1.25 GiB).
 *
 * Usage: hashjoin SCALE PASSES [SEED]: builds R, S and the table, then probes with all of S PASSES times (0: build
 * and exit). */
#include "suite.h"

typedef struct { uint64_t key, payload; } tuple_t;

int main(int argc, char **argv) {
    nw_prog = "hashjoin";
    if (argc < 3 || argc > 4) nw_die("usage: %s", "hashjoin SCALE PASSES [SEED]");
    uint64_t scale = nw_arg(argc, argv, 1, "SCALE", 0, 4, 32);
    uint64_t passes = nw_arg(argc, argv, 2, "PASSES", 0, 0, 1ull << 40);
    uint64_t rng = nw_arg(argc, argv, 3, "SEED", 1, 0, UINT64_MAX);
    uint64_t nr = 1ull << scale, ns = 2 * nr, slots = 2 * nr, mask = slots - 1;
    unsigned shift = 64 - (unsigned) (scale + 1);
    tuple_t *r = nw_alloc(nr * sizeof(tuple_t), "R");
    tuple_t *s = nw_alloc(ns * sizeof(tuple_t), "S");
    tuple_t *table = nw_alloc(slots * sizeof(tuple_t), "the hash table");
    /* Unique nonzero keys: a bijective mix of 1..nr, salted by the seed. */
    uint64_t salt = nw_next(&rng);
    for (uint64_t i = 0; i < nr; i++) {
        r[i].key = nw_mix((i + 1) ^ salt);
        if (r[i].key == 0) r[i].key = 1; /* never happens for the seeds used; 0 marks a free slot */
        r[i].payload = i;
    }
    for (uint64_t j = 0; j < ns; j++) {
        s[j].key = r[nw_below(&rng, nr)].key;
        s[j].payload = j;
    }
    memset(table, 0, slots * sizeof(tuple_t));
    for (uint64_t i = 0; i < nr; i++) {
        uint64_t h = (r[i].key * 0x9E3779B97F4A7C15ull) >> shift;
        while (table[h].key != 0) h = (h + 1) & mask;
        table[h] = r[i];
    }
    uint64_t sum = 0, matches = 0;
    for (uint64_t p = 0; p < passes; p++) {
        for (uint64_t j = 0; j < ns; j++) {
            uint64_t k = s[j].key;
            uint64_t h = (k * 0x9E3779B97F4A7C15ull) >> shift;
            while (table[h].key != 0) {
                if (table[h].key == k) {
                    sum += table[h].payload ^ s[j].payload;
                    matches++;
                    break;
                }
                h = (h + 1) & mask;
            }
        }
    }
    printf("hashjoin: |R| = %llu, |S| = %llu, %llu passes, %llu matches, checksum %llu\n", (unsigned long long) nr,
           (unsigned long long) ns, (unsigned long long) passes, (unsigned long long) matches,
           (unsigned long long) sum);
    return 0;
}
