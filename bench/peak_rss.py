"""Provides the peak-memory benchmark: the peak resident set size of `edgewiz diagnose` on the ALB
story (a lab scenario), run as a child process pointed at the lab the way `edgewiz lab up` says.

Run: .venv/bin/python bench/peak_rss.py [--runs 3] [NAME]   (default: alb-504-ghost-sg-reference)
The lab (moto server, edge simulator) runs in this process; only the child is measured: after each
run, resource.getrusage(RUSAGE_CHILDREN).ru_maxrss is the largest child so far (Linux reports KiB).
Goal ≤ 150 MB. Figures only: no assertion on memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wizard.lab.lab import Lab  # noqa: E402
from wizard.lab.scenario import load_scenario  # noqa: E402

GOAL_MB = 150


def child_env(env) -> dict:
    """This process's environment plus the lab's endpoint, per-lab credentials, region and edge."""
    out = dict(os.environ)
    out.update(AWS_ENDPOINT_URL=env.aws_endpoint, AWS_ACCESS_KEY_ID=env.credentials["aws_access_key_id"],
               AWS_SECRET_ACCESS_KEY=env.credentials["aws_secret_access_key"], AWS_REGION=env.region,
               AWS_DEFAULT_REGION=env.region, EDGEWIZ_CONNECT_TO=env.edge_address)
    out.pop("AWS_PROFILE", None)
    out.pop("AWS_SESSION_TOKEN", None)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="alb-504-ghost-sg-reference")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with Lab(load_scenario(args.name)) as env:
        argv = [sys.executable, "-m", "wizard"] + env.diagnose_argv()[1:] + ["--json"]
        print(f"{args.name}: {' '.join(argv[3:6])} ... ({args.runs} runs, child process)")
        for i in range(1, args.runs + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            done = subprocess.run(argv, env=child_env(env), capture_output=True, text=True)
            wall = time.perf_counter() - start
            peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            roots = json.loads(done.stdout).get("root_causes") if done.returncode == 0 else done.stderr.strip()[-200:]
            grew = "" if peak_kib > before or i == 1 else " (not above an earlier run's peak)"
            print(f"  run {i}: exit {done.returncode}, {wall:.2f} s, peak RSS so far {peak_kib / 1024:.0f} MB{grew}; "
                  f"root causes {roots}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of `edgewiz diagnose` ({args.name}): {peak_mb:.0f} MB (goal ≤ {GOAL_MB} MB)")


if __name__ == "__main__":
    main()
