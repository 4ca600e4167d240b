/* PageRank over a Kronecker graph in compressed sparse row form, in the manner of the GAP benchmark suite's pr:
 * pull direction (each vertex sums the contributions of its neighbours, the graph being symmetric), damping 0.85,
 * single-precision scores, a fixed number of iterations.
 *
 * Usage: pr GRAPH ITERATIONS [SEED]: loads GRAPH (written by kron: its size is most of the footprint) and runs
 * ITERATIONS iterations (0: load and exit). SEED is accepted for the suite's convention; PageRank uses no random
 * numbers. */
#include "graph.h"

int main(int argc, char **argv) {
    nw_prog = "pr";
    if (argc < 3 || argc > 4) nw_die("usage: %s", "pr GRAPH ITERATIONS [SEED]");
    uint64_t iterations = nw_arg(argc, argv, 2, "ITERATIONS", 0, 0, 1ull << 40);
    (void) nw_arg(argc, argv, 3, "SEED", 1, 0, UINT64_MAX);
    graph_t g = graph_load(argv[1]);
    float *score = nw_alloc(g.nv * sizeof(float), "the scores");
    float *contrib = nw_alloc(g.nv * sizeof(float), "the contributions");
    const float damping = 0.85f, base = (1.0f - damping) / (float) g.nv;
    for (uint64_t v = 0; v < g.nv; v++) score[v] = 1.0f / (float) g.nv;
    double error = 0;
    for (uint64_t it = 0; it < iterations; it++) {
        for (uint64_t v = 0; v < g.nv; v++) {
            uint64_t d = g.offsets[v + 1] - g.offsets[v];
            contrib[v] = d ? score[v] / (float) d : 0.0f;
        }
        error = 0;
        for (uint64_t u = 0; u < g.nv; u++) {
            float sum = 0;
            for (uint64_t k = g.offsets[u]; k < g.offsets[u + 1]; k++) sum += contrib[g.adj[k]];
            float s = base + damping * sum;
            error += s > score[u] ? s - score[u] : score[u] - s;
            score[u] = s;
        }
    }
    printf("pr: %llu vertices, %llu iterations, last change %g\n", (unsigned long long) g.nv,
           (unsigned long long) iterations, error);
    return 0;
}
