/* Breadth-first search over a Kronecker graph in compressed sparse row form, in the manner of the GAP benchmark
 * suite's bfs: direction-optimizing (Beamer et al., SC 2012): top-down steps from a queue while the frontier is
 * small, bottom-up steps over a bitmap of the frontier while it is large (switching with GAP's alpha = 15, beta = 18).
 *
 * Usage: bfs GRAPH TRIALS [SEED]: loads GRAPH (written by kron: its size is the footprint), then runs TRIALS
 * searches from sources drawn with SEED among the vertices with neighbours (0: load and exit). */
#include "graph.h"

static graph_t g;
static int32_t *parent;
static uint32_t *queue;
static uint64_t *front, *next;

static inline int bit_get(const uint64_t *b, uint64_t i) { return (b[i >> 6] >> (i & 63)) & 1; }
static inline void bit_set(uint64_t *b, uint64_t i) { b[i >> 6] |= 1ull << (i & 63); }

/* One top-down step: the queue's [head, tail) is the frontier; returns the new tail and the edges it will scout. */
static uint64_t top_down(uint64_t head, uint64_t tail, uint64_t *scout) {
    uint64_t out = tail;
    *scout = 0;
    for (uint64_t i = head; i < tail; i++) {
        uint32_t u = queue[i];
        for (uint64_t k = g.offsets[u]; k < g.offsets[u + 1]; k++) {
            uint32_t v = g.adj[k];
            if (parent[v] < 0) {
                parent[v] = (int32_t) u;
                queue[out++] = v;
                *scout += g.offsets[v + 1] - g.offsets[v];
            }
        }
    }
    return out;
}

/* One bottom-up step: every unvisited vertex looks for a parent in the frontier bitmap; returns how many found one. */
static uint64_t bottom_up(void) {
    uint64_t awake = 0;
    memset(next, 0, ((g.nv + 63) / 64) * 8);
    for (uint64_t v = 0; v < g.nv; v++) {
        if (parent[v] >= 0) continue;
        for (uint64_t k = g.offsets[v]; k < g.offsets[v + 1]; k++) {
            uint32_t u = g.adj[k];
            if (bit_get(front, u)) {
                parent[v] = (int32_t) u;
                bit_set(next, v);
                awake++;
                break;
            }
        }
    }
    return awake;
}

static uint64_t bfs(uint32_t source) {
    for (uint64_t v = 0; v < g.nv; v++) parent[v] = -1;
    parent[source] = (int32_t) source;
    uint64_t head = 0, tail = 0, reached = 1;
    queue[tail++] = source;
    uint64_t edges_to_check = g.nadj, scout = g.offsets[source + 1] - g.offsets[source];
    while (head < tail) {
        if (scout > edges_to_check / 15) {
            /* Bottom-up while the frontier stays large. */
            memset(front, 0, ((g.nv + 63) / 64) * 8);
            for (uint64_t i = head; i < tail; i++) bit_set(front, queue[i]);
            uint64_t awake = tail - head, old;
            do {
                old = awake;
                awake = bottom_up();
                reached += awake;
                uint64_t *t = front; front = next; next = t;
            } while (awake >= old || awake > g.nv / 18);
            /* Back to the queue. */
            head = tail = 0;
            for (uint64_t v = 0; v < g.nv; v++) {
                if (bit_get(front, v)) queue[tail++] = (uint32_t) v;
            }
            scout = 1;
        } else {
            edges_to_check -= scout;
            uint64_t t = top_down(head, tail, &scout);
            reached += t - tail;
            head = tail;
            tail = t;
        }
    }
    return reached;
}

int main(int argc, char **argv) {
    nw_prog = "bfs";
    if (argc < 3 || argc > 4) nw_die("usage: %s", "bfs GRAPH TRIALS [SEED]");
    uint64_t trials = nw_arg(argc, argv, 2, "TRIALS", 0, 0, 1ull << 40);
    uint64_t rng = nw_arg(argc, argv, 3, "SEED", 1, 0, UINT64_MAX);
    g = graph_load(argv[1]);
    parent = nw_alloc(g.nv * sizeof(int32_t), "the parents");
    queue = nw_alloc(g.nv * sizeof(uint32_t), "the queue");
    front = nw_alloc(((g.nv + 63) / 64) * 8, "the frontier bitmap");
    next = nw_alloc(((g.nv + 63) / 64) * 8, "the next frontier bitmap");
    uint64_t sum = 0;
    for (uint64_t t = 0; t < trials; t++) {
        uint32_t s;
        do s = (uint32_t) nw_below(&rng, g.nv); while (g.offsets[s + 1] == g.offsets[s]);
        sum += bfs(s);
    }
    printf("bfs: %llu vertices, %llu trials, %llu vertices reached\n", (unsigned long long) g.nv,
           (unsigned long long) trials, (unsigned long long) sum);
    return 0;
}
