"""Provides the test-suite benchmark: the README's test command, timed, with the slowest test files.

Run: .venv/bin/python bench/suite.py [--top 15] [-- extra pytest args, e.g. tests/e2e]
Runs `python -m pytest -q -p no:cacheprovider` (pyproject's addopts apply: `-n 2 --dist loadscope`)
and prints its wall time, the CPU time it and its workers used (user + sys, from the OS's accounting
of waited-for children), the peak RSS of its largest process (a worker), the passed/failed counts, and the slowest test files by the sum of their
tests' setup + call + teardown times (a JUnit XML report, aggregated per file). Figures only: the
machine's load decides much of the wall time, so it prints the load average before and after too.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]


def per_file_seconds(junit_xml: Path) -> Dict[str, Tuple[float, int]]:
    """{test file: (summed seconds, test count)} from a JUnit XML report (xunit1, which names the file)."""
    totals: Dict[str, List[float]] = defaultdict(lambda: [0.0, 0])
    for case in ET.parse(junit_xml).getroot().iter("testcase"):
        name = case.get("file") or case.get("classname", "?").replace(".", "/") + ".py"
        totals[name][0] += float(case.get("time") or 0.0)
        totals[name][1] += 1
    return {name: (secs, int(count)) for name, (secs, count) in totals.items()}


def _summary_counts(output: str) -> Dict[str, int]:
    # The last line of `pytest -q`: "2026 passed, 3 warnings in 279.51s (0:04:39)".
    counts = {}
    for number, word in re.findall(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)", output[-2000:]):
        counts[word] = int(number)
    return counts


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="how many of the slowest files to print")
    parser.add_argument("--keep", type=Path, help="also keep the JUnit XML report at this path")
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (after --)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="edgewiz-suite-") as tmp:
        junit = Path(tmp) / "junit.xml"
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   f"--junitxml={junit}", "-o", "junit_family=xunit1", *args.pytest_args]
        load_before = os.getloadavg()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()
        files = per_file_seconds(junit) if junit.exists() else {}
        if args.keep and junit.exists():
            args.keep.write_bytes(junit.read_bytes())

    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    counts = _summary_counts(proc.stdout)
    print(f"command: {' '.join(command[1:])}")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f}  after: {load_after[0]:.2f} {load_after[1]:.2f}")
    print(f"exit code: {proc.returncode}")
    print(f"wall: {wall:.1f} s ({int(wall // 60)}:{wall % 60:04.1f})")
    print(f"cpu: user {user:.1f} s + sys {system:.1f} s = {user + system:.1f} s")
    print(f"peak RSS of the largest process: {after.ru_maxrss / 1024:.0f} MiB")
    print("tests: " + ", ".join(f"{n} {w}" for w, n in sorted(counts.items())) if counts else "tests: (no summary line)")
    print(f"slowest {args.top} files (sum of setup + call + teardown per test, across workers):")
    for name, (secs, count) in sorted(files.items(), key=lambda kv: -kv[1][0])[: args.top]:
        print(f"  {secs:7.1f} s  {count:4d} tests  {name}")
    if proc.returncode not in (0,):
        print("\n".join(proc.stdout.splitlines()[-15:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
