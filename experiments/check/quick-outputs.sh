#!/usr/bin/env bash
# Writes the outputs of every quick command into DIR, with the parts that change from run to run (wall-clock time,
# the build's version and commit) taken out, so that two builds can be compared with `diff -r`:
#   bash experiments/check/quick-outputs.sh /tmp/before      # on the commit before a change
#   bash experiments/check/quick-outputs.sh /tmp/after       # on the change
#   diff -r /tmp/before /tmp/after && echo "bit-identical"
# A change that is not meant to move results must leave them identical. Run from the repository's top after
# `mvn -q -DskipTests package`; about three minutes on two cores. Outputs of builds before the tidy summary.csv
# (commit 7e666d4 and older) are compared with compare-old-format.py instead.
set -euo pipefail
out=${1:?usage: quick-outputs.sh DIR}
jar=${JAR:-target/nestwalk.jar}
mkdir -p "$out"
strip_text() {
    # The heading names the build; the last line says how long it took.
    sed -E -e '1s/\([^)]*\)//' -e '/^Simulated .* of wall-clock time/d' -e 's/ in [0-9.]+ s / /'
}
java -jar "$jar" run --quick 2> "$out/run-quick.err" | strip_text > "$out/run-quick.txt"
java -jar "$jar" run --quick --workload gups,gcc-like,fork-heavy 2> "$out/os-activity.err" | strip_text \
    > "$out/os-activity.txt"
rm -f "$out"/*.err
for e in paper-headline tlb-sweep pwc-ntlb-sweep lab-tlb-size; do
    tmp=$(mktemp -d)
    java -jar "$jar" run "experiments/$e.yaml" --quick --out "$tmp/$e" > /dev/null 2>&1 \
        || { echo "quick-outputs: experiments/$e.yaml --quick failed" >&2; exit 1; }
    mkdir -p "$out/$e"
    for f in runs.csv summary.csv summary-overall.csv; do
        python3 - "$tmp/$e/$f" > "$out/$e/$f" <<'PY'
import csv, sys
# Parameters are left out of runs.csv too: a configuration's id already hashes every parameter off its default, and a
# parameter added later (at a default that keeps the old behaviour) must not make the outputs differ. The summaries
# keep their factor columns (summary-overall.csv has no configuration id to tell its lines apart).
drop = {"wallSeconds", "version", "commit", "build"}
params = ("core.", "tlb.", "pwc.", "ntlb.", "l1d.", "l2.", "llc.", "dram.", "memory.", "guest.", "hypervisor.",
          "ispt.", "workload.", "mmu.", "spec.", "itlb.", "trace.", "machine.")
if not sys.argv[1].endswith("runs.csv"):
    params = ()
# So are columns no run has a value in: a metric added later that does not apply to these runs (empty, as NaN is)
# measured nothing that could have moved.
rows = list(csv.reader(open(sys.argv[1], newline="")))
empty = {i for i in range(len(rows[0])) if all(i >= len(r) or r[i] == "" for r in rows[1:])}
keep = [i for i, h in enumerate(rows[0]) if h not in drop and not (params and h.startswith(params)) and i not in empty]
w = csv.writer(sys.stdout, lineterminator="\n")
for r in rows:
    w.writerow([r[i] for i in keep if i < len(r)])
PY
    done
    rm -rf "$tmp"
done
echo "quick outputs in $out"
