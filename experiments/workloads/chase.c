/* Pointer chasing: dependent loads through one random cycle over the 64-byte lines of 256 MiB (a stand-in for
 * linked data structures such as mcf's), built with a fixed seed. */
#include <stdint.h>
#include <stdlib.h>

int main(void) {
    const uint64_t lines = (256ull << 20) / 64;
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
    for (uint64_t n = 0; n < 400000000ull; n++) p = next[p];
    return (int) (p & 1);
}
