/* The graph input of bfs and pr: a Kronecker (R-MAT) graph as Graph500 and the GAP benchmark suite generate it,
 * 2^SCALE vertices and EDGEFACTOR x 2^SCALE undirected edges, quadrant probabilities A = 0.57, B = 0.19, C = 0.19
 * (D = 0.05), vertex numbers randomly permuted (so that a vertex's number says nothing of its degree), made
 * symmetric, self-loops and duplicate edges removed, each neighbour list sorted. Written in compressed sparse row
 * form to OUTFILE:
 *
 *   "NWCSR001", vertices (uint64), neighbour entries (uint64), offsets[vertices + 1] (uint64),
 *   neighbours[entries] (uint32)                              -- all little-endian, as the machine stores them
 *
 * Usage: kron SCALE EDGEFACTOR OUTFILE [SEED]. Deterministic: the same arguments give the same file. */
#include "suite.h"

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    nw_prog = "kron";
    if (argc < 4 || argc > 5) {
        nw_die("usage: %s", "kron SCALE EDGEFACTOR OUTFILE [SEED]");
    }
    uint64_t scale = nw_arg(argc, argv, 1, "SCALE", 0, 4, 30);
    uint64_t factor = nw_arg(argc, argv, 2, "EDGEFACTOR", 0, 1, 64);
    const char *out = argv[3];
    uint64_t seed = nw_arg(argc, argv, 4, "SEED", 1, 0, UINT64_MAX);
    uint64_t nv = 1ull << scale;
    uint64_t ne = factor * nv;
    uint32_t *edges = nw_alloc(ne * 2 * sizeof(uint32_t), "the edge list");
    uint64_t rng = seed * 0x2545F4914F6CDD1Dull + 17;
    for (uint64_t e = 0; e < ne; e++) {
        uint64_t u = 0, v = 0;
        for (uint64_t level = 0; level < scale; level++) {
            double r = nw_unit(&rng);
            /* A: (0,0), B: (0,1), C: (1,0), D: (1,1) */
            int ubit = r >= 0.57 + 0.19;
            int vbit = (r >= 0.57 && r < 0.57 + 0.19) || r >= 0.57 + 0.19 + 0.19;
            u = (u << 1) | (uint64_t) ubit;
            v = (v << 1) | (uint64_t) vbit;
        }
        edges[2 * e] = (uint32_t) u;
        edges[2 * e + 1] = (uint32_t) v;
    }
    /* A random permutation of the vertex numbers (Fisher-Yates). */
    uint32_t *perm = nw_alloc(nv * sizeof(uint32_t), "the permutation");
    for (uint64_t i = 0; i < nv; i++) perm[i] = (uint32_t) i;
    for (uint64_t i = nv - 1; i > 0; i--) {
        uint64_t j = nw_below(&rng, i + 1);
        uint32_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
    }
    uint64_t *offsets = calloc(nv + 1, sizeof(uint64_t));
    if (!offsets) nw_die("%s", "cannot allocate the offsets");
    for (uint64_t e = 0; e < 2 * ne; e++) edges[e] = perm[edges[e]];
    free(perm);
    for (uint64_t e = 0; e < ne; e++) {
        uint32_t u = edges[2 * e], v = edges[2 * e + 1];
        if (u != v) { offsets[u + 1]++; offsets[v + 1]++; }
    }
    for (uint64_t i = 0; i < nv; i++) offsets[i + 1] += offsets[i];
    uint32_t *adj = nw_alloc(offsets[nv] * sizeof(uint32_t) + 4, "the neighbour lists");
    uint64_t *fill = nw_alloc(nv * sizeof(uint64_t), "the fill pointers");
    memcpy(fill, offsets, nv * sizeof(uint64_t));
    for (uint64_t e = 0; e < ne; e++) {
        uint32_t u = edges[2 * e], v = edges[2 * e + 1];
        if (u != v) { adj[fill[u]++] = v; adj[fill[v]++] = u; }
    }
    free(edges);
    free(fill);
    /* Sort each list and drop duplicates, compacting in place. */
    uint64_t w = 0;
    for (uint64_t u = 0; u < nv; u++) {
        uint64_t b = offsets[u], e = offsets[u + 1];
        qsort(adj + b, e - b, sizeof(uint32_t), cmp_u32);
        offsets[u] = w;
        for (uint64_t i = b; i < e; i++) {
            if (i == b || adj[i] != adj[i - 1]) adj[w++] = adj[i];
        }
    }
    offsets[nv] = w;
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) nw_die("cannot create %s", out);
    uint64_t header[3];
    memcpy(header, "NWCSR001", 8);
    header[1] = nv;
    header[2] = w;
    nw_write_all(fd, header, sizeof header, out);
    nw_write_all(fd, offsets, (nv + 1) * sizeof(uint64_t), out);
    nw_write_all(fd, adj, w * sizeof(uint32_t), out);
    if (close(fd) != 0) nw_die("cannot write %s", out);
    printf("kron: %llu vertices, %llu neighbour entries (%.1f MiB) -> %s\n", (unsigned long long) nv,
           (unsigned long long) w, ((nv + 1) * 8.0 + w * 4.0) / 1048576.0, out);
    return 0;
}
