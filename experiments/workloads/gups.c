/* A large random footprint: read-modify-write of 8-byte words chosen uniformly over a table (HPC Challenge
 * RandomAccess's access pattern), with a fixed seed so every capture records the same references.
 *
 * Usage: gups [MIB [UPDATES]]: a table of MIB MiB (default 512), UPDATES updates (default 400,000,000; 0: touch the
 * table and exit). Footprint: MIB MiB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t arg(int argc, char **argv, int i, uint64_t def, uint64_t min) {
    if (i >= argc) return def;
    char *end;
    unsigned long long v = strtoull(argv[i], &end, 10);
    if (end == argv[i] || *end != '\0' || argv[i][0] == '-' || v < min) {
        fprintf(stderr, "gups: usage: gups [MIB [UPDATES]], MIB at least %d; not '%s'\n", i == 1 ? 1 : 0, argv[i]);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    const uint64_t words = (arg(argc, argv, 1, 512, 1) << 20) / 8;
    const uint64_t updates = arg(argc, argv, 2, 400000000ull, 0);
    uint64_t *table = malloc(words * 8);
    if (!table) return 1;
    for (uint64_t i = 0; i < words; i += 512) table[i] = i; /* touch every page once, sequentially */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (uint64_t n = 0; n < updates; n++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        table[x % words] ^= x;
    }
    return (int) (table[x % words] & 1);
}
