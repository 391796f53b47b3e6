"""Provides the exercise check: "solved" means the symptom now succeeds over HTTP through the edge,
the diagnosis (read-only, as `edgewiz diagnose`) finds no root cause, and the fix is safe (safety.yaml's
rules for the faults the exercise started with, reviewed by safety.py). An unsafe fix that works is
reported as "works, but …" with why; each fault that remains is named."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..engine.facts import Symptom
from .safety import Concern, SafetyState, load_rules, review


@dataclass
class LabRun:
    """One read-only look at the lab: the diagnosis and the safety state."""

    diagnosis: Any
    safety: SafetyState


@dataclass
class CheckResult:
    symptom_ok: bool
    symptom_said: str
    remaining: List[Tuple[str, str]]  # (finding id, title)
    concerns: List[Concern] = field(default_factory=list)

    @property
    def unsafe(self) -> List[Concern]:
        return [c for c in self.concerns if not c.unknown]

    @property
    def unchecked(self) -> List[Concern]:
        return [c for c in self.concerns if c.unknown]

    @property
    def solved(self) -> bool:
        return self.symptom_ok and not self.remaining and not self.concerns

    @property
    def verdict(self) -> str:
        if self.solved:
            return "solved"
        if self.symptom_ok and not self.remaining and self.unsafe:
            return "works, but unsafe"
        return "not yet"

    def as_dict(self) -> Dict[str, Any]:
        return {"verdict": self.verdict, "solved": self.solved, "symptom_ok": self.symptom_ok,
                "symptom": self.symptom_said,
                "remaining": [{"id": i, "title": t} for i, t in self.remaining],
                "unsafe": [{"rule": c.rule, "why": c.why} for c in self.unsafe],
                "unchecked": [{"rule": c.rule, "why": c.why} for c in self.unchecked]}


def symptom_of(data: Mapping[str, Any]) -> Symptom:
    return Symptom(url=str(data["url"]), page_origin=data.get("page_origin"), page_url=data.get("page_url"),
                   complaint=data.get("complaint"), method=data.get("method"))


def symptom_dict(symptom: Symptom) -> Dict[str, Any]:
    return {"url": symptom.url, "page_origin": symptom.page_origin, "page_url": symptom.page_url,
            "complaint": symptom.complaint, "method": symptom.method}


def _header(data: Mapping[str, Any], name: str) -> Optional[str]:
    return next((str(v) for k, v in data.get("headers") or [] if str(k).lower() == name), None)


def symptom_outcome(diagnosis) -> Tuple[bool, str]:
    """Does the symptom's request succeed now, as the diagnosis's own HTTP probes saw it?"""
    outcomes = {o.name: o for o in diagnosis.probes}
    viewer = outcomes.get("http.viewer")
    if viewer is None or not viewer.ok or not isinstance(viewer.data, Mapping):
        return False, "the URL could not be requested"
    status = viewer.data.get("status")
    if not isinstance(status, int) or not 200 <= status < 400:
        return False, f"the URL still answers {status or viewer.data.get('error') or 'nothing'}"
    origin = diagnosis.symptom.page_origin
    with_origin = outcomes.get("http.viewer_with_origin")
    if origin and with_origin is not None:
        if not with_origin.ok or not isinstance(with_origin.data, Mapping):
            return False, "the request with the page's Origin could not be made"
        allowed = _header(with_origin.data, "access-control-allow-origin")
        if allowed not in (origin, "*"):
            return False, f"the URL answers {status}, but without Access-Control-Allow-Origin for {origin}"
        return True, f"the URL answers {status} with Access-Control-Allow-Origin: {allowed}"
    return True, f"the URL answers {status}"


def look(symptom: Symptom, runner, access) -> LabRun:
    """Diagnose the symptom (read-only) and gather the safety state."""
    from ..diagnose import diagnose
    from ..playbooks import load
    from .gather import gather

    diagnosis = diagnose(load(), symptom, runner)
    return LabRun(diagnosis, gather(diagnosis, access))


def judge(run: LabRun, faults: List[str], baseline: Optional[SafetyState]) -> CheckResult:
    """The check's verdict over one look, for an exercise that started with `faults` (finding ids)."""
    ok, said = symptom_outcome(run.diagnosis)
    remaining = [(f.id, f.title) for f in run.diagnosis.root_causes]
    concerns = review(load_rules().for_findings(faults), run.safety, baseline)
    return CheckResult(ok, said, remaining, concerns)
