/* Pointer chasing: dependent loads through one random cycle over the 64-byte lines of an array (a stand-in for
 * linked data structures such as mcf's), built with a fixed seed.
 *
 * Usage: chase [MIB [STEPS]]: an array of MIB MiB (default 256), STEPS loads (default 400,000,000; 0: build the
 * cycle and exit). Footprint: MIB MiB, and MIB / 16 MiB more while the cycle is built. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t arg(int argc, char **argv, int i, uint64_t def, uint64_t min) {
    if (i >= argc) return def;
    char *end;
    unsigned long long v = strtoull(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || argv[i][0] == '-' || v < min) {
        fprintf(stderr, "chase: usage: chase [MIB [STEPS]], MIB at least %d; not '%s'\n", i == 1 ? 1 : 0, argv[i]);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    const uint64_t lines = (arg(argc, argv, 1, 256, 1) << 20) / 64;
    const uint64_t steps = arg(argc, argv, 2, 400000000ull, 0);
    uint64_t *next = malloc(lines * 64);
    uint32_t *order = malloc(lines * sizeof(uint32_t));
    if (!next || !order) return 1;
    for (uint64_t i = 0; i < lines; i++) order[i] = (uint32_t) i;
    uint64_t x = 88172645463325252ull;
    for (uint64_t i = lines - 1; i > 0; i--) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        uint64_t j = x % (i + 1);
        uint32_t t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (uint64_t i = 0; i < lines; i++) next[order[i] * 8] = order[(i + 1) % lines] * 8;
    free(order);
    uint64_t p = 0;
    for (uint64_t n = 0; n < steps; n++) p = next[p];
    return (int) (p & 1);
}
