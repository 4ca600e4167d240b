/* Monte-Carlo macroscopic cross-section lookups, in the manner of XSBench (Tramm et al., PHYSOR 2014), the proxy of
 * the kernel that dominates OpenMC's run time: 68 nuclides (XSBench's "small" problem) with GRIDPOINTS energy points
 * each (an energy and five cross sections: 48 bytes), a unionized energy grid of all 68 x GRIDPOINTS energies, and for
 * each of its points the index of the enclosing point in every nuclide's grid (4 bytes x 68). A lookup draws a
 * particle energy and a material (12 materials, with XSBench's numbers of nuclides and probabilities, the
 * nuclides of each drawn at random), finds the energy in the unionized grid by binary search, and for each nuclide of
 * the material interpolates its five cross sections between two grid points and accumulates them.
 *
 * Footprint: about 68 x GRIDPOINTS x 328 bytes (GRIDPOINTS 60000: 1.25 GiB; XSBench's default is 11303).
 *
 * Usage: xsbench GRIDPOINTS LOOKUPS [SEED]: builds the grids, then makes LOOKUPS lookups (0: build and exit). */
#include "suite.h"

#define NUCLIDES 68
#define MATERIALS 12

typedef struct { double energy, xs[5]; } point_t;

static point_t *nuc;        /* NUCLIDES x gp points, each nuclide's sorted by energy */
static double *uenergy;     /* the unionized grid's energies, NUCLIDES x gp, sorted */
static int32_t *uindex;     /* for each unionized point, the index into each nuclide's grid */

static int cmp_point(const void *a, const void *b) {
    double x = ((const point_t *) a)->energy, y = ((const point_t *) b)->energy;
    return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    nw_prog = "xsbench";
    if (argc < 3 || argc > 4) nw_die("usage: %s", "xsbench GRIDPOINTS LOOKUPS [SEED]");
    uint64_t gp = nw_arg(argc, argv, 1, "GRIDPOINTS", 0, 2, 1u << 24);
    uint64_t lookups = nw_arg(argc, argv, 2, "LOOKUPS", 0, 0, 1ull << 40);
    uint64_t rng = nw_arg(argc, argv, 3, "SEED", 1, 0, UINT64_MAX);
    uint64_t total = NUCLIDES * gp;
    nuc = nw_alloc(total * sizeof(point_t), "the nuclide grids");
    uenergy = nw_alloc(total * sizeof(double), "the unionized grid");
    uindex = nw_alloc(total * NUCLIDES * sizeof(int32_t), "the unionized grid's indices");
    for (uint64_t i = 0; i < total; i++) {
        nuc[i].energy = nw_unit(&rng);
        for (int k = 0; k < 5; k++) nuc[i].xs[k] = nw_unit(&rng);
    }
    for (int n = 0; n < NUCLIDES; n++) qsort(nuc + n * gp, gp, sizeof(point_t), cmp_point);
    for (uint64_t i = 0; i < total; i++) uenergy[i] = nuc[i].energy;
    qsort(uenergy, total, sizeof(double), cmp_double);
    /* For each nuclide, sweep the unionized grid: the last of its points at or below each unionized energy. */
    for (int n = 0; n < NUCLIDES; n++) {
        const point_t *grid = nuc + n * gp;
        uint64_t g = 0;
        for (uint64_t i = 0; i < total; i++) {
            while (g + 1 < gp && grid[g + 1].energy <= uenergy[i]) g++;
            uindex[i * NUCLIDES + n] = (int32_t) g;
        }
    }
    /* The materials: XSBench's nuclide counts (small problem) and the probability of a lookup in each. */
    static const int count[MATERIALS] = {34, 5, 4, 4, 27, 21, 21, 21, 21, 21, 9, 9};
    static const double dist[MATERIALS] = {0.140, 0.052, 0.275, 0.134, 0.154, 0.064, 0.066, 0.055, 0.008, 0.015,
                                           0.025, 0.013};
    int members[MATERIALS][NUCLIDES];
    double conc[MATERIALS][NUCLIDES];
    for (int m = 0; m < MATERIALS; m++) {
        int pool[NUCLIDES];
        for (int n = 0; n < NUCLIDES; n++) pool[n] = n;
        for (int j = 0; j < count[m]; j++) {
            int pick = j + (int) nw_below(&rng, (uint64_t) (NUCLIDES - j));
            int t = pool[j]; pool[j] = pool[pick]; pool[pick] = t;
            members[m][j] = pool[j];
            conc[m][j] = nw_unit(&rng);
        }
    }
    double macro[5] = {0, 0, 0, 0, 0};
    for (uint64_t l = 0; l < lookups; l++) {
        double e = nw_unit(&rng), u = nw_unit(&rng);
        int m = 0;
        for (double acc = dist[0]; m < MATERIALS - 1 && u >= acc; acc += dist[++m]) {
        }
        /* The last unionized point at or below e (the first if e is below them all). */
        uint64_t lo = 0, hi = total - 1;
        while (hi - lo > 1) {
            uint64_t mid = (lo + hi) / 2;
            if (uenergy[mid] > e) hi = mid; else lo = mid;
        }
        const int32_t *idx = uindex + lo * NUCLIDES;
        for (int j = 0; j < count[m]; j++) {
            int n = members[m][j];
            uint64_t g = (uint64_t) idx[n];
            if (g == gp - 1) g--;
            const point_t *a = nuc + n * gp + g, *b = a + 1;
            double f = (b->energy - e) / (b->energy - a->energy);
            for (int k = 0; k < 5; k++) macro[k] += conc[m][j] * (b->xs[k] - f * (b->xs[k] - a->xs[k]));
        }
    }
    printf("xsbench: %d nuclides x %llu points, %llu lookups, checksum %.6e\n", NUCLIDES, (unsigned long long) gp,
           (unsigned long long) lookups, macro[0] + macro[1] + macro[2] + macro[3] + macro[4]);
    return 0;
}
