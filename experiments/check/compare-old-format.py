#!/usr/bin/env python3
"""Compares the quick outputs of a build from before the tidy summary.csv (issue 17; commit 7e666d4 and older) with
those of a later build, number by number:

    python3 experiments/check/compare-old-format.py /tmp/quick-base /tmp/quick-edges

Both directories are written by quick-outputs.sh (the old one by the old script). It checks that every number the
old build wrote is written, unchanged, by the new one, allowing only the changes of format that issue 17 made:
  - runs.csv: a measuredReferences column (which must be references - warmup), and an empty cell (NA) where the old
    build wrote 0 for a metric the row's mode lacks (native's NTLB, shadow's ISPT, ...);
  - summary.csv: the statistic column split into metric and comparison (and baseline), a variation column, NA
    (n = 0, empty cells) where the old build summarized zeros of a metric the mode lacks, and the geometric means
    moved to summary-overall.csv;
  - run-quick.txt, os-activity.txt: rows 'references warmed up' and 'references measured', and rows that are zero in
    every run folded into one line under the table.
Prints what it compared and exits 1 at the first number that differs."""
import csv
import os
import re
import sys

ONE_DIMENSION = {"native", "shadow"}
NO_ISPT = {"native", "nested", "flat-nested", "shadow"}
NA = {"nestedRefsPerWalk": ONE_DIMENSION, "ntlbHitRate": ONE_DIMENSION, "isptRefsPerWalk": NO_ISPT,
      "isptHitRate": NO_ISPT, "misspeculationRate": NO_ISPT, "vmExits": {"native"}, "hypervisorShare": {"native"}}
for cause in ["pt-write", "cr3-write", "invlpg", "hidden-fault", "guest-fault-injection", "nested-fault"]:
    lacking = {"native", "shadow"} if cause == "nested-fault" else {"native", "nested", "flat-nested", "spec-shadow"}
    NA["exits." + cause] = lacking
    NA["exitCycles." + cause] = lacking

counts = {"numbers equal": 0, "0 became NA": 0, "rows folded": 0}


def fail(msg):
    print("DIFFERENT: " + msg)
    sys.exit(1)


def zero(v):
    return re.fullmatch(r"-?0+(\.0+)?(E0)?%?", v) is not None


def na(metric, mode):
    return mode in NA.get(metric, ())


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def runs(old, new):
    o, n = rows(old), rows(new)
    if len(o) != len(n):
        fail(f"{new}: {len(n)} runs, not {len(o)}")
    for a, b in zip(o, n):
        for k, v in a.items():
            if k not in b:
                fail(f"{new}: no column {k}")
            if b[k] == v:
                counts["numbers equal"] += 1
            elif b[k] == "" and zero(v) and na(k, a["mode"]):
                counts["0 became NA"] += 1
            else:
                fail(f"{new}: {a['configuration']} r{a['replication']} {k}: {v} -> {b[k]}")
        if b["status"] == "ok" and int(b["measuredReferences"]) != int(b["references"]) - int(b["warmup"]):
            fail(f"{new}: measuredReferences {b['measuredReferences']} is not references - warmup")


def statistic(s):
    """The old statistic as (metric, comparison)."""
    for prefix, comparison in (("speedup over ", "speedup"), ("runtime / ", "ratio")):
        if s.startswith(prefix):
            return "cycles", comparison
    if s.startswith("cycles - ") and s.endswith("(paired)"):
        return "cycles", "difference"
    if s.startswith("cycles - ") and s.endswith("(unpaired, Welch)"):
        return "cycles", "unpaired-difference"
    return s, ""


def summaries(old, new, overall):
    o = rows(old)
    n = {(r["configuration"], r["metric"], r["comparison"]): r for r in rows(new)}
    o_overall = [r for r in o if r["workload"] == "all (geometric mean)"]
    n_overall = rows(overall)
    if len(o_overall) != len(n_overall):
        fail(f"{overall}: {len(n_overall)} aggregates, not {len(o_overall)}")
    for a, b in zip(o_overall, n_overall):
        if (a["mode"], statistic(a["statistic"])) != (b["mode"], (b["metric"], b["comparison"])):
            fail(f"{overall}: {b} is not {a}")
        compare_estimate(a, b, overall, "")
    config_lines = [r for r in o if r["workload"] != "all (geometric mean)"]
    if len(config_lines) != len(n):
        fail(f"{new}: {len(n)} lines, not {len(config_lines)}")
    for a in config_lines:
        metric, comparison = statistic(a["statistic"])
        b = n.get((a["configuration"], metric, comparison))
        if b is None:
            fail(f"{new}: no line for {a['configuration']} {a['statistic']}")
        compare_estimate(a, b, new, metric if not comparison and na(metric, a["mode"]) else "")


def compare_estimate(a, b, where, na_metric):
    keys = ["n", "mean", "sd", "ciLow", "ciHigh"]
    if na_metric and b["n"] == "0":
        if not all(zero(a[k]) or a[k] == "" for k in keys[1:]) or any(b[k] for k in keys[1:]):
            fail(f"{where}: {a['configuration']} {na_metric}: NA in place of {[a[k] for k in keys]}")
        counts["0 became NA"] += 1
        return
    for k in keys:
        if a[k] != b[k]:
            fail(f"{where}: {a.get('configuration', a['mode'])} {a['statistic']} {k}: {a[k]} -> {b[k]}")
        counts["numbers equal"] += 1


def table(path):
    lines = open(path).read().split("\n")
    body, other, folded = {}, [], ""
    for line in lines:
        m = re.match(r"^(\S.*?|  \S.*?)\s{2,}(\S.*)$", line)
        if line.startswith("zero in every run"):
            folded = line
        elif m and not line.startswith("nestwalk "):
            body[m.group(1).rstrip()] = re.split(r"\s{2,}", m.group(2).strip())
        else:
            other.append(line)
    return body, other, folded


def text(old, new):
    ob, oo, _ = table(old)
    nb, no, folded = table(new)
    if oo != no:
        fail(f"{new}: the lines outside the table differ")
    warm = re.search(r"the first ([\d,]+) discarded", open(new).read()).group(1).replace(",", "")
    refs = re.search(r"([\d,]+) references each", open(new).read()).group(1).replace(",", "")
    for label, cells in nb.items():
        if label == "references warmed up":
            if set(cells) != {warm}:
                fail(f"{new}: warmed up {cells}")
        elif label == "references measured":
            if set(cells) != {str(int(refs) - int(warm))}:
                fail(f"{new}: measured {cells}")
        elif ob.get(label) != cells:
            fail(f"{new}: row {label}: {ob.get(label)} -> {cells}")
        else:
            counts["numbers equal"] += len(cells)
    for label, cells in ob.items():
        if label not in nb:
            name = label.strip().replace(" (Mcycles)", "")
            if not all(zero(c) or c == "-" for c in cells) or name not in folded:
                fail(f"{new}: row {label} {cells} is gone but not zero, or not named as folded")
            counts["rows folded"] += 1


def main(old, new):
    for f in ("run-quick.txt", "os-activity.txt"):
        text(os.path.join(old, f), os.path.join(new, f))
    for e in sorted(d for d in os.listdir(old) if os.path.isdir(os.path.join(old, d))):
        runs(os.path.join(old, e, "runs.csv"), os.path.join(new, e, "runs.csv"))
        summaries(os.path.join(old, e, "summary.csv"), os.path.join(new, e, "summary.csv"),
                  os.path.join(new, e, "summary-overall.csv"))
    print(f"the same numbers: {counts['numbers equal']} equal, {counts['0 became NA']} zeros of a metric the mode "
          f"lacks now NA, {counts['rows folded']} all-zero table rows folded")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
