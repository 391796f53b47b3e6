"""Provides the random-drill bench: composes drills for many seeds and K = 1..3, runs the diagnosis
on each in the lab, and prints seeds tried, faults injected, found exactly and the mismatches.

    python bench/train_random.py [--seeds 100] [--first 0]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.training.random_drill import MAX_FAULTS, compose, render  # noqa: E402


def diagnose_drill(text: str, workdir: Path):
    """The root-cause ids the diagnosis finds on the drill's lab, in its order."""
    from wizard.aws.session import AwsAccess
    from wizard.diagnose import diagnose
    from wizard.http.client import HttpProber
    from wizard.lab.lab import Lab
    from wizard.lab.scenario import load_scenario
    from wizard.playbooks import load
    from wizard.probes.runner import ProbeRunner

    path = workdir / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    with Lab(load_scenario(str(path))) as env:
        access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
        try:
            return [f.id for f in diagnose(load(), env.symptom, runner).root_causes]
        finally:
            runner.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    tried = injected = exact = 0
    mismatches = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first, args.first + args.seeds):
            for k in range(1, MAX_FAULTS + 1):
                drill = compose(seed, k)
                want = sorted(drill["expect"]["root_causes"])
                got = sorted(diagnose_drill(render(drill), Path(tmp)))
                tried += 1
                injected += len(want)
                if got == want:
                    exact += 1
                else:
                    mismatches.append((seed, k, drill["story"].strip(), want, got))
    print(f"drills tried: {tried} (seeds {args.first}..{args.first + args.seeds - 1} x K 1..{MAX_FAULTS})")
    print(f"faults injected: {injected}")
    print(f"found exactly: {exact} of {tried}")
    print(f"mismatches: {len(mismatches)}")
    for seed, k, story, want, got in mismatches:
        print(f"  seed {seed} K {k}: want {want}, got {got} ({story})")
    print(f"elapsed: {time.perf_counter() - started:.1f} s")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
