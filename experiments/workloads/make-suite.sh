#!/usr/bin/env bash
# Builds, feeds and captures the workload suite: memory-hungry programs, each with a deterministic input and a
# footprint of more than 1 GiB at full scale, recorded with nestwalk's own capture (nwtrace, a Valgrind tool) in a
# window after their initialization.
#
#   bash experiments/workloads/make-suite.sh [--scale full|quick|test] [--refs N] [--offset N] [--out DIR]
#   ONLY="bfs kv" bash experiments/workloads/make-suite.sh --scale quick     (capture only these)
#
# --scale   full (default): footprints of 1.1 to 1.4 GiB, traces in traces/suite/; quick: 30 to 90 MiB, traces in
#           traces/suite-quick/; test: a few MiB (what the tests capture), traces in traces/suite-test/
# --refs    data references per window (default 12,000,000 at full and quick scale, 300,000 at test scale)
# --offset  instructions of the measured phase run before the window (default 500,000,000 at full scale, 20,000,000
#           at quick scale, 100,000 at test scale): another --offset into another --out captures another window
# --out     where the traces go (their inputs go to DIR/inputs/, and are made once and kept)
#
# The programs (each one's source says what it computes and how its footprint follows from its scale):
#   bfs       direction-optimizing breadth-first search over a Kronecker graph (kron.c, bfs.c; GAP's bfs)
#   pr        PageRank, pull direction, over the same graph (pr.c; GAP's pr)
#   hashjoin  build and probe of an open-addressing hash table (hashjoin.c)
#   sqlite    random primary-key lookups in a SQLite database read through mmap (Debian's sqlite3)
#   kv        Redis (Debian's redis-server) under a random 90 % GET / 10 % SET mix from kvclient.c
#   xsbench   Monte-Carlo cross-section lookups on a unionized energy grid (xsbench.c; XSBench)
#   canneal   simulated annealing of a random netlist's placement (canneal.c; PARSEC's canneal)
#   gups      random read-modify-write over a table (gups.c; HPC Challenge RandomAccess)
#   chase     dependent loads through a random cycle (chase.c)
#
# Fast-forwarding: every program takes a WORK argument, and with WORK = 0 it initializes and exits. The script runs
# it so once under the capture tool with an unreachable --skip-instrs, which records nothing but counts every
# instruction (the trace's header keeps the count, 'trace info' prints it): that count, plus OFFSET instructions of
# the measured phase, is the --skip-instrs of the real capture, which records --refs references and then ends the
# program (--stop). For Redis, the count is of starting, loading the database (made once, natively, by kvclient
# fill and SAVE) and a SHUTDOWN; the capture then starts once the mix is OFFSET instructions old. The counts are
# kept in DIR/inputs/NAME.skip with the command they belong to.
#
# Determinism: the inputs are fixed (seeds, sizes), and two captures of a program record the same window (the same
# counts of references, instructions and pages), except Redis, whose window depends on timing: how the client's
# pipelined requests fall into reads, and its 10 Hz timer. Run time on two cores: about 10 minutes at full scale
# (making the inputs included), 1 minute at quick scale, 25 seconds at test scale.
#
# Environment: NESTWALK (how to run nestwalk; default: java -jar target/nestwalk.jar, built if missing),
# SKIP_MISSING=1 (leave out programs whose tools are missing instead of installing them), KV_PORT (Redis's port).
set -euo pipefail
caller=$(pwd)
cd "$(dirname "$0")"
here=$(pwd)
root=$(cd ../.. && pwd)

scale=full
refs=
out=
offset_arg=
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scale=${2:-}; shift 2 ;;
        --refs) refs=${2:-}; shift 2 ;;
        --out) out=${2:-}; shift 2 ;;
        --offset) offset_arg=${2:-}; shift 2 ;;
        *) echo "make-suite: unknown argument '$1' (expected --scale full|quick|test, --refs N, --offset N, --out DIR)" >&2
           exit 2 ;;
    esac
done
# Per scale: kron scale, hashjoin scale, xsbench grid points, canneal elements, SQLite rows, Redis keys, gups and
# chase MiB, the instructions of the measured phase skipped before the window.
case "$scale" in
    full)  graph=23; hj=24; xs=60000; cn=8000000; rows=10000000; keys=7000000; mib=1024; offset=500000000
           : "${refs:=12000000}"; : "${out:=$here/traces/suite}" ;;
    quick) graph=18; hj=19; xs=3000;  cn=400000;  rows=500000;   keys=350000;  mib=64;   offset=20000000
           : "${refs:=12000000}"; : "${out:=$here/traces/suite-quick}" ;;
    test)  graph=12; hj=13; xs=60;    cn=5000;    rows=5000;     keys=5000;    mib=4;    offset=100000
           : "${refs:=300000}"; : "${out:=$here/traces/suite-test}" ;;
    *) echo "make-suite: --scale must be full, quick or test, not '$scale'" >&2; exit 2 ;;
esac
if [ -n "$offset_arg" ]; then
    if ! [[ "$offset_arg" =~ ^[0-9]{1,15}$ ]]; then
        echo "make-suite: --offset must be a whole number of instructions (at most 15 digits), not '$offset_arg'" >&2
        exit 2
    fi
    offset=$offset_arg
fi
if ! [[ "$refs" =~ ^[1-9][0-9]*$ ]]; then
    echo "make-suite: --refs must be a positive whole number, not '$refs'" >&2
    exit 2
fi
case "$out" in /*) ;; *) out=$caller/$out ;; esac # relative to where the script was started from
mkdir -p "$out/inputs/bin"
out=$(cd "$out" && pwd)
work=$out/inputs
bin=$work/bin
all="bfs pr hashjoin sqlite kv xsbench canneal gups chase"
wanted() { [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]; }
for name in ${ONLY:-}; do
    [[ " $all " == *" $name "* ]] || { echo "make-suite: unknown program '$name' in ONLY (known: $all)" >&2; exit 2; }
done

# Tools: gcc and valgrind always; sqlite3 and redis-server for their workloads.
missing() { for t in "$@"; do command -v "$t" > /dev/null || return 0; done; return 1; }
declare -A package=([gcc]=gcc [valgrind]=valgrind [sqlite3]=sqlite3 [redis-server]=redis-server [java]=default-jre-headless)
need=()
for tool in gcc valgrind java sqlite3 redis-server; do
    command -v "$tool" > /dev/null || need+=("${package[$tool]}")
done
if [ ${#need[@]} -gt 0 ] && [ "${SKIP_MISSING:-0}" != 1 ]; then
    if command -v apt-get > /dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
    else
        echo "make-suite: missing ${need[*]}; install them with: apt-get install ${need[*]}" >&2
        exit 2
    fi
fi
if missing gcc valgrind; then
    echo "make-suite: gcc and valgrind are needed (apt-get install gcc valgrind)" >&2
    exit 2
fi
if [ -z "${NESTWALK:-}" ]; then
    jar=$root/target/nestwalk.jar
    if [ ! -f "$jar" ]; then (cd "$root" && mvn -q -DskipTests package); fi
    NESTWALK="java -jar $jar"
fi
nw() { $NESTWALK "$@"; }
run() { nice -n 10 "$@"; }
log() { echo "make-suite: $*" >&2; }

for p in bfs pr hashjoin xsbench canneal gups chase kron kvclient; do
    if [ ! -x "$bin/$p" ] || [ "$here/$p.c" -nt "$bin/$p" ] || [ "$here/suite.h" -nt "$bin/$p" ]; then
        gcc -O2 -o "$bin/$p" "$here/$p.c" -lm
    fi
done

# The instructions a command runs before it exits, counted by the capture tool (see above).
count_instructions() {
    local trace=$work/count.trace
    run $NESTWALK trace capture --skip-instrs 1000000000000000000 -o "$trace" -- "$@" > /dev/null 2> "$work/count.log" \
        || { cat "$work/count.log" >&2; return 1; }
    skipped_of "$trace"
}
skipped_of() {
    nw trace info "$1" | sed -n 's/.*; \([0-9,]*\) instructions skipped before it.*/\1/p' | tr -d ,
}

# Fast-forward count for NAME's command, from the cache when the command is the same.
skip_for() { # name command...
    local name=$1
    shift
    local key cache=$work/$name.skip
    key=$(printf '%s' "$*" | tr '\n' ' ')
    if [ -f "$cache" ] && [ "$(head -1 "$cache")" = "$key" ]; then
        sed -n 2p "$cache"
        return
    fi
    local n
    n=$(count_instructions "$@")
    printf '%s\n%s\n' "$key" "$n" > "$cache"
    echo "$n"
}

# Captures NAME running COMMAND: its initialization is counted with COMMAND's WORK argument (the word @WORK@) 0, then
# COMMAND with WORK is captured from there on.
capture() { # name work command...
    local name=$1 amount=$2
    shift 2
    local init=("${@//@WORK@/0}") main=("${@//@WORK@/$amount}")
    local base
    base=$(skip_for "$name" "${init[@]}")
    log "$name: ${base} instructions of initialization, capturing $refs references from $offset instructions after it"
    run $NESTWALK trace capture --stop --skip-instrs $((base + offset)) --max-refs "$refs" -o "$out/$name.trace" \
        -- "${main[@]}" > "$work/$name.out" 2> "$work/$name.log" || { cat "$work/$name.log" >&2; return 1; }
    nw trace info "$out/$name.trace" > "$out/$name.info"
}

graph_input() {
    local g=$work/kron-$graph.csr
    if [ ! -f "$g" ]; then
        log "generating the Kronecker graph of scale $graph"
        run "$bin/kron" "$graph" 16 "$g.tmp" > /dev/null && mv "$g.tmp" "$g"
    fi
    echo "$g"
}

if wanted bfs; then
    g=$(graph_input)
    capture bfs 1000000 "$bin/bfs" "$g" @WORK@
fi
if wanted pr; then
    g=$(graph_input)
    capture pr 1000000 "$bin/pr" "$g" @WORK@
fi
if wanted hashjoin; then capture hashjoin 1000000 "$bin/hashjoin" "$hj" @WORK@; fi
if wanted xsbench; then capture xsbench 1000000000000 "$bin/xsbench" "$xs" @WORK@; fi
if wanted canneal; then capture canneal 1000000000000 "$bin/canneal" "$cn" @WORK@; fi
if wanted gups; then capture gups 1000000000000 "$bin/gups" "$mib" @WORK@; fi
if wanted chase; then capture chase 1000000000000 "$bin/chase" "$mib" @WORK@; fi

if wanted sqlite; then
    if missing sqlite3; then
        log "sqlite: left out, sqlite3 is not installed"
    else
        db=$work/lookup-$rows.db
        if [ ! -f "$db" ]; then
            log "sqlite: making a database of $rows rows"
            rm -f "$db.tmp"
            run sqlite3 "$db.tmp" "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                CREATE TABLE kv(k INTEGER PRIMARY KEY, v TEXT);
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $rows - 1)
                INSERT INTO kv SELECT i, printf('%0100d', (i * 2654435761) % 1000000007) FROM n;" > /dev/null
            mv "$db.tmp" "$db"
        fi
        # The database is read through mmap; a scan touches every page first (the initialization), then LOOKUPS
        # primary-key lookups at keys from a linear congruential sequence run inside a recursive query.
        lookups() {
            echo "PRAGMA mmap_size = 4294967296; SELECT count(*), sum(length(v)) FROM kv;
                WITH RECURSIVE q(n, x, s) AS (SELECT 0, 7, 0 UNION ALL
                    SELECT n + 1, (x * 1103515245 + 12345) % 2147483648,
                           s + (SELECT length(v) FROM kv WHERE k = x % $rows) FROM q WHERE n < $1)
                SELECT max(n), max(s) FROM q;"
        }
        capture sqlite 1000000000 sqlite3 -readonly "$db" "$(lookups @WORK@)"
    fi
fi

if wanted kv; then
    if missing redis-server; then
        log "kv: left out, redis-server is not installed"
    else
        port=${KV_PORT:-$((20000 + $$ % 20000))}
        kvdir=$work/redis-$keys
        # Until the server answers PING; fails if the process that runs it (pid $1) ends first.
        await() {
            until "$bin/kvclient" "$port" ping; do
                kill -0 "$1" 2> /dev/null || { log "kv: Redis ended before it answered (its log: $work/*.log)"; return 1; }
                sleep 0.2
            done
        }
        server=(redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$kvdir"
                --dbfilename dump.rdb --daemonize no --logfile "")
        if [ ! -f "$kvdir/dump.rdb" ]; then
            log "kv: filling Redis with $keys keys and saving them"
            mkdir -p "$kvdir"
            "${server[@]}" > "$kvdir/fill.log" 2>&1 &
            pid=$!
            await "$pid" && "$bin/kvclient" "$port" fill "$keys" 64 > /dev/null && "$bin/kvclient" "$port" save
            wait "$pid"
        fi
        # Initialization: start, load the database, answer PING, shut down.
        key="${server[*]}"
        cache=$work/kv.skip
        if [ -f "$cache" ] && [ "$(head -1 "$cache")" = "$key" ]; then
            base=$(sed -n 2p "$cache")
        else
            run $NESTWALK trace capture --skip-instrs 1000000000000000000 -o "$work/count.trace" -- "${server[@]}" \
                > "$work/count.log" 2>&1 &
            pid=$!
            await "$pid" && "$bin/kvclient" "$port" shutdown
            wait "$pid" || { cat "$work/count.log" >&2; exit 1; }
            base=$(skipped_of "$work/count.trace")
            printf '%s\n%s\n' "$key" "$base" > "$cache"
        fi
        log "kv: ${base} instructions of initialization, capturing $refs references from $offset instructions after it"
        run $NESTWALK trace capture --stop --skip-instrs $((base + offset)) --max-refs "$refs" -o "$out/kv.trace" \
            -- "${server[@]}" > "$work/kv.log" 2>&1 &
        pid=$!
        await "$pid"
        "$bin/kvclient" "$port" mix "$keys" 64 1000000000000 > "$work/kv.out"
        wait "$pid" || { cat "$work/kv.log" >&2; exit 1; }
        nw trace info "$out/kv.trace" > "$out/kv.info"
    fi
fi
rm -f "$work/count.trace"
for name in $all; do
    if wanted "$name" && [ -f "$out/$name.info" ]; then cat "$out/$name.info"; fi
done
