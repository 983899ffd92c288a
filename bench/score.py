#!/usr/bin/env python3
"""Scores and tabulates one benchmark run (called by bench/run.sh).

    python3 bench/score.py RESULTS_DIR TREE

RESULTS_DIR holds, per tool, `<tool>.out` (its output on the tree) and `<tool>.times`
(one "wall user sys maxrss_kb" line per timed run). When TREE has the generator's
EXPECTED.tsv, every finding is matched against the planted sites: a finding counts when it
lies inside the function of a planted site without `expires_at`, anything else is a false
positive. Prints a markdown table.
"""

import csv
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

LANG = {".py": "python", ".rs": "rust"}


def findings(tool, out, tree):
    """(relative path, 1-based line) of every finding the tool reported."""
    text = out.read_text(errors="replace")
    if tool == "checkout-lint":
        report = json.loads(text)
        return [(d["path"], d["line"]) for d in report["diagnostics"] if d["code"] == "CL001"], report
    if tool == "semgrep":
        report = json.loads(text)
        return [(rel(r["path"], tree), r["start"]["line"]) for r in report["results"]], report
    if tool == "ast-grep":
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [(rel(r["file"], tree), r["range"]["start"]["line"] + 1) for r in rows], None
    if tool == "rg":  # `rg -l`: the files that contain a prefilter token
        return [(rel(line, tree), 0) for line in text.splitlines() if line.strip()], None
    if tool == "ruff":  # parse errors only; the count shows every file was read and parsed
        return [], None
    raise ValueError(tool)


def rel(path, tree):
    p = Path(path)
    try:
        return p.resolve().relative_to(tree.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def median_times(path):
    rows = [list(map(float, line.split())) for line in path.read_text().splitlines() if line.strip()]
    if not rows:
        return None
    wall = statistics.median(r[0] for r in rows)
    cpu = statistics.median(r[1] + r[2] for r in rows)
    rss = statistics.median(r[3] for r in rows)
    return wall, cpu, rss, len(rows)


def main():
    results, tree = Path(sys.argv[1]), Path(sys.argv[2])
    expected_file = tree / "EXPECTED.tsv"
    planted = list(csv.DictReader(expected_file.open(), delimiter="\t")) if expected_file.exists() else None
    by_file = {}
    for row in planted or []:
        by_file.setdefault(row["path"], []).append(row)

    tools = [t for t in ("rg", "ruff", "checkout-lint", "ast-grep", "semgrep") if (results / f"{t}.times").exists()]
    header = "| tool | wall (median) | CPU (user+sys) | peak RSS | runs | findings |"
    lines = [header, "|---|---|---|---|---|---|"]
    details = []
    for tool in tools:
        times = median_times(results / f"{tool}.times")
        found, report = findings(tool, results / f"{tool}.out", tree)
        if tool == "rg":
            cell = f"{len(found)} files contain a prefilter token"
        elif tool == "ruff":
            cell = "parse only"
        elif planted is None:
            by_lang = Counter(LANG.get(Path(p).suffix, "other") for p, _ in found)
            cell = ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items())) or "0"
        else:
            cell, detail = score(tool, found, planted, by_file, report)
            details.append(detail)
        if times:
            wall, cpu, rss, runs = times
            lines.append(f"| {tool} | {wall:.3f} s | {cpu:.2f} s | {rss / 1024:.0f} MB | {runs} | {cell} |")
        else:
            lines.append(f"| {tool} | failed | | | | see {results}/{tool}.err |")
    print("\n".join(lines))
    if planted is not None:
        print()
        print("\n".join(details))


def score(tool, found, planted, by_file, report):
    """Findings per language against the planted sites without `expires_at`."""
    hits, false_positives = set(), 0
    for path, line in found:
        site = next(
            (
                r
                for r in by_file.get(path, [])
                if int(r["function_start"]) <= line <= int(r["function_end"])
            ),
            None,
        )
        if site is not None and site["status"] == "violation":
            hits.add((site["path"], site["line"]))
        else:
            false_positives += 1
    cells, missed = [], Counter()
    for lang in ("python", "rust"):
        want = [r for r in planted if r["language"] == lang and r["status"] == "violation"]
        got = sum((r["path"], r["line"]) in hits for r in want)
        cells.append(f"{lang} {got}/{len(want)}")
        for r in want:
            if (r["path"], r["line"]) not in hits:
                missed[f"{lang}:{r['shape']}"] += 1
    cell = ", ".join(cells) + f"; {false_positives} false positives"
    detail = f"- {tool} missed: " + (", ".join(f"{k} {v}" for k, v in sorted(missed.items())) or "nothing")
    if report is not None and tool == "checkout-lint":
        sites = Counter(s["language"] for s in report["call_sites"])
        want = Counter(r["language"] for r in planted)
        detail += "; call sites found / planted: " + ", ".join(
            f"{lang} {sites[lang]}/{want[lang]}" for lang in ("python", "rust")
        )
    return cell, detail


if __name__ == "__main__":
    main()
