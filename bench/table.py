"""Provides issue 16's table in one run: every row (diagnosis per scenario, the same with 100 ms of
injected latency, log triage against `zcat | awk`, lab start, TUI first frame, SG analysis, peak RSS,
the test suite) measured now, next to its goal.

Run: .venv/bin/python bench/table.py [--only diagnosis,latency,...] [--quick] [--suite] [--raw]

Each row runs its own bench (bench/diagnosis.py, latency.py, log_triage.py, lab_start.py,
first_frame.py, path_analysis.py, peak_rss.py; the suite row bench/suite.py when it exists) as a
child process, exactly as a person would run it alone, and reads the figures from what it prints:
the benches stay runnable on their own and this script owns only their parsing. A bench that fails
or whose output cannot be read gives its row "not measured" with the reason, never a figure.
`--quick` runs smaller sizes (fewer scenarios, 100,000 log lines, fewer runs), said in the row.
The suite row: bench/suite.py if present, else `--suite` runs the whole test suite itself (pytest
with the project's addopts) and times it; without either the row is skipped with a note.
`--raw` also prints each bench's own output; `--root DIR` runs another checkout's benches (and its
wizard package), for the before figures. Figures only: no assertion on time; `met` says
whether the figure meets the goal where the goal is a number.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

Figure = Tuple[str, Optional[bool]]  # (what was measured, whether it meets the goal; None: no verdict)


class Unreadable(Exception):
    """The bench's output did not hold the figures this row reads."""


def _search(pattern: str, text: str, flags: int = re.M) -> "re.Match[str]":
    match = re.search(pattern, text, flags)
    if match is None:
        raise Unreadable(f"no line matching {pattern!r}")
    return match


# Parsers: one per bench, fed its stdout ------------------------------------------------------------

_DIAGNOSIS_ROW = re.compile(r"^(?P<name>[a-z0-9][\w.-]*)\s+(?P<lab>\d+)ms\s+(?P<walk>\d+)ms\s+\d+\s+\d+\s", re.M)
DIAGNOSIS_GOAL_MS = 1000.0


def parse_diagnosis(text: str) -> Figure:
    """bench/diagnosis.py: one line per scenario (lab start, diagnosis ms, ...) and a summary."""
    rows = [(m["name"], float(m["walk"])) for m in _DIAGNOSIS_ROW.finditer(text)]
    if not rows:
        raise Unreadable("no scenario lines")
    walks = [ms for _, ms in rows]
    over = sorted((r for r in rows if r[1] > DIAGNOSIS_GOAL_MS), key=lambda r: -r[1])
    slowest = max(rows, key=lambda r: r[1])
    figure = (f"{len(rows)} scenarios: median {statistics.median(walks) / 1000:.2f} s, "
              f"max {slowest[1] / 1000:.2f} s ({slowest[0]})")
    if over:
        figure += "; over 1 s: " + ", ".join(f"{n} {ms / 1000:.2f} s" for n, ms in over[:4])
        figure += f" (+{len(over) - 4} more)" if len(over) > 4 else ""
    return figure, not over


_LATENCY_HEAD = re.compile(r"^delay (?P<delay>\d+) ms before every", re.M)
_LATENCY_ROW = re.compile(r"^(?P<name>[a-z0-9][\w.-]*)\s+(?P<aws>\d+)\s+(?P<saved>\d+)\s+(?P<http>\d+)\s+"
                          r"(?P<plain>\d+)ms\s+(?P<slow>\d+)ms\s+(?P<depth>-?[\d.]+)\s+(?P<min>-?[\d.]+)\s+"
                          r"(?P<steps>\d+)\s+(?P<chain>\d+):", re.M)


def parse_latency(text: str) -> Figure:
    """bench/latency.py: the delay, then per scenario requests, wall times, depth and the `needs` chain.
    The goal per scenario: (longest dependent chain + 2) × delay."""
    delay = float(_search(_LATENCY_HEAD.pattern, text)["delay"])
    rows = list(_LATENCY_ROW.finditer(text))
    if not rows:
        raise Unreadable("no scenario lines")
    parts, met = [], True
    for m in rows:
        requests = int(m["aws"]) + int(m["http"])
        goal_ms = (int(m["chain"]) + 2) * delay
        slow = float(m["slow"])
        met = met and slow <= goal_ms
        parts.append(f"{m['name']} {slow / 1000:.2f} s (depth {float(m['depth']):.0f} of {requests} requests; "
                     f"goal {goal_ms / 1000:.1f} s = chain {m['chain']} + 2)")
    return f"{delay:.0f} ms delay: " + "; ".join(parts), met


def parse_log_triage(text: str) -> Figure:
    """bench/log_triage.py: the generated size, `zcat | awk`'s wall time and `edgewiz logs`' with its
    ratio and peak RSS. Goal: faster than awk."""
    lines = _search(r"^generated ([\d,]+) lines \(([\d.]+) MiB", text)
    awk = float(_search(r"^zcat \| awk\s*:\s*([\d.]+) s wall", text)[1])
    cli = _search(r"^`edgewiz logs` \(all\)\s*:\s*([\d.]+) s wall,\s+([\d.]+) s CPU, peak RSS (\d+) MiB.*?"
                  r"([\d.]+)× the speed", text)
    wall, ratio = float(cli[1]), float(cli[4])
    verdict = f"{ratio:.2f}× awk's speed" if ratio >= 1 else f"{1 / ratio:.1f}× slower"
    return (f"{lines[1]} lines ({lines[2]} MiB gzip): edgewiz {wall:.2f} s, awk {awk:.2f} s: {verdict}; "
            f"peak RSS {cli[3]} MiB"), wall < awk


def parse_lab_start(text: str) -> Figure:
    """bench/lab_start.py: the summary line's start median and max. Goal: start ≤ 1 s."""
    m = _search(r"^(\d+) scenarios \(([^)]*)\): start median (\d+) ms, max (\d+) ms", text)
    median, most = float(m[3]), float(m[4])
    return f"{m[1]} scenarios ({m[2]}): median {median / 1000:.2f} s, max {most / 1000:.2f} s", median <= 1000


def parse_first_frame(text: str) -> Figure:
    """bench/first_frame.py: the median first frame of `edgewiz` and of `edgewiz --lab NAME`. Goal ≤ 0.5 s."""
    rows = re.findall(r"^(edgewiz(?: --lab \S+)?)\s+wall median\s+(\d+) ms", text, re.M)
    if not rows:
        raise Unreadable("no `edgewiz ... wall median` lines")
    return ", ".join(f"{float(ms) / 1000:.2f} s (`{label}`)" for label, ms in rows), all(float(ms) <= 500 for _, ms in rows)


def parse_path_analysis(text: str) -> Figure:
    """bench/path_analysis.py: the analysis_s row (half size, full size, ratio). Goal: keep (linear, < 1 s)."""
    sizes = {key: _search(rf"^\s*{key}\s+(\d+)\s+(\d+)", text)[2] for key in ("groups", "rules", "enis")}
    m = _search(r"^\s*analysis_s\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text)
    full, ratio = float(m[2]), float(m[3])
    return (f"{int(sizes['groups']):,} SGs / {int(sizes['rules']):,} rules / {int(sizes['enis']):,} ENIs: "
            f"{full:.2f} s, ×{ratio:.2f} for ×2"), full < 1.0 and ratio < 2.5


def parse_peak_rss(text: str) -> Figure:
    """bench/peak_rss.py: the summary line. Goal ≤ 150 MB."""
    m = _search(r"^peak RSS of `edgewiz diagnose` \(([^)]+)\): (\d+) MB", text)
    return f"{m[2]} MB ({m[1]})", float(m[2]) <= 150


_PYTEST_SUMMARY = re.compile(r"(?P<passed>\d+) passed[^\n]*? in (?P<secs>[\d.]+)s")


def parse_suite(text: str) -> Figure:
    """The suite: pytest's own summary line ("N passed, ... in S.SSs"), wherever it is printed (the
    output of `--suite`, or bench/suite.py's when it passes pytest's summary through); else
    bench/suite.py's last line, shown as it is."""
    matches = list(_PYTEST_SUMMARY.finditer(text))
    if matches:
        m = matches[-1]
        secs = float(m["secs"])
        return f"{m['passed']} passed in {int(secs // 60)} min {secs % 60:.0f} s", secs <= 180
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise Unreadable("no output")
    return lines[-1][:160], None


# Rows ------------------------------------------------------------------------------------------------

QUICK_DIAGNOSIS = ["asset-403-stacked", "alb-504-ghost-sg-reference", "origin-504-response-timeout",
                   "alb-504-slow-target-response-timeout", "asset-cors-missing", "alb-healthy"]
QUICK_LAB_START = ["asset-403-stacked", "alb-504-ghost-sg-reference", "alb-healthy"]


@dataclass(frozen=True)
class Row:
    key: str
    measure: str
    goal: str
    argv: Callable[[bool], Optional[List[str]]]  # quick -> the command (None: skipped)
    parse: Callable[[str], Figure]
    timeout_s: float = 1800.0


def _suite_argv(run_suite: bool, _bench) -> Callable[[bool], Optional[List[str]]]:
    def argv(_quick: bool) -> Optional[List[str]]:
        if os.path.exists(_bench("suite.py")[1]):
            return _bench("suite.py")
        if run_suite:
            return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        return None
    return argv


def rows(run_suite: bool = False, root: str = ROOT) -> List[Row]:
    """The table's rows, their benches taken from the checkout at `root`."""
    def _bench(name: str, *args: str) -> List[str]:
        return [sys.executable, os.path.join(root, "bench", name), *args]

    return [
        Row("diagnosis", "diagnosis per built-in scenario, lab start excluded", "every scenario ≤ 1 s",
            lambda quick: _bench("diagnosis.py", *(QUICK_DIAGNOSIS if quick else [])), parse_diagnosis),
        Row("latency", "with 100 ms injected before every AWS and HTTP request the diagnosis makes",
            "≤ (longest chain of truly dependent calls + 2) × 100 ms",
            lambda quick: _bench("latency.py", "--delay-ms", "100", "--runs", "1" if quick else "3",
                                 "asset-403-stacked", "alb-504-ghost-sg-reference"), parse_latency),
        Row("log_triage", "`edgewiz logs` on CloudFront lines vs `zcat | awk` (same counts, same file)",
            "faster than `zcat | awk`, memory flat",
            lambda quick: _bench("log_triage.py", "--lines", "100000" if quick else "1000000"), parse_log_triage),
        Row("lab_start", "lab start (moto server + scenario build)", "start ≤ 1 s (and the wizard usable at once)",
            lambda quick: _bench("lab_start.py", *(QUICK_LAB_START if quick else [])), parse_lab_start),
        Row("first_frame", "TUI first frame, 80×24", "keep ≤ 0.5 s",
            lambda quick: _bench("first_frame.py", "--runs", "2" if quick else "7"), parse_first_frame),
        Row("path_analysis", "SG analysis, 5,000 SGs / 50,051 rules / 20,000 ENIs", "keep (< 1 s, linear)",
            lambda quick: _bench("path_analysis.py"), parse_path_analysis),
        Row("peak_rss", "peak RSS of `diagnose` (ALB story)", "keep ≤ 150 MB",
            lambda quick: _bench("peak_rss.py", "--runs", "1" if quick else "3"), parse_peak_rss),
        Row("suite", "full test suite", "≤ 3 min on 2 cores without dropping coverage",
            _suite_argv(run_suite, _bench), parse_suite, timeout_s=3600.0),
    ]


# Running -------------------------------------------------------------------------------------------

@dataclass
class Result:
    row: Row
    figure: str
    met: Optional[bool]
    seconds: float = 0.0
    output: str = ""


def measure(row: Row, quick: bool, root: str = ROOT) -> Result:
    argv = row.argv(quick)
    if argv is None:
        return Result(row, "skipped: no bench/suite.py; run with --suite to time the whole suite here", None)
    started = time.perf_counter()
    try:
        # PYTHONPATH: the benches' own children (`edgewiz`, `python -m wizard`) import that checkout too.
        env = dict(os.environ, PYTHONPATH=root + os.pathsep + os.environ.get("PYTHONPATH", ""))
        done = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, timeout=row.timeout_s)
    except subprocess.TimeoutExpired:
        return Result(row, f"not measured: the bench ran past {row.timeout_s:.0f} s", None,
                      time.perf_counter() - started)
    seconds = time.perf_counter() - started
    output = done.stdout + (("\n" + done.stderr) if done.returncode else "")
    if done.returncode not in (0, 1) or (done.returncode and row.key != "suite"):
        # pytest exits 1 when a test failed: its summary line is still the figure.
        tail = (done.stderr.strip().splitlines() or ["no error output"])[-1]
        return Result(row, f"not measured: {os.path.basename(argv[1])} exited {done.returncode} ({tail[:120]})",
                      None, seconds, output)
    try:
        figure, met = row.parse(done.stdout)
    except Unreadable as exc:
        return Result(row, f"not measured: could not read its output ({exc})", None, seconds, output)
    return Result(row, figure, met, seconds, output)


def render(results: Sequence[Result]) -> str:
    verdict = {True: "yes", False: "NO", None: "-"}
    lines = ["| measure | now | goal | met |", "|---|---|---|---|"]
    def cell(text: str) -> str:
        return text.replace("|", "\\|")  # `zcat | awk` must not split a Markdown cell

    for r in results:
        lines.append(f"| {cell(r.row.measure)} | {cell(r.figure)} | {cell(r.row.goal)} | {verdict[r.met]} |")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    all_rows = rows()
    keys = [r.key for r in all_rows]
    parser.add_argument("--only", help="comma-separated rows to run: " + ",".join(keys))
    parser.add_argument("--quick", action="store_true", help="smaller sizes: fewer scenarios, 100,000 log lines, fewer runs")
    parser.add_argument("--suite", action="store_true", help="time the whole test suite here when bench/suite.py is absent")
    parser.add_argument("--raw", action="store_true", help="print each bench's own output too")
    parser.add_argument("--root", default=ROOT, help="run the benches of another checkout (e.g. an export of "
                        "the commit before a change: `git archive <commit> | tar -x -C DIR`), for before/after")
    args = parser.parse_args(argv)
    chosen = keys
    if args.only:
        chosen = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in chosen if k not in keys]
        if unknown:
            parser.exit(2, f"table.py: unknown row {', '.join(unknown)} (rows: {', '.join(keys)})\n")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    root = os.path.abspath(args.root)
    if not os.path.isdir(os.path.join(root, "bench")):
        parser.exit(2, f"table.py: {root} has no bench/ folder\n")
    print(f"issue 16 table{' (quick sizes)' if args.quick else ''}: {os.cpu_count()} CPU(s), load average {load:.1f}"
          + (f"; benches of {root}" if root != ROOT else ""))
    results = []
    for row in rows(run_suite=args.suite, root=root):
        if row.key not in chosen:
            continue
        result = measure(row, args.quick, root)
        cmd = row.argv(args.quick)
        print(f"  {row.key:<14} {result.seconds:6.1f} s  " + (" ".join(os.path.relpath(a, root) if a.startswith(root)
                                                                      else a for a in cmd[1:]) if cmd else "(skipped)"),
              flush=True)
        if args.raw and result.output:
            print("    " + result.output.rstrip().replace("\n", "\n    "))
        results.append(result)
    print()
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
