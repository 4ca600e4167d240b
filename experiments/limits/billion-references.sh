#!/usr/bin/env bash
# One run of 10^9 references on a heap capped at HEAP (default 64 MiB): shows that a long run's memory does not grow
# with its length (streamed references, fixed-size counters and histograms). The workload is a 1 MiB stream, so
# nearly every reference hits the TLB and the run measures the simulator's own per-reference cost: it took 43 s
# (about 24 M references per second after warm-up) on one core of our 2-core machine.
#
#   bash experiments/limits/billion-references.sh            # from the repository's top, after mvn package
#   HEAP=32m REFS=100000000 bash experiments/limits/billion-references.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-target/nestwalk.jar}
HEAP=${HEAP:-64m}
REFS=${REFS:-1000000000}
MODE=${MODE:-nested}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn -q package -DskipTests' first" >&2; exit 2; }
# ExitOnOutOfMemoryError: exceeding the bound must fail the script, not limp on.
cmd=(java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -jar "$JAR" run --mode "$MODE" --workload stream
     --set workload.footprint=1MiB --refs "$REFS" --jobs 1)
echo "heap bound: -Xmx$HEAP; ${cmd[*]}"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "wall %e s, max resident set %M KiB (heap capped at $HEAP)" "${cmd[@]}"
else
    "${cmd[@]}"
fi
