"""Provides the start-up benchmark: how long `edgewiz --help` and `edgewiz --version` take to start, and
which imports the time goes to (python -X importtime).

Run: .venv/bin/python bench/startup.py [--runs 15] [--python PATH] [--top 8]
Prints, for each command, the wall-clock median/min over repeated runs in fresh processes, the total
import time python reports for the `wizard` package and its dependencies, and the slowest top-level
imports. A bare `python -c pass` is timed as the floor nobody can go under.
To compare two versions with the same interpreter and libraries, export each one (git archive) and
run with PYTHONPATH=that/copy: the copy's `wizard` is then the one imported.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "edgewiz --help": ["-m", "wizard", "--help"],
    "edgewiz --version": ["-m", "wizard", "--version"],
    "edgewiz completion bash": ["-m", "wizard", "completion", "bash"],
}
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def _env() -> Dict[str, str]:
    # Run from a neutral directory so the installed package (editable or not) is what gets timed.
    return dict(os.environ, PYTHONDONTWRITEBYTECODE="0", EDGEWIZ_STATE_DIR=tempfile.gettempdir())


def wall_times(python: str, args: List[str], runs: int) -> List[float]:
    """Seconds for each of `runs` fresh processes (after one warm-up that compiles bytecode)."""
    out = []
    for i in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run([python, *args], cwd=tempfile.gettempdir(), env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            return []  # the command does not exist in this version (e.g. completion before it was added)
        if i:
            out.append(elapsed)
    return out


def import_profile(python: str, args: List[str]) -> Tuple[int, List[Tuple[int, str]]]:
    """(total microseconds of all imports, [(cumulative µs, module)] for top-level imports)."""
    proc = subprocess.run([python, "-X", "importtime", *args], cwd=tempfile.gettempdir(), env=_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    total, top = 0, []
    for line in proc.stderr.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        self_us, cumulative, indent, name = int(match[1]), int(match[2]), match[3], match[4]
        total += self_us
        if len(indent) <= 1:
            top.append((cumulative, name))
    return total, sorted(top, reverse=True)


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose install to time")
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest top-level imports to list")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"start-up with {args.python} on {os.cpu_count()} CPU(s), load average {load:.1f}, {args.runs} runs each")
    for label, argv in COMMANDS.items():
        runs = wall_times(args.python, argv, args.runs)
        if not runs:
            print(f"{label:<26} (not available in this version)")
            continue
        total, top = import_profile(args.python, argv)
        print(f"{label:<26} wall median {statistics.median(runs) * 1000:5.0f} ms (min {min(runs) * 1000:.0f}); "
              f"imports {total / 1000:5.0f} ms")
        if label != "python -c pass":
            slow = ", ".join(f"{name} {us / 1000:.0f}" for us, name in top[:args.top])
            print(f"{'':<26} slowest top-level imports (ms): {slow}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
