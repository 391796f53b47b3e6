"""Provides diagnose(): one non-interactive walk of the playbook for a symptom, with a probe runner,
producing a Diagnosis (findings in path order, unknowns, probe timings, the path graph).

`edgewiz diagnose`, `edgewiz lab run` and the tests use it. It drives the walk with the same loop
as the TUI and plain mode (engine/drive.py), without a journal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Union

from .analysis.edge.path_builder import build_path
from .engine.drive import CancelToken, Cancelled, drive
from .engine.facts import Facts, Symptom
from .engine.walk import Done, NeedAnswer, NeedProbes, Walk
from .model import Finding, PathGraph, ProbeOutcome, Unknown
from .playbooks import Playbooks
from .probes.prefetch import start_reading_ahead


@dataclass
class Diagnosis:
    """The result of a walk: what was found, what could not be checked, and how."""

    symptom: Symptom
    end: Any  # the end Node
    findings: List[Finding]
    unknowns: List[Unknown]
    probes: List[ProbeOutcome]
    path: PathGraph
    steps: List[Any]
    aws_calls: int
    elapsed_ms: float
    answers: Dict[str, str] = field(default_factory=dict)
    cancelled: Optional[str] = None  # why, when the walk was cancelled before its end (never a verdict)
    aws_calls_saved: int = 0  # repeated reads answered from the diagnosis's read cache, not sent

    @property
    def root_causes(self) -> List[Finding]:
        return [f for f in self.findings if f.severity == "root-cause"]

    @property
    def graph(self) -> PathGraph:
        """The path with the security groups and network ACLs that guard it (analysis/path_model)."""
        from .analysis.path_model import graph_of

        data = {p.name: p.data for p in self.probes if p.ok}
        return graph_of(self.path, data.get)


def auto_answer(need: NeedAnswer) -> str:
    """Non-interactive answers: the suggestion from the facts, else the first choice."""
    return need.suggestion or need.choices[0].value


def network_graph(facts: Facts) -> Optional[PathGraph]:
    """The CloudFront → ALB → targets graph when the inventory was read."""
    data = facts.data("aws.alb_inventory")
    if not data:
        return None
    from .analysis.network.network_inventory import inventory_from_dict
    from .analysis.network.ports import origin_port_plan
    from .analysis.network.reachability import analyze_origin_path

    origin = facts.origin
    plan = origin_port_plan(dict(origin.custom_config) if origin else {})
    return analyze_origin_path(inventory_from_dict(data), plan).graph


def path_of(walk: Walk) -> PathGraph:
    """The path graph as far as the walk has got."""
    return build_path(walk.facts, walk.hits, walk.unknowns, network_graph(walk.facts), hops=walk.catalog.hops())


def summarize(playbooks: Playbooks, walk: Walk, stop: Union[Done, Cancelled], aws_calls: int,
              elapsed_ms: float, aws_calls_saved: int = 0) -> Diagnosis:
    """Turn a finished (or cancelled) walk into a Diagnosis. A cancelled one ends on a stand-in end
    node whose result is "cancelled", so no report can read it as "no root cause"."""
    cancelled = isinstance(stop, Cancelled)
    return Diagnosis(
        symptom=walk.facts.symptom,
        end=stop.end if cancelled else stop.node,
        findings=playbooks.catalog.render_all(walk.hits),
        unknowns=_dedupe(walk.unknowns + unread_probes(walk.facts.outcomes.values(), walk.unknowns)),
        probes=list(walk.facts.outcomes.values()),
        path=path_of(walk),
        steps=list(walk.steps),
        aws_calls=aws_calls,
        elapsed_ms=elapsed_ms,
        answers=dict(walk.facts.answers),
        cancelled=stop.reason if cancelled else None,
        aws_calls_saved=aws_calls_saved,
    )


def unread_probes(outcomes, unknowns: List[Unknown]) -> List[Unknown]:
    """An Unknown for each probe that was denied or failed and that no check has already named: a read
    that could not be made is always listed, even where the walk ended before a check looked at it."""
    from .probes.specs import PROBES

    said = {u.reason for u in unknowns}
    out = []
    for outcome in outcomes:
        if outcome.status in ("denied", "error") and outcome.error not in said:
            layer = "aws" if outcome.name.startswith("aws.") else "http"
            title = PROBES[outcome.name].title if outcome.name in PROBES else outcome.name
            out.append(Unknown(layer, title, outcome.error or outcome.status))
    return out


def _dedupe(unknowns: List[Unknown]) -> List[Unknown]:
    seen, out = set(), []
    for u in unknowns:
        if (u.layer, u.what) not in seen:
            seen.add((u.layer, u.what))
            out.append(u)
    return out


def diagnose(playbooks: Playbooks, symptom: Symptom, runner,
             answer: Callable[[NeedAnswer], str] = auto_answer, cancel: Optional[CancelToken] = None) -> Diagnosis:
    """Walk the main flow to its end with `runner` (a ProbeRunner) answering probes; a `cancel` set
    meanwhile ends it as cancelled."""
    walk = playbooks.walk(symptom)
    start = time.perf_counter()
    calls_before = runner.aws.call_count if runner.aws is not None else 0
    def run(facts, names):
        start_reading_ahead(runner, walk)  # the next step's reads, sent while this one runs
        return runner.run(facts, names)

    stop = drive(walk, run, answer, cancel=cancel)
    if isinstance(stop, (NeedAnswer, NeedProbes)):  # the answerer gave nothing: not a walk's end
        raise RuntimeError(f"diagnose needs an answer at {stop.node.id}")
    calls = (runner.aws.call_count - calls_before) if runner.aws is not None else 0
    return summarize(playbooks, walk, stop, calls, (time.perf_counter() - start) * 1000.0, calls_saved(runner))


def calls_saved(runner) -> int:
    """The reads of the runner's current diagnosis that its read cache answered (0 without AWS)."""
    return getattr(runner.aws, "calls_saved", 0) if runner is not None and runner.aws is not None else 0
