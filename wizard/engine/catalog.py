"""Provides the findings catalogue: each finding's prose (title, why, fix template, docs) as data.

The catalogue lives in flows/findings.yaml. Analyses raise Hits by id; rendering a hit fills the
fix template with real names. Unknown ids fail at load or at render, never silently.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping

import yaml

from ..model import SEVERITIES, Finding, Hit
from .errors import FlowError, PlaybookMissing

REQUIRED = ("layer", "severity", "order", "title", "why", "fix", "docs")


@dataclass(frozen=True)
class FindingSpec:
    """One finding's definition: how it is titled, explained and fixed."""

    id: str
    layer: str
    severity: str
    order: int
    title: str
    why: str
    fix: str
    docs: str


class _Blank(dict):
    """Leaves a placeholder readable (`<bucket>`) when an analysis could not name the value."""

    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def _fill(template: str, params: Mapping[str, str]) -> str:
    return string.Formatter().vformat(template, (), _Blank({k: str(v) for k, v in params.items()}))


class Catalog:
    """All finding specs by id."""

    def __init__(self, specs: Dict[str, FindingSpec], path: str = "") -> None:
        self.specs = specs
        self.path = path

    def __contains__(self, finding_id: str) -> bool:
        return finding_id in self.specs

    def ids(self) -> List[str]:
        return sorted(self.specs)

    def render(self, hit: Hit) -> Finding:
        """The finding a person reads for this hit (raises KeyError for an unknown id)."""
        spec = self.specs[hit.id]
        return Finding(
            id=hit.id,
            layer=spec.layer,
            severity=hit.severity or spec.severity,
            title=_fill(spec.title, hit.params),
            why=_fill(spec.why, hit.params).strip(),
            evidence=list(hit.evidence),
            fix=_fill(spec.fix, hit.params).strip(),
            docs=spec.docs,
            order=spec.order,
        )

    def render_all(self, hits: Iterable[Hit]) -> List[Finding]:
        """Findings in the order the request meets them (root causes before the rest at a tie)."""
        seen = set()
        out = []
        for hit in hits:
            key = (hit.id, tuple(sorted(hit.params.items())))
            if key in seen:
                continue
            seen.add(key)
            out.append(self.render(hit))
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted(out, key=lambda f: (f.order, rank.get(f.severity, 9)))


def load_catalog(path: Path) -> Catalog:
    """Load and validate flows/findings.yaml."""
    if not Path(path).is_file():
        raise PlaybookMissing(str(path), "the findings catalogue is missing")
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FlowError(str(path), f"cannot read the findings catalogue: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("findings"), dict):
        raise FlowError(str(path), "expected a mapping with a 'findings' mapping")
    specs = {}
    for fid, body in raw["findings"].items():
        if not isinstance(body, dict):
            raise FlowError(str(path), "each finding must be a mapping", fid)
        missing = [k for k in REQUIRED if k not in body]
        if missing:
            raise FlowError(str(path), f"missing {', '.join(missing)}", fid)
        unknown = set(body) - set(REQUIRED)
        if unknown:
            raise FlowError(str(path), f"unknown keys {', '.join(sorted(unknown))}", fid)
        if body["severity"] not in SEVERITIES:
            raise FlowError(str(path), f"severity must be one of {', '.join(SEVERITIES)}", fid)
        for key in ("title", "why", "fix"):
            try:
                list(string.Formatter().parse(str(body[key])))
            except ValueError as exc:
                raise FlowError(str(path), f"bad placeholder in {key}: {exc}", fid) from None
        specs[fid] = FindingSpec(
            id=fid,
            layer=str(body["layer"]),
            severity=body["severity"],
            order=int(body["order"]),
            title=str(body["title"]),
            why=str(body["why"]),
            fix=str(body["fix"]),
            docs=str(body["docs"]),
        )
    return Catalog(specs, str(path))
