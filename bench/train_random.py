"""Provides the random-drill bench: the exhaustive sweep behind the generator test. It composes the
drills of many seeds x K = 1..3, adds every combination of the fault table the seeds did not reach,
diagnoses each distinct drill once on one lab AWS server (two seeds that pick the same faults compose
the same lab), and prints the seeds tried, drills composed, faults injected, found exactly and the
mismatches.

    python bench/train_random.py [--seeds 200] [--first 0]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.training.random_drill import (MAX_FAULTS, all_combinations, choose, compose, compose_faults,  # noqa: E402
                                          drill_key, load_table, render)


def diagnose_drill(text: str, workdir: Path, server):
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
    with Lab(load_scenario(str(path)), aws_server=server) as env:
        access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
        try:
            return [f.id for f in diagnose(load(), env.symptom, runner).root_causes]
        finally:
            runner.close()


def main() -> int:
    from wizard.lab.aws_server import start_aws_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    table = load_table()
    drills = {}  # key -> (drill, the seed drills it stands for)
    composed = 0
    for seed in range(args.first, args.first + args.seeds):
        for k in range(1, MAX_FAULTS + 1):
            base, faults = choose(table, seed, k)
            entry = drills.setdefault(drill_key(base, faults), [compose(seed, k, table), 0])
            entry[1] += 1
            composed += 1
    reached = len(drills)
    for base, faults in all_combinations(table):  # the combinations no seed picked
        drills.setdefault(drill_key(base, faults), [compose_faults(table, base, faults, -1), 0])
    injected = sum(len(key) - 1 for key in drills)
    injected_by_seeds = sum((len(key) - 1) * n for key, (_, n) in drills.items())
    exact = exact_seed_drills = 0
    mismatches = []
    started = time.perf_counter()
    server = start_aws_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for key, (drill, n) in drills.items():
                want = sorted(drill["expect"]["root_causes"])
                got = sorted(diagnose_drill(render(drill), Path(tmp), server))
                if got == want:
                    exact += 1
                    exact_seed_drills += n
                else:
                    mismatches.append((key, want, got))
    finally:
        server.stop()
    print(f"seeds tried: {args.seeds} ({args.first}..{args.first + args.seeds - 1}) x K 1..{MAX_FAULTS} "
          f"= {composed} drills composed, {injected_by_seeds} faults injected")
    print(f"distinct drills: {reached} reached by the seeds + {len(drills) - reached} other combinations "
          f"= {len(drills)} (the table has {len(all_combinations(table))}), {injected} faults injected")
    print(f"found exactly: {exact} of {len(drills)} distinct drills; {exact_seed_drills} of {composed} seed drills")
    print(f"mismatches: {len(mismatches)}")
    for key, want, got in mismatches:
        print(f"  {' + '.join(key)}: want {want}, got {got}")
    print(f"elapsed (lab builds + diagnoses): {time.perf_counter() - started:.1f} s")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
