/* Simulated annealing of a chip's placement, in the manner of PARSEC's canneal (Bienia et al., PACT 2008): a netlist
 * of ELEMENTS elements, each with a location on a square grid and lists of pointers to the elements it drives and is
 * driven by (heap arrays, as canneal's vectors), is improved by swapping the locations of two random elements when
 * that shortens the Manhattan wire length to their neighbours, or, with probability exp(-delta / T), even when it does
 * not; the temperature T falls by a tenth every 10,000 swaps. The netlist is random: each element drives 1 to 7 (4 on
 * average) elements drawn uniformly.
 *
 * Footprint: about 170 bytes per element (ELEMENTS 8,000,000: 1.3 GiB).
 *
 * Usage: canneal ELEMENTS SWAPS [SEED]: builds the netlist, then makes SWAPS swap attempts (0: build and exit). */
#include <math.h>
#include "suite.h"

typedef struct { int32_t x, y; } loc_t;

typedef struct elem {
    loc_t *loc;
    struct elem **fanin, **fanout;
    uint32_t nin, nout;
    char name[24];
} elem_t;

static inline int64_t dist(const loc_t *a, const loc_t *b) {
    int64_t dx = a->x - b->x, dy = a->y - b->y;
    return (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
}

/* The change in e's wire length if it moved from 'from' to 'to'. */
static int64_t move_cost(const elem_t *e, const loc_t *from, const loc_t *to) {
    int64_t d = 0;
    for (uint32_t i = 0; i < e->nin; i++) d += dist(to, e->fanin[i]->loc) - dist(from, e->fanin[i]->loc);
    for (uint32_t i = 0; i < e->nout; i++) d += dist(to, e->fanout[i]->loc) - dist(from, e->fanout[i]->loc);
    return d;
}

int main(int argc, char **argv) {
    nw_prog = "canneal";
    if (argc < 3 || argc > 4) nw_die("usage: %s", "canneal ELEMENTS SWAPS [SEED]");
    uint64_t n = nw_arg(argc, argv, 1, "ELEMENTS", 0, 2, 1u << 30);
    uint64_t swaps = nw_arg(argc, argv, 2, "SWAPS", 0, 0, 1ull << 40);
    uint64_t rng = nw_arg(argc, argv, 3, "SEED", 1, 0, UINT64_MAX);
    elem_t *elems = nw_alloc(n * sizeof(elem_t), "the elements");
    loc_t *locs = nw_alloc(n * sizeof(loc_t), "the locations");
    int32_t side = (int32_t) ceil(sqrt((double) n));
    uint8_t *nout = nw_alloc(n, "the fan-out counts");
    uint32_t *nin = calloc(n, sizeof(uint32_t));
    uint64_t *first = nw_alloc((n + 1) * sizeof(uint64_t), "the fan-out offsets");
    if (!nin) nw_die("%s", "cannot allocate the fan-in counts");
    first[0] = 0;
    for (uint64_t i = 0; i < n; i++) {
        nout[i] = (uint8_t) (1 + nw_below(&rng, 7));
        first[i + 1] = first[i] + nout[i];
    }
    uint32_t *targets = nw_alloc(first[n] * sizeof(uint32_t), "the fan-out targets");
    for (uint64_t k = 0; k < first[n]; k++) {
        targets[k] = (uint32_t) nw_below(&rng, n);
        nin[targets[k]]++;
    }
    for (uint64_t i = 0; i < n; i++) {
        elem_t *e = &elems[i];
        locs[i].x = (int32_t) (i % (uint64_t) side);
        locs[i].y = (int32_t) (i / (uint64_t) side);
        e->loc = &locs[i];
        e->nout = nout[i];
        e->nin = 0;
        e->fanout = nw_alloc(e->nout * sizeof(elem_t *), "a fan-out list");
        e->fanin = nw_alloc(nin[i] * sizeof(elem_t *), "a fan-in list");
        snprintf(e->name, sizeof e->name, "e%llu", (unsigned long long) i);
    }
    for (uint64_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < nout[i]; k++) {
            elem_t *t = &elems[targets[first[i] + k]];
            elems[i].fanout[k] = t;
            t->fanin[t->nin++] = &elems[i];
        }
    }
    free(targets);
    free(first);
    free(nin);
    free(nout);
    /* A random initial placement: shuffle the locations among the elements. */
    for (uint64_t i = n - 1; i > 0; i--) {
        uint64_t j = nw_below(&rng, i + 1);
        loc_t *t = elems[i].loc; elems[i].loc = elems[j].loc; elems[j].loc = t;
    }
    double temperature = 2000.0;
    uint64_t accepted = 0;
    int64_t total = 0;
    for (uint64_t s = 0; s < swaps; s++) {
        if (s % 10000 == 9999) temperature *= 0.9;
        elem_t *a = &elems[nw_below(&rng, n)], *b = &elems[nw_below(&rng, n)];
        if (a == b) continue;
        int64_t delta = move_cost(a, a->loc, b->loc) + move_cost(b, b->loc, a->loc);
        if (delta < 0 || nw_unit(&rng) < exp(-(double) delta / temperature)) {
            loc_t *t = a->loc; a->loc = b->loc; b->loc = t;
            accepted++;
            total += delta;
        }
    }
    printf("canneal: %llu elements, %llu swaps tried, %llu accepted, wire length change %lld\n",
           (unsigned long long) n, (unsigned long long) swaps, (unsigned long long) accepted, (long long) total);
    return 0;
}
