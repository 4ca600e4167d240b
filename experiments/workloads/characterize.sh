#!/usr/bin/env bash
# Measures the workload suite's character and writes the ranked table: runs experiments/workload-suite.yaml (every
# mode on every captured program; stored runs are reused), then suite_table.py builds
# results/workload-suite/characterization.csv and .md from its runs and the traces' 'trace info', copies those into
# results/workload-suite/traces.txt, and puts the table in the README between its workload-suite markers.
#
#   bash experiments/workloads/characterize.sh [--quick] [--jobs N]
#
# Capture the traces first: bash experiments/workloads/make-suite.sh (--scale quick for --quick). --quick writes to
# results/workload-suite-quick/ and leaves the README alone. Needs python3 (Debian: apt-get install python3).
# NESTWALK_JAR=FILE runs another jar than target/nestwalk.jar (a copy, say, that a rebuild cannot replace mid-run).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=()
jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=(--quick); shift ;;
        --jobs) jobs=${2:-}; shift 2 ;;
        *) echo "characterize: unknown argument '$1' (expected --quick, --jobs N)" >&2; exit 2 ;;
    esac
done
command -v python3 > /dev/null || { echo "characterize: python3 is needed (apt-get install python3)" >&2; exit 2; }
jar=${NESTWALK_JAR:-target/nestwalk.jar}
if [ ! -f "$jar" ]; then mvn -q -DskipTests package; fi
if [ ${#quick[@]} -gt 0 ]; then
    traces=experiments/workloads/traces/suite-quick
    results=results/workload-suite-quick
    readme=()
else
    traces=experiments/workloads/traces/suite
    results=results/workload-suite
    readme=(README.md)
fi
java -jar "$jar" run experiments/workload-suite.yaml "${quick[@]}" --jobs "$jobs"
# What each trace holds, read again by this build (make-suite.sh's copies may come from an older one).
for t in "$traces"/*.trace; do java -jar "$jar" trace info "$t" > "${t%.trace}.info"; done
python3 experiments/workloads/suite_table.py "$results" "$traces" "${readme[@]}"
sed "s|$(pwd)/||g" "$traces"/*.info > "$results/traces.txt"
