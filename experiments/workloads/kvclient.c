/* A client of ours for Redis (the kv workload of make-suite.sh): it fills the server with KEYS keys of VALSZ-byte
 * values, or sends a random mix of GETs (90 %) and SETs (10 %) to uniformly drawn keys, pipelined (DEPTH commands
 * in flight), speaking RESP over TCP on 127.0.0.1. The key and value sequences are fixed by SEED.
 *
 *   kvclient PORT wait                       until the server answers PING (it answers -LOADING while it loads)
 *   kvclient PORT ping                       whether it answers PING now (exit status 0) or not (1), silently
 *   kvclient PORT fill KEYS VALSZ            SET key:0 .. key:KEYS-1
 *   kvclient PORT mix KEYS VALSZ OPS [SEED]  OPS random GETs and SETs; ends early, without error, if the server
 *                                            goes away (a capture's --stop ends it)
 *   kvclient PORT save                       SAVE, then SHUTDOWN NOSAVE
 *   kvclient PORT shutdown                   SHUTDOWN NOSAVE
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <signal.h>
#include <time.h>
#include "suite.h"

#define DEPTH 64

static int fd = -1;
static char in[1 << 16];
static size_t in_len, in_pos;
static char out[1 << 20];
static size_t out_len;

static int try_connect(int port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) nw_die("%s", "cannot create a socket");
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t) port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *) &a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

static void flush_out(void) {
    size_t p = 0;
    while (p < out_len) {
        ssize_t w = write(fd, out + p, out_len - p);
        if (w <= 0) { out_len = 0; return; }
        p += (size_t) w;
    }
    out_len = 0;
}

/* The next byte from the server, or -1 when it closed the connection. */
static int next_byte(void) {
    if (in_pos == in_len) {
        ssize_t r = read(fd, in, sizeof in);
        if (r <= 0) return -1;
        in_len = (size_t) r;
        in_pos = 0;
    }
    return (unsigned char) in[in_pos++];
}

/* Reads one reply; returns its first byte ('+', '-', ':', '$'), or -1 when the connection closed. The first line is
 * kept in 'line'. */
static char line[256];
static int read_reply(void) {
    int type = next_byte();
    if (type < 0) return -1;
    size_t n = 0;
    int c;
    while ((c = next_byte()) >= 0 && c != '\n') {
        if (n < sizeof line - 1) line[n++] = (char) c;
    }
    if (c < 0) return -1;
    line[n > 0 && line[n - 1] == '\r' ? n - 1 : n] = '\0';
    if (type == '$') {
        long len = strtol(line, NULL, 10);
        for (long i = 0; i < len + 2 && len >= 0; i++) {
            if (next_byte() < 0) return -1;
        }
    } else if (type == '*') {
        nw_die("%s", "unexpected array reply");
    }
    return type;
}

static void put(const char *s, size_t n) {
    if (out_len + n > sizeof out) flush_out();
    memcpy(out + out_len, s, n);
    out_len += n;
}

static void command(int argc, const char **argv, const size_t *lens) {
    char head[32];
    put(head, (size_t) snprintf(head, sizeof head, "*%d\r\n", argc));
    for (int i = 0; i < argc; i++) {
        put(head, (size_t) snprintf(head, sizeof head, "$%zu\r\n", lens[i]));
        put(argv[i], lens[i]);
        put("\r\n", 2);
    }
}

static void simple(const char *name) {
    const char *argv[2] = {name, "NOSAVE"};
    size_t lens[2] = {strlen(name), 6};
    command(strcmp(name, "SHUTDOWN") == 0 ? 2 : 1, argv, lens);
    flush_out();
}

/* Key i's text and a value of valsz bytes that depends on the key and a version. */
static size_t key_text(char *k, uint64_t i) { return (size_t) sprintf(k, "key:%012llu", (unsigned long long) i); }
static void value_text(char *v, size_t valsz, uint64_t i, uint64_t version) {
    uint64_t s = i * 31 + version;
    for (size_t j = 0; j < valsz; j++) v[j] = (char) ('a' + (nw_next(&s) % 26));
}

int main(int argc, char **argv) {
    nw_prog = "kvclient";
    signal(SIGPIPE, SIG_IGN); /* a server that goes away is an end, not a crash */
    if (argc < 3) nw_die("%s", "usage: kvclient PORT wait|ping|fill|mix|save|shutdown ...");
    int port = (int) nw_arg(argc, argv, 1, "PORT", 0, 1, 65535);
    const char *what = argv[2];
    if (strcmp(what, "ping") == 0) {
        fd = try_connect(port);
        if (fd < 0) return 1;
        simple("PING");
        return read_reply() == '+' ? 0 : 1;
    }
    if (strcmp(what, "wait") == 0) {
        for (int tries = 0; tries < 36000; tries++) {
            fd = try_connect(port);
            if (fd >= 0) {
                simple("PING");
                int t = read_reply();
                close(fd);
                if (t == '+') return 0;
            }
            struct timespec ts = {0, 100000000};
            nanosleep(&ts, NULL);
        }
        nw_die("%s", "the server did not answer within an hour");
    }
    fd = try_connect(port);
    if (fd < 0) nw_die("%s", "cannot connect to the server");
    if (strcmp(what, "save") == 0 || strcmp(what, "shutdown") == 0) {
        if (what[1] == 'a') {
            simple("SAVE");
            if (read_reply() != '+') nw_die("SAVE failed: %s", line);
        }
        simple("SHUTDOWN");
        read_reply(); /* the server closes the connection */
        return 0;
    }
    int mix = strcmp(what, "mix") == 0;
    if (!mix && strcmp(what, "fill") != 0) nw_die("unknown command %s", what);
    if (argc != (mix ? 6 : 5) && !(mix && argc == 7)) {
        nw_die("%s", "usage: kvclient PORT fill KEYS VALSZ | kvclient PORT mix KEYS VALSZ OPS [SEED]");
    }
    uint64_t keys = nw_arg(argc, argv, 3, "KEYS", 0, 1, 1ull << 34);
    size_t valsz = (size_t) nw_arg(argc, argv, 4, "VALSZ", 0, 1, 1 << 16);
    uint64_t ops = mix ? nw_arg(argc, argv, 5, "OPS", 0, 0, 1ull << 40) : keys;
    uint64_t rng = nw_arg(argc, argv, 6, "SEED", 1, 0, UINT64_MAX);
    char k[32], *v = nw_alloc(valsz, "a value");
    uint64_t gets = 0, hits = 0, sent = 0, answered = 0;
    while (answered < ops) {
        while (sent < ops && sent - answered < DEPTH) {
            uint64_t i = mix ? nw_below(&rng, keys) : sent;
            size_t kl = key_text(k, i);
            if (mix && nw_below(&rng, 10) != 0) {
                const char *a[2] = {"GET", k};
                size_t l[2] = {3, kl};
                command(2, a, l);
                gets++;
            } else {
                value_text(v, valsz, i, sent);
                const char *a[3] = {"SET", k, v};
                size_t l[3] = {3, kl, valsz};
                command(3, a, l);
            }
            sent++;
        }
        flush_out();
        /* Read what the server answered so far, at least one reply. */
        do {
            int t = read_reply();
            if (t < 0) {
                if (!mix) nw_die("%s", "the server closed the connection");
                printf("kvclient: the server went away after %llu of %llu operations\n",
                       (unsigned long long) answered, (unsigned long long) ops);
                return 0;
            }
            if (t == '-') nw_die("the server answered an error: %s", line);
            if (t == '$' && line[0] != '-') hits++;
            answered++;
        } while (in_pos < in_len && answered < sent);
    }
    printf("kvclient: %s, %llu operations, %llu GETs, %llu hits\n", what, (unsigned long long) ops,
           (unsigned long long) gets, (unsigned long long) hits);
    return 0;
}
