/* A large random footprint: read-modify-write of 8-byte words chosen uniformly over 512 MiB (HPC Challenge
 * RandomAccess's access pattern), with a fixed seed so every capture records the same references. */
#include <stdint.h>
#include <stdlib.h>

int main(void) {
    const uint64_t words = (512ull << 20) / 8;
    uint64_t *table = malloc(words * 8);
    if (!table) return 1;
    for (uint64_t i = 0; i < words; i += 512) table[i] = i; /* touch every page once, sequentially */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (uint64_t n = 0; n < 400000000ull; n++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        table[x % words] ^= x;
    }
    return (int) (table[x % words] & 1);
}
