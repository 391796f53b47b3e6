"""Provides the lab start benchmark: how long `Lab(scenario).start()` takes (moto server, scenario
build, backend warm-up, edge simulator) and how long its stop takes, per built-in scenario.

Run: .venv/bin/python bench/lab_start.py [--shared] [--runs 1] [NAME ...]
     .venv/bin/python bench/lab_start.py --fresh [--runs 3] [NAME ...]
Prints one line per scenario (server = moto server start + reset + seed; build = scenario calls,
edge simulator, warm-up reads; stop = edge simulator and moto server shutdown) and the median and
max of the start. The first lab of the process also pays imports and moto's first backend builds;
it is printed first and left out of the median. `--shared` builds every scenario in one moto server
started beforehand (what the test suite does) instead of one server per lab (what `edgewiz --lab`
does). `--fresh` is what a user of `edgewiz --lab` / `edgewiz lab run` waits for: each scenario is
started in a new Python process (interpreter start, imports, moto's first backend builds and all),
timed from the spawn to the lab being ready (`ready`), with the child's CPU time (user+sys) up to
then, which a loaded machine disturbs less than wall time. Its parts: `imports` (the lab's modules),
`load` (reading and validating the scenario file), `start` (Lab.start()); the rest of `ready` is the
interpreter's own start. Figures only: no assertion on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Dict, List

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_SPAWNED = time.perf_counter()
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from wizard.lab.lab import Lab  # noqa: E402
from wizard.lab.scenario import Scenario, builtin_scenarios, load_scenario  # noqa: E402

_IMPORTED = time.perf_counter()


def time_one(scenario: Scenario, aws_server=None) -> Dict[str, float]:
    """Seconds for each phase of one lab's start, and its stop."""
    marks: List[float] = []
    t0 = time.perf_counter()
    lab = Lab(scenario, progress=lambda _m: marks.append(time.perf_counter()), aws_server=aws_server)
    lab.start()
    ready = time.perf_counter()
    lab.stop()
    stopped = time.perf_counter()
    # progress marks: server starting, building, [..], ready
    built_from = marks[1] if len(marks) > 1 else t0
    return {"server": built_from - t0, "build": ready - built_from, "start": ready - t0, "stop": stopped - ready}


def _child(name: str) -> None:
    """One lab in this (new) process: print when it is ready, as one JSON line, then stop it."""
    loading = time.perf_counter()
    scenario = load_scenario(name)
    t0 = time.perf_counter()
    lab = Lab(scenario)
    lab.start()
    ready = time.perf_counter()
    cpu = os.times()
    print(json.dumps({"imports": _IMPORTED - _SPAWNED, "load": t0 - loading, "start": ready - t0,
                      "cpu": cpu.user + cpu.system}), flush=True)
    lab.stop()


def fresh(names: List[str], runs: int) -> None:
    """Each scenario's lab in a new process, `runs` times: spawn-to-ready wall time and CPU time."""
    print(f"{'scenario (new process each)':<44} {'imports':>7} {'load':>7} {'start':>7} {'ready':>7} {'cpu':>7}")
    readies, cpus = [], []
    for name in names:
        rows = []
        for _ in range(max(1, runs)):
            t0 = time.perf_counter()
            child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", name],
                                     stdout=subprocess.PIPE, text=True, cwd=_ROOT)
            line = child.stdout.readline()
            ready = time.perf_counter() - t0
            child.communicate()
            if child.returncode != 0 or not line.strip():
                raise SystemExit(f"{name}: the child process failed (exit {child.returncode})")
            rows.append(dict(json.loads(line), ready=ready))
        best = min(rows, key=lambda r: r["ready"])
        readies.append(best["ready"])
        cpus.append(min(r["cpu"] for r in rows))
        print(f"{name:<44} " + " ".join(f"{best[k] * 1000:>5.0f}ms" for k in ("imports", "load", "start", "ready"))
              + f" {cpus[-1] * 1000:>5.0f}ms")
    print(f"\n{len(readies)} scenarios, first lab of a new process (spawn to ready, best of {max(1, runs)}): "
          f"median {statistics.median(readies) * 1000:.0f} ms, max {max(readies) * 1000:.0f} ms; "
          f"CPU (user+sys) median {statistics.median(cpus) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="scenarios (default: every built-in one)")
    parser.add_argument("--shared", action="store_true", help="build every scenario in one moto server")
    parser.add_argument("--runs", type=int, default=1, help="starts per scenario (the fastest is printed)")
    parser.add_argument("--fresh", action="store_true",
                        help="each lab in a new process: what `edgewiz --lab` waits for, imports included")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child)
    if args.fresh:
        return fresh(args.names or [s.name for s in builtin_scenarios()], args.runs)

    t0 = time.perf_counter()
    scenarios = [load_scenario(n) for n in args.names] if args.names else builtin_scenarios()
    server = None
    if args.shared:
        from wizard.lab.aws_server import start_aws_server

        server = start_aws_server()
    print(f"imports and {'shared server start' if server else 'scenario loading'}: "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")

    cold = time_one(scenarios[0], server)
    print(f"first lab of the process ({scenarios[0].name}): start {cold['start'] * 1000:.0f} ms "
          f"(server {cold['server'] * 1000:.0f}, build {cold['build'] * 1000:.0f}), stop {cold['stop'] * 1000:.0f} ms\n")

    print(f"{'scenario':<44} {'server':>7} {'build':>7} {'start':>7} {'stop':>7}")
    starts, stops = [], []
    for scenario in scenarios:
        runs = [time_one(scenario, server) for _ in range(max(1, args.runs))]
        best = min(runs, key=lambda r: r["start"])
        starts.append(best["start"])
        stops.append(min(r["stop"] for r in runs))
        print(f"{scenario.name:<44} " + " ".join(f"{best[k] * 1000:>5.0f}ms" for k in ("server", "build", "start"))
              + f" {stops[-1] * 1000:>5.0f}ms")
    if server is not None:
        server.stop()
    print(f"\n{len(starts)} scenarios ({'one shared server' if server else 'one server per lab'}): "
          f"start median {statistics.median(starts) * 1000:.0f} ms, max {max(starts) * 1000:.0f} ms; "
          f"stop median {statistics.median(stops) * 1000:.0f} ms; start+stop total {sum(starts) + sum(stops):.1f} s")


if __name__ == "__main__":
    main()
