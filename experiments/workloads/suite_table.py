#!/usr/bin/env python3
"""Builds the workload suite's character table from an experiment's runs and its traces (characterize.sh runs it).

    suite_table.py RESULTS_DIR TRACE_INFO [README]

RESULTS_DIR holds runs.csv of experiments/workload-suite.yaml; TRACE_INFO is a directory with the `trace info` output
of each trace (NAME.info, as make-suite.sh and characterize.sh write them) or one file with all of them one after
another (RESULTS_DIR/traces.txt, which characterize.sh keeps). Writes RESULTS_DIR/characterization.csv and characterization.md, ranked
by the share of cycles nested paging spends translating, and, with README, replaces the table between the markers
<!-- workload-suite:begin --> and <!-- workload-suite:end --> in that file. Every number comes from those files.
"""
import csv
import math
import os
import re
import sys

MODES = ["native", "nested", "flat-nested", "shadow", "spec-shadow"]
BEGIN, END = "<!-- workload-suite:begin -->", "<!-- workload-suite:end -->"


def fail(message):
    print("suite_table: " + message, file=sys.stderr)
    sys.exit(2)


def number(text):
    return int(text.replace(",", ""))


def split_infos(path):
    """The `trace info` outputs in one file, by workload (the trace's file name without .trace)."""
    infos, name = {}, None
    for line in open(path, encoding="utf-8"):
        head = re.match(r"(\S*?)([^/\s]+)\.trace: ", line)
        if head and not line.startswith(" "):
            name = head.group(2)
            infos[name] = ""
        if name is not None:
            infos[name] += line
    return infos


def trace_info(path, text):
    """What `trace info` printed: the window's references, instructions, distinct pages and pages present."""
    counts = re.search(r"([0-9,]+) references \([0-9,]+ stores\) over ([0-9,]+) instructions; ([0-9,]+) distinct "
                       r"pages", text)
    if not counts:
        fail(f"{path}: not the output of 'nestwalk trace info'")
    present = re.search(r"([0-9,]+) pages \([^)]*\) present when recording started", text)
    skipped = re.search(r"([0-9,]+) instructions skipped before it", text)
    return {"references": number(counts.group(1)), "instructions": number(counts.group(2)),
            "touched_pages": number(counts.group(3)),
            "present_pages": number(present.group(1)) if present else 0,
            "skipped": number(skipped.group(1)) if skipped else 0}


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def gib(pages):
    return pages * 4096 / 2 ** 30


def size(g):
    return f"{g:.2f} GiB" if g >= 1 else f"{g * 1024:.0f} MiB"


def main(argv):
    if len(argv) not in (3, 4):
        fail("usage: suite_table.py RESULTS_DIR TRACE_INFO [README]")
    results, infos = argv[1], argv[2]
    runs_csv = os.path.join(results, "runs.csv")
    if not os.path.isfile(runs_csv):
        fail(f"{runs_csv} does not exist: run the experiment first")
    runs = {}
    with open(runs_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["status"] != "ok":
                continue
            runs.setdefault(row["workload"], {}).setdefault(row["mode"], []).append(row)
    if not runs:
        fail(f"{runs_csv} holds no finished run")
    combined = split_infos(infos) if os.path.isfile(infos) else None
    table = []
    for workload, modes in runs.items():
        missing = [m for m in MODES if m not in modes]
        if missing:
            fail(f"{runs_csv}: {workload} has no finished run of {', '.join(missing)}")
        if combined is not None:
            if workload not in combined:
                fail(f"{infos} has no 'trace info' of {workload}.trace")
            info = trace_info(infos, combined[workload])
        else:
            info_file = os.path.join(infos, workload + ".info")
            if not os.path.isfile(info_file):
                fail(f"{info_file} does not exist (make-suite.sh writes it next to the trace)")
            info = trace_info(info_file, open(info_file, encoding="utf-8").read())
        native = modes["native"]
        l2_mpki = mean([float(r["tlbMpki"]) for r in native])
        # L1 misses are L2 lookups: L1 MPKI = L2 MPKI / (L2 misses per L2 lookup).
        l1_mpki = mean([float(r["tlbMpki"]) / float(r["l2TlbMissRate"]) if float(r["l2TlbMissRate"]) > 0
                        else float("nan") for r in native])
        pt_updates = mean([1e6 * float(r["guestTableWrites"]) / float(r["instructions"]) for r in native])
        shares = {m: mean([float(r["translationShare"]) for r in modes[m]]) for m in MODES}
        table.append({
            "workload": workload,
            "footprint_gib": gib(info["present_pages"]),
            "window_pages_gib": gib(info["touched_pages"]),
            "window_references": info["references"],
            "window_instructions": info["instructions"],
            "skipped_instructions": info["skipped"],
            "l1_tlb_mpki": l1_mpki,
            "l2_tlb_mpki": l2_mpki,
            "pt_updates_per_minstr": pt_updates,
            **{"share_" + m: shares[m] for m in MODES},
            "replications": len(native),
            "measured_instructions": mean([float(r["instructions"]) for r in native]),
        })
    table.sort(key=lambda row: -row["share_nested"])
    fields = list(table[0].keys())
    with open(os.path.join(results, "characterization.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["rank"] + fields, lineterminator="\n")
        w.writeheader()
        for rank, row in enumerate(table, 1):
            w.writerow({"rank": rank, **{k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in row.items()}})
    md = markdown(table)
    with open(os.path.join(results, "characterization.md"), "w", encoding="utf-8") as f:
        f.write(md)
    if len(argv) == 4:
        readme = argv[3]
        text = open(readme, encoding="utf-8").read()
        if BEGIN not in text or END not in text:
            fail(f"{readme} has no {BEGIN} ... {END} markers to put the table between")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(readme, "w", encoding="utf-8") as f:
            f.write(head + BEGIN + "\n" + md + END + tail)
    sys.stdout.write(md)


def pct(x):
    return "-" if math.isnan(x) else f"{100 * x:.1f} %"


def fmt(x, digits=2):
    return "-" if math.isnan(x) else f"{x:.{digits}f}"


def markdown(table):
    lines = ["| rank | workload | footprint | touched in window | L1 TLB MPKI | L2 TLB MPKI | PT updates / M instr. | "
             "translation share: native | nested | flat-nested | shadow | spec-shadow |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for rank, r in enumerate(table, 1):
        lines.append(f"| {rank} | {r['workload']} | {size(r['footprint_gib'])} | {size(r['window_pages_gib'])} | "
                     f"{fmt(r['l1_tlb_mpki'], 1)} | {fmt(r['l2_tlb_mpki'], 1)} | {fmt(r['pt_updates_per_minstr'], 1)} | "
                     + " | ".join(pct(r["share_" + m]) for m in MODES) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv)
