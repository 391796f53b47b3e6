"""Provides the JSON report (schema documented in docs/json-output.md; `schema` is bumped on any
incompatible change)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..diagnose import Diagnosis
from ..redact import Redactor
from ..untrusted import sanitize_data, to_json

SCHEMA = "edgewiz.diagnosis/1"


def as_dict(diagnosis: Diagnosis, redactor: Optional[Redactor] = None, extra: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """The diagnosis as JSON-ready data (redacted)."""
    redactor = redactor or Redactor()
    end = diagnosis.end
    out = {
        "schema": SCHEMA,
        "symptom": diagnosis.symptom.as_dict(),
        "result": end.result,
        # False when anything could not be checked: "no root cause" then does not mean healthy.
        "complete": end.result == "verdict" and not diagnosis.unknowns,
        "end": {"node": end.id, "title": end.title, "why": end.why},
        "findings": [f.as_dict() for f in diagnosis.findings],
        "root_causes": [f.id for f in diagnosis.root_causes],
        "unknowns": [{"layer": u.layer, "what": u.what, "reason": u.reason} for u in diagnosis.unknowns],
        "path": diagnosis.path.as_dict(),
        # The path with its guards (security groups, network ACLs) and the groups their rules name.
        "graph": diagnosis.graph.as_dict(),
        "probes": [{"name": p.name, "status": p.status, "ms": round(p.ms, 1), "error": p.error,
                    "missing_action": p.missing_action, "aws_calls": p.aws_calls} for p in diagnosis.probes],
        "steps": [{"node": s.node, "kind": s.kind, "title": s.title, "detail": s.detail} for s in diagnosis.steps],
        "aws_calls": diagnosis.aws_calls,
        "aws_calls_saved": diagnosis.aws_calls_saved,  # repeated reads answered from this diagnosis's cache
        "elapsed_ms": round(diagnosis.elapsed_ms, 1),
    }
    if extra:
        out.update(extra)
    # Every string cleaned of control sequences (`jq -r` prints them raw) and redacted.
    return sanitize_data(out, redactor)


def render(diagnosis: Diagnosis, redactor: Optional[Redactor] = None, extra: Optional[Dict[str, Any]] = None) -> str:
    """The JSON report as text."""
    return to_json(as_dict(diagnosis, redactor, extra), redactor, indent=2)
