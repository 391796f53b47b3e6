"""Provides the findings catalogue: each finding declared once, as data: its prose (title, why, fix
template, docs), layer, severity, order, and the hop of the path it blocks.

The catalogue lives in flows/findings.yaml. Checks raise Hits by id; rendering a hit fills the
fix template with real names, and the path picture reads the blocked hop from here. An entry
without a hop, an unknown hop, an id a check declares without an entry, or an entry no check
raises all fail at load, never silently.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from ..model import SEVERITIES, Finding, Hit
from .errors import FlowError, PlaybookMissing

REQUIRED = ("layer", "severity", "order", "blocks", "title", "why", "fix", "docs")

# The hops of the path picture (wizard.analysis.edge.path_builder) a finding may block, by name.
PATH_HOPS: Mapping[str, Tuple[str, str]] = {
    "viewer->distribution": ("viewer", "distribution"),
    "distribution->behavior": ("distribution", "behavior"),
    "behavior->origin": ("behavior", "origin"),
    "origin->bucket": ("origin", "bucket"),
    "bucket->object": ("bucket", "object"),
    "object->page": ("object", "page"),
}
# Findings that block no hop of that picture: `network` ones are drawn blocked by the reachability
# graph's own rules (its nodes are the ALB, listeners and targets); `none` is information only.
NETWORK, NONE = "network", "none"
BLOCKS = tuple(PATH_HOPS) + (NETWORK, NONE)


@dataclass(frozen=True)
class FindingSpec:
    """One finding's definition: how it is titled, explained and fixed."""

    id: str
    layer: str
    severity: str
    order: int
    blocks: str
    title: str
    why: str
    fix: str
    docs: str

    @property
    def hop(self) -> Optional[Tuple[str, str]]:
        """The (from, to) hop of the path picture this finding blocks, or None (network / none)."""
        return PATH_HOPS.get(self.blocks)


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

    def hops(self) -> Dict[str, Optional[Tuple[str, str]]]:
        """Every finding id with the path hop it blocks (None for network and information findings)."""
        return {fid: spec.hop for fid, spec in self.specs.items()}

    def check_declarations(self, declared: Mapping[str, Sequence[str]]) -> None:
        """Raise FlowError unless every id a check declares has an entry and every entry has a check.

        `declared` maps each check's name to the finding ids it may raise. An entry no check raises
        is prose nobody can ever see: a typo in an id, or a check that was removed.
        """
        raised = set()
        for name, ids in declared.items():
            for finding_id in ids:
                if finding_id not in self.specs:
                    raise FlowError(self.path, f"check '{name}' may raise '{finding_id}', which has no entry")
                raised.add(finding_id)
        for finding_id in sorted(set(self.specs) - raised):
            raise FlowError(self.path, "no check declares this finding, so nothing can ever raise it", finding_id)

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
        _check_blocks(str(path), fid, body)
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
            blocks=body["blocks"],
            title=str(body["title"]),
            why=str(body["why"]),
            fix=str(body["fix"]),
            docs=str(body["docs"]),
        )
    return Catalog(specs, str(path))


def _check_blocks(path: str, fid: str, body: Mapping) -> None:
    """`blocks` names a known hop; information findings block nothing, network-layer ones are drawn by
    the reachability graph, and every other one blocks a hop of the picture (a root cause beside an
    "ok" hop is the silent failure this field exists to prevent)."""
    blocks = body["blocks"]
    if blocks not in BLOCKS:
        raise FlowError(path, f"blocks must be one of {', '.join(BLOCKS)} (got {blocks!r})", fid)
    if body["severity"] == "info" and blocks != NONE:
        raise FlowError(path, f"an info finding blocks nothing: use 'blocks: {NONE}'", fid)
    if body["severity"] != "info" and blocks == NONE:
        raise FlowError(path, f"a {body['severity']} finding must block a hop (or '{NETWORK}')", fid)
    if blocks != NONE and (blocks == NETWORK) != (str(body["layer"]) == "network"):
        # Only the reachability graph draws network hops; anything else must name its own hop.
        raise FlowError(path, f"'blocks: {NETWORK}' goes with 'layer: network' and only with it", fid)
