"""Times each built-in scenario's diagnosis (lab start excluded) and counts its AWS calls.

Run: .venv/bin/python bench/diagnosis.py [NAME ...]
Prints one line per scenario: milliseconds for the walk (probes + checks), AWS calls sent, reads
saved (repeated reads the diagnosis's read cache answered), root causes.
The lab's start (moto server, scenario build, backend warm-up) is timed separately.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wizard.aws.session import AwsAccess  # noqa: E402
from wizard.diagnose import diagnose  # noqa: E402
from wizard.http.client import HttpProber  # noqa: E402
from wizard.lab.lab import Lab  # noqa: E402
from wizard.lab.scenario import builtin_scenarios, load_scenario  # noqa: E402
from wizard.playbooks import load  # noqa: E402
from wizard.probes.runner import ProbeRunner  # noqa: E402


def main(names) -> None:
    scenarios = [load_scenario(n) for n in names] if names else builtin_scenarios()
    playbooks = load()
    walks, starts = [], []
    print(f"{'scenario':<44} {'lab start':>9} {'diagnosis':>9} {'AWS calls':>9} {'saved':>5}  root causes")
    for scenario in scenarios:
        t0 = time.perf_counter()
        with Lab(scenario) as env:
            started = time.perf_counter() - t0
            access = AwsAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
            runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}))
            diagnosis = diagnose(playbooks, env.symptom, runner)
            runner.close()
        walks.append(diagnosis.elapsed_ms)
        starts.append(started * 1000)
        roots = ", ".join(f.id for f in diagnosis.root_causes) or "-"
        print(f"{scenario.name:<44} {started * 1000:>7.0f}ms {diagnosis.elapsed_ms:>7.0f}ms {diagnosis.aws_calls:>9} {diagnosis.aws_calls_saved:>5}  {roots}")
    print(f"\n{len(walks)} scenarios: diagnosis median {statistics.median(walks):.0f} ms, max {max(walks):.0f} ms; "
          f"lab start median {statistics.median(starts):.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
