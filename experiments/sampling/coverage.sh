#!/usr/bin/env bash
# Does the sampled estimate's 95 % interval cover the detailed run's cycles per instruction about 95 % of the time?
# Runs one stationary synthetic workload under SEEDS seeds (default 40), each sampled and whole in detail
# (run --sample --sample-check), and counts the intervals that cover the detailed value.
#   bash experiments/sampling/coverage.sh [SEEDS] [extra run options...]
# Run from the repository's top after `mvn -q -DskipTests package`; NESTWALK_JAR picks another jar. About 10
# minutes on two cores with the defaults.
set -euo pipefail
seeds=${1:-40}
shift || true
jar=${NESTWALK_JAR:-target/nestwalk.jar}
inside=0
outside=0
for s in $(seq 1 "$seeds"); do
    line=$(java -jar "$jar" run --sample --sample-check --mode nested --workload zipf --refs 2000000 \
        --set workload.footprint=256MiB --sample-unit 5000 --sample-warmup 2000 --sample-period 50000 \
        --seed "$s" "$@" 2> /dev/null | grep -E "^  detailed:")
    case "$line" in
        *" inside "*) inside=$((inside + 1)) ;;
        *" OUTSIDE "*) outside=$((outside + 1)) ;;
        *) echo "coverage: seed $s printed no check line" >&2; exit 1 ;;
    esac
    echo "seed $s:${line#  detailed:}"
done
echo "covered: $inside of $((inside + outside)) intervals ($(awk "BEGIN { printf \"%.1f\", 100 * $inside / ($inside + $outside) }") %)"
