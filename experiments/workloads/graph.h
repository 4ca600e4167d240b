/* Loads a graph file written by kron (kron.c has the format). */
#ifndef NW_GRAPH_H
#define NW_GRAPH_H
#include "suite.h"

typedef struct {
    uint64_t nv, nadj;
    uint64_t *offsets;
    uint32_t *adj;
} graph_t;

static graph_t graph_load(const char *file) {
    graph_t g;
    int fd = open(file, O_RDONLY);
    if (fd < 0) nw_die("cannot open the graph %s (make it with kron)", file);
    uint64_t header[3];
    nw_read_all(fd, header, sizeof header, file);
    if (memcmp(header, "NWCSR001", 8) != 0) nw_die("%s is not a graph written by kron", file);
    g.nv = header[1];
    g.nadj = header[2];
    if (g.nv == 0 || g.nv > (1ull << 31) || g.nadj > (1ull << 36)) nw_die("%s has an implausible header", file);
    struct stat st;
    if (fstat(fd, &st) != 0 || (uint64_t) st.st_size != 24 + (g.nv + 1) * 8 + g.nadj * 4) {
        nw_die("%s: its size disagrees with its header", file);
    }
    g.offsets = nw_alloc((g.nv + 1) * sizeof(uint64_t), "the offsets");
    g.adj = nw_alloc(g.nadj * sizeof(uint32_t), "the neighbour lists");
    nw_read_all(fd, g.offsets, (g.nv + 1) * sizeof(uint64_t), file);
    nw_read_all(fd, g.adj, g.nadj * sizeof(uint32_t), file);
    close(fd);
    return g;
}
#endif
