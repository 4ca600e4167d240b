#!/usr/bin/env bash
# The 10^4-row sweep of ten-thousand-rows.yaml on a heap capped at HEAP (default 128 MiB): shows that an experiment's
# memory does not grow with its number of rows. Each row is stored as it ends and then forgotten; the summaries and
# plots are built from the stored rows at the end. A second start of the same command reuses every stored row.
#
#   bash experiments/limits/ten-thousand-rows.sh             # from the repository's top, after mvn package
#   OUT=/tmp/rows HEAP=96m JOBS=2 bash experiments/limits/ten-thousand-rows.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-target/nestwalk.jar}
HEAP=${HEAP:-128m}
JOBS=${JOBS:-2}
OUT=${OUT:-results/ten-thousand-rows}
[ -f "$JAR" ] || { echo "no $JAR: run 'mvn -q package -DskipTests' first" >&2; exit 2; }
# ExitOnOutOfMemoryError: exceeding the bound must fail the script, not limp on.
cmd=(java -Xmx"$HEAP" -XX:+ExitOnOutOfMemoryError -jar "$JAR" run experiments/limits/ten-thousand-rows.yaml
     --out "$OUT" --jobs "$JOBS")
echo "heap bound: -Xmx$HEAP; ${cmd[*]}"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "wall %e s, max resident set %M KiB (heap capped at $HEAP)" "${cmd[@]}"
else
    "${cmd[@]}"
fi
echo "rows stored: $(find "$OUT/runs" -name 'r*.json' | wc -l)"
