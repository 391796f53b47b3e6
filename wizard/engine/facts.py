"""Provides Symptom (what the user reports) and Facts (everything probes and answers have found).

Generic: Facts knows probe outcomes by name, not what any probe means. The readings of a domain
(the distribution, the bucket policy...) are typed models built from probe data by a Facts subclass
next to those models (wizard/aws/facts.py), memoised here per outcome so a replaced outcome is read
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from ..model import Hit, ProbeOutcome, Unknown


@dataclass(frozen=True)
class Symptom:
    """What the engineer brings: the failing URL, and the page that loads it (for CORS)."""

    url: str
    page_origin: Optional[str] = None
    page_url: Optional[str] = None
    complaint: Optional[str] = None  # "403" | "cors" | "504" | "other", when the user said
    # The failing request's method when the user said (--method POST): edgewiz never sends a POST or
    # PUT itself (it could change data), so what needs the method reads it from here.
    method: Optional[str] = None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        return urlsplit(self.url).query

    @property
    def cross_origin(self) -> bool:
        """True when the page origin differs from the asset's origin (the browser applies CORS)."""
        if not self.page_origin:
            return False
        a, b = urlsplit(self.url), urlsplit(self.page_origin)
        return (a.scheme, a.hostname, a.port) != (b.scheme, b.hostname, b.port)

    def as_dict(self) -> Dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass
class Facts:
    """The probe outcomes and answers so far, and the hits and unknowns checks have raised."""

    symptom: Symptom
    outcomes: Dict[str, ProbeOutcome] = field(default_factory=dict)
    answers: Dict[str, str] = field(default_factory=dict)
    # Hits raised by earlier check nodes: later checks (stale cache) need to know if any were found.
    hits: List[Hit] = field(default_factory=list)
    unknowns: List[Unknown] = field(default_factory=list)  # parts earlier checks could not check
    _readings: Dict[str, Tuple[ProbeOutcome, Any]] = field(default_factory=dict, repr=False, compare=False)

    def data(self, probe: str) -> Any:
        """The probe's data when it succeeded, else None."""
        outcome = self.outcomes.get(probe)
        return outcome.data if outcome is not None and outcome.ok else None

    def status(self, probe: str) -> str:
        outcome = self.outcomes.get(probe)
        return outcome.status if outcome is not None else "not-run"

    def outcome(self, probe: str) -> Optional[ProbeOutcome]:
        return self.outcomes.get(probe)

    def reading(self, probe: str, build: Callable[[Any], Any]) -> Any:
        """`build(data)` of the probe's data when it succeeded (memoised until the outcome changes),
        else None."""
        outcome = self.outcomes.get(probe)
        if outcome is None or not outcome.ok:
            return None
        cached = self._readings.get(probe)
        if cached is not None and cached[0] is outcome:
            return cached[1]
        value = build(outcome.data or {})
        self._readings[probe] = (outcome, value)
        return value
