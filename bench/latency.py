"""Provides the latency benchmark: each scenario diagnosed in the lab with and without a fixed delay
before every AWS and HTTP request the diagnosis makes, to show its sequential depth.

Run: .venv/bin/python bench/latency.py [--delay-ms 100] [--runs 1] [--detail] [NAME ...]
(default: asset-403-stacked, alb-504-ghost-sg-reference and a few more).

The delay is added on the diagnosis's side only: a botocore `before-send` handler on the clients
its AwsAccess hands out (so every attempt, retries included, waits) and an httpx request hook on
its HttpProber. The lab's own reads (the edge simulator reading moto, the scenario build) go
through the lab's clients and are not delayed. Each run gets a freshly built lab.

Per scenario it prints: AWS requests sent, AWS reads saved (a repeated read answered by the
diagnosis's read cache), HTTP requests sent, the diagnosis's wall time without and with the
delay, the effective sequential depth = (with - without) / delay (from the medians, and `min` from the
fastest run of each, steadier on a busy machine), the probe steps the walk took
(each a `ProbeRunner.run` call: the flow's probe nodes run one after another), and the longest
chain of probes that the specs' `needs` declare dependent. With --detail, each step's probes with
their own depth (time under delay / delay, about the requests they send one after another).
With read-ahead on (the default; --no-read-ahead to compare), a step's reads may have been sent
during the step before it (wizard/probes/prefetch.py): that step then shows little depth of its own.
Figures only: no assertion on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wizard.aws.session import AwsAccess  # noqa: E402
from wizard.diagnose import diagnose  # noqa: E402
from wizard.http.client import HttpProber  # noqa: E402
from wizard.lab.lab import Lab  # noqa: E402
from wizard.lab.scenario import Scenario, load_scenario  # noqa: E402
from wizard.playbooks import load  # noqa: E402
from wizard.probes.runner import ProbeRunner  # noqa: E402
from wizard.probes.specs import PROBES  # noqa: E402

DEFAULT_SCENARIOS = ["asset-403-stacked", "alb-504-ghost-sg-reference", "asset-cors-missing",
                     "oai-403-kms-encrypted", "alb-healthy", "website-403-stacked-bpa-referer"]


class Delay:
    """Sleeps before each request and counts them, per kind."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.counts = {"aws": 0, "http": 0}
        self._lock = threading.Lock()

    def __call__(self, kind: str) -> None:
        with self._lock:
            self.counts[kind] += 1
        if self.seconds:
            time.sleep(self.seconds)


class DelayedAwsAccess(AwsAccess):
    """AwsAccess whose clients wait before every request they send (botocore `before-send`)."""

    def __init__(self, delay: Delay, **kwargs) -> None:
        super().__init__(**kwargs)
        self._delay = delay

    def client(self, service: str, region=None):
        client = super().client(service, region)
        # unique_id: registering again on the cached client is a no-op.
        client.meta.events.register("before-send", self._before_send, unique_id="bench-latency-delay")
        return client

    def _before_send(self, **_kwargs) -> None:
        self._delay("aws")
        return None  # None: botocore sends the request as usual


def delayed_prober(delay: Delay, **kwargs) -> HttpProber:
    """An HttpProber whose httpx client waits before every request (an httpx request event hook)."""
    prober = HttpProber(**kwargs)
    client = prober._client  # the prober's own httpx.Client; event_hooks is httpx's public API
    hooks = client.event_hooks
    hooks["request"] = list(hooks.get("request", [])) + [lambda _request: delay("http")]
    client.event_hooks = hooks
    return prober


@dataclass
class Step:
    """One ProbeRunner.run call: the probes of one flow node, and how long they took together."""

    names: List[str]
    ms: float
    outcomes: Dict[str, Tuple[str, float, int]] = field(default_factory=dict)  # name -> (status, ms, aws calls)


class RecordingRunner(ProbeRunner):
    """ProbeRunner that records each run() call (the walk's probe steps)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.steps: List[Step] = []

    def run(self, facts, names, listener=None):
        start = time.perf_counter()
        outcomes = super().run(facts, names, listener)
        step = Step(list(names), (time.perf_counter() - start) * 1000.0)
        for o in outcomes:
            step.outcomes[o.name] = (o.status, o.ms, o.aws_calls)
        self.steps.append(step)
        return outcomes


@dataclass
class Run:
    wall_ms: float
    aws: int
    http: int
    steps: List[Step]
    root_causes: List[str]
    saved: int = 0  # repeated reads answered by the diagnosis's read cache (not sent, not delayed)


def run_once(scenario: Scenario, server, delay_s: float, read_ahead: bool = True) -> Run:
    delay = Delay(delay_s)
    with Lab(scenario, aws_server=server) as env:
        access = DelayedAwsAccess(delay, region=env.region, endpoint_url=env.aws_endpoint,
                                  credentials=env.credentials)
        runner = RecordingRunner(access, delayed_prober(delay, connect_to={"*": env.edge_address}),
                                 read_ahead=read_ahead)
        try:
            diagnosis = diagnose(load(), env.symptom, runner)
        finally:
            runner.close()
    return Run(diagnosis.elapsed_ms, delay.counts["aws"], delay.counts["http"], runner.steps,
               [f.id for f in diagnosis.root_causes], getattr(diagnosis, "aws_calls_saved", 0))


def needs_chain(ran: List[str]) -> List[str]:
    """The longest chain of probes, among those that ran, each needing the one before (specs' `needs`)."""
    ran_set = set(ran)
    best: Dict[str, List[str]] = {}

    def chain(name: str) -> List[str]:
        if name not in best:
            before = [chain(n) for n in PROBES[name].needs if n in ran_set]
            best[name] = max(before, key=len, default=[]) + [name]
        return best[name]

    return max((chain(n) for n in ran), key=len, default=[])


def print_steps(plain: Run, slow: Run, delay_ms: float) -> None:
    """Each probe step and its probes, with their depth: (time under delay - time without) / delay."""
    for i, step in enumerate(slow.steps, 1):
        base = plain.steps[i - 1] if i <= len(plain.steps) and plain.steps[i - 1].names == step.names else None
        parts = []
        for name in step.names:
            status, ms, calls = step.outcomes.get(name, ("?", 0.0, 0))
            before = base.outcomes.get(name, (None, 0.0, 0))[1] if base else 0.0
            parts.append(f"{name} [{status}, {calls} AWS, {(ms - before) / delay_ms:.1f}]")
        depth = (step.ms - (base.ms if base else 0.0)) / delay_ms
        print(f"    step {i:>2}, depth {depth:>4.1f}: {'; '.join(parts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="scenarios (default: %s)" % ", ".join(DEFAULT_SCENARIOS))
    parser.add_argument("--delay-ms", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=1, help="runs per scenario and delay (the median is printed)")
    parser.add_argument("--detail", action="store_true", help="print each probe step with its probes' depth")
    parser.add_argument("--no-read-ahead", action="store_true",
                        help="do not read the next step ahead (wizard/probes/prefetch.py), to compare")
    args = parser.parse_args()
    delay_s = args.delay_ms / 1000.0

    from wizard.lab.aws_server import start_aws_server

    server = start_aws_server()
    scenarios = [load_scenario(n) for n in (args.names or DEFAULT_SCENARIOS)]
    run_once(scenarios[0], server, 0.0)  # warm-up: imports and moto's first backend builds
    print(f"delay {args.delay_ms:.0f} ms before every AWS and HTTP request of the diagnosis "
          f"(lab reads not delayed); read-ahead {'off' if args.no_read_ahead else 'on'}; median of {args.runs} run(s)\n")
    print(f"{'scenario':<36} {'AWS':>4} {'saved':>5} {'HTTP':>4} {'no delay':>9} {'delayed':>9} {'depth':>6} {'min':>5} {'steps':>5}  needs chain")
    for scenario in scenarios:
        ahead = not args.no_read_ahead
        plain = [run_once(scenario, server, 0.0, ahead) for _ in range(args.runs)]
        slow = [run_once(scenario, server, delay_s, ahead) for _ in range(args.runs)]
        without = statistics.median(r.wall_ms for r in plain)
        with_delay = statistics.median(r.wall_ms for r in slow)
        sample = slow[0]
        ran = [n for step in sample.steps for n in step.names]
        chain = needs_chain(ran)
        depth = (with_delay - without) / args.delay_ms
        # From the fastest run of each: a busy machine only adds time, so on a loaded machine this is
        # the steadier figure (with --runs 3 or more).
        depth_min = (min(r.wall_ms for r in slow) - min(r.wall_ms for r in plain)) / args.delay_ms
        print(f"{scenario.name:<36} {sample.aws:>4} {sample.saved:>5} {sample.http:>4} {without:>7.0f}ms {with_delay:>7.0f}ms "
              f"{depth:>6.1f} {depth_min:>5.1f} {len(sample.steps):>5}  {len(chain)}: {' > '.join(chain)}")
        if args.detail:
            print_steps(plain[0], sample, args.delay_ms)
    server.stop()


if __name__ == "__main__":
    main()
