"""Provides the peak-memory benchmark: the peak resident set size of `edgewiz diagnose` on the ALB
story (a lab scenario), run as a child process pointed at the lab the way `edgewiz lab up` says.

Run: .venv/bin/python bench/peak_rss.py [--runs 3] [NAME]   (default: alb-504-ghost-sg-reference)
The lab (moto server, edge simulator) runs in this process; only the child is measured, by the
child itself: a two-line wrapper runs edgewiz's main and, at exit, writes the VmHWM line of
/proc/self/status (its peak RSS) to a temporary file. getrusage(RUSAGE_CHILDREN) is not used: Linux
folds the parent's resident size into a forked child's ru_maxrss before exec, so it reported the
lab's ~330 MB instead of the diagnosis's own peak. Goal ≤ 150 MB. Figures only: no assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wizard.lab.lab import Lab  # noqa: E402
from wizard.lab.scenario import load_scenario  # noqa: E402

GOAL_MB = 150

# Runs in the child: edgewiz's own main, then its peak RSS (VmHWM, per address space, so the
# parent's size before exec is not in it) into the file the bench names.
_WRAPPER = (
    "import atexit, sys\n"
    "def _hwm(path=sys.argv.pop(1)):\n"
    "    line = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
    "    open(path, 'w').write(line.split()[1])\n"
    "atexit.register(_hwm)\n"
    "from wizard.cli import main\n"
    "sys.exit(main())\n"
)


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
    peaks = []
    with Lab(load_scenario(args.name)) as env, tempfile.TemporaryDirectory() as tmp:
        hwm_file = os.path.join(tmp, "vmhwm")
        argv = [sys.executable, "-c", _WRAPPER, hwm_file] + env.diagnose_argv()[1:] + ["--json"]
        print(f"{args.name}: edgewiz {' '.join(env.diagnose_argv()[1:3])} ... ({args.runs} runs, child process)")
        for i in range(1, args.runs + 1):
            start = time.perf_counter()
            done = subprocess.run(argv, env=child_env(env), capture_output=True, text=True)
            wall = time.perf_counter() - start
            with open(hwm_file) as f:
                peak_mb = int(f.read()) / 1024
            peaks.append(peak_mb)
            roots = json.loads(done.stdout).get("root_causes") if done.returncode == 0 else done.stderr.strip()[-200:]
            print(f"  run {i}: exit {done.returncode}, {wall:.2f} s, peak RSS {peak_mb:.0f} MB; root causes {roots}")
    print(f"peak RSS of `edgewiz diagnose` ({args.name}): {max(peaks):.0f} MB (goal ≤ {GOAL_MB} MB)")


if __name__ == "__main__":
    main()
