/* Shared by the suite's programs (experiments/workloads/): a seeded random generator, argument parsing that fails
 * with one line, allocation that fails with one line, and the convention every program follows:
 *
 *   PROGRAM SCALE WORK [SEED]
 *
 * SCALE sets the memory footprint (each program says how), WORK how much of the measured phase runs after the
 * initialization (0: initialize and exit, which is how make-suite.sh counts the instructions to fast-forward), SEED
 * the random stream (default 1). Each program prints one checksum line, so that no work can be optimized away. */
#ifndef NW_SUITE_H
#define NW_SUITE_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *nw_prog = "suite";

__attribute__((unused)) static void nw_die(const char *fmt, const char *what) {
    fprintf(stderr, "%s: ", nw_prog);
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
    exit(2);
}

/* splitmix64: a full-period 64-bit generator; also a bijective mixer of its state. */
static inline uint64_t nw_mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint64_t nw_next(uint64_t *state) {
    *state += 0x9E3779B97F4A7C15ull;
    return nw_mix(*state);
}

/* A uniform double in [0, 1). */
static inline double nw_unit(uint64_t *state) {
    return (nw_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

/* A uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for the n used here). */
static inline uint64_t nw_below(uint64_t *state, uint64_t n) {
    return (uint64_t) (((unsigned __int128) nw_next(state) * n) >> 64);
}

/* Argument i as an unsigned number in [min, max], or def when absent. */
__attribute__((unused)) static uint64_t nw_arg(int argc, char **argv, int i, const char *name, uint64_t def, uint64_t min, uint64_t max) {
    if (i >= argc) {
        return def;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(argv[i], &end, 10);
    if (errno != 0 || end == argv[i] || *end != '\0' || argv[i][0] == '-' || v < min || v > max) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s must be a whole number from %llu to %llu, not '%s'", name,
                 (unsigned long long) min, (unsigned long long) max, argv[i]);
        nw_die("%s", msg);
    }
    return v;
}

__attribute__((unused)) static void nw_usage(int argc, int max_args, const char *usage) {
    if (argc < 3 || argc > max_args) {
        nw_die("usage: %s", usage);
    }
}

__attribute__((unused)) static void *nw_alloc(size_t bytes, const char *what) {
    void *p = malloc(bytes ? bytes : 1);
    if (p == NULL) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot allocate %zu bytes for %s", bytes, what);
        nw_die("%s", msg);
    }
    return p;
}

/* Reads exactly n bytes of fd into p (in chunks: one read() moves at most about 2 GiB). */
__attribute__((unused)) static void nw_read_all(int fd, void *p, size_t n, const char *file) {
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n > (256u << 20) ? (256u << 20) : n);
        if (r <= 0) {
            nw_die("%s is shorter than its header says (or unreadable)", file);
        }
        c += r;
        n -= (size_t) r;
    }
}

__attribute__((unused)) static void nw_write_all(int fd, const void *p, size_t n, const char *file) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n > (256u << 20) ? (256u << 20) : n);
        if (w <= 0) {
            nw_die("cannot write %s", file);
        }
        c += w;
        n -= (size_t) w;
    }
}
#endif
