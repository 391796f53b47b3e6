"""Provides small helpers the checks share: turning a probe that has no data into an Unknown."""

from __future__ import annotations

from typing import List, Optional

from ..aws.facts import EdgeFacts
from ..model import Unknown


def missing(facts: EdgeFacts, probe: str, layer: str, what: str) -> Optional[Unknown]:
    """An Unknown when `probe` has no data (denied, failed, skipped or not run), else None."""
    outcome = facts.outcome(probe)
    if outcome is not None and outcome.ok:
        return None
    if outcome is None:
        reason = "not probed"
    elif outcome.status == "denied":
        reason = outcome.error or f"denied ({outcome.missing_action or 'access denied'})"
    else:
        reason = outcome.error or outcome.status
    return Unknown(layer=layer, what=what, reason=reason)


def gather(*unknowns: Optional[Unknown]) -> List[Unknown]:
    """The Unknowns that are not None."""
    return [u for u in unknowns if u is not None]


def header(answer: Optional[dict], name: str) -> Optional[str]:
    """A response header from a serialized HTTP answer (case-insensitive), or None."""
    if not answer:
        return None
    name = name.lower()
    for key, value in answer.get("headers") or []:
        if key.lower() == name:
            return value
    return None
