"""Provides the plain data every layer shares: probe outcomes, hits, findings and the path graph.

Nothing here imports boto3, httpx, textual or questionary: the engine, the analyses and both
front ends pass these around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

PROBE_STATUSES = ("ok", "denied", "error", "skipped")
SEVERITIES = ("root-cause", "contributing", "info")
EDGE_STATUSES = ("ok", "blocked", "unknown")


@dataclass
class ProbeOutcome:
    """What one probe brought back: its data, or why it has none.

    `denied` means AWS refused the read (the missing IAM action is in `missing_action`);
    `error` means the probe could not run (network, bad input); `skipped` means a probe it
    depends on had no data. Only `ok` outcomes carry `data`.
    """

    name: str
    status: str
    ms: float = 0.0
    data: Any = None
    error: Optional[str] = None
    missing_action: Optional[str] = None
    aws_calls: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class Hit:
    """A finding as an analysis raises it: the id, the proof, and the names that fill its fix."""

    id: str
    evidence: Tuple[str, ...] = ()
    params: Mapping[str, str] = field(default_factory=dict)
    severity: Optional[str] = None  # None: the catalogue's default for this id


@dataclass(frozen=True)
class Unknown:
    """A part of the path that could not be checked, and why (denied, failed, not reachable)."""

    layer: str
    what: str
    reason: str


@dataclass
class Finding:
    """A hit rendered with its catalogue prose: what the report and the JSON show."""

    id: str
    layer: str
    severity: str
    title: str
    why: str
    evidence: List[str]
    fix: str
    docs: str
    order: int = 0

    def as_dict(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "layer": self.layer,
            "severity": self.severity,
            "title": self.title,
            "why": self.why,
            "evidence": list(self.evidence),
            "fix": self.fix,
            "docs": self.docs,
        }


@dataclass
class PathNode:
    """One hop of the traffic path (viewer, distribution, behavior, origin, ALB, target...)."""

    id: str
    kind: str
    label: str
    status: str = "unknown"  # ok | blocked | unknown
    detail: str = ""


@dataclass
class PathEdge:
    """A hop-to-hop link, with the verdict and the rule or statement that decides it."""

    src: str
    dst: str
    status: str = "unknown"
    rule: str = ""
    port: str = ""  # e.g. "tcp/80" or ":443"; empty when the hop is not about a port
    kind: str = "hop"  # hop (the request's way) | guards (a group/ACL on a node) | refers (a rule names a group)


@dataclass
class PathGraph:
    """The traffic path as nodes and edges, in the order the request meets them."""

    nodes: List[PathNode] = field(default_factory=list)
    edges: List[PathEdge] = field(default_factory=list)

    def node(self, node_id: str) -> Optional[PathNode]:
        return next((n for n in self.nodes if n.id == node_id), None)

    def add_node(self, node: PathNode) -> PathNode:
        existing = self.node(node.id)
        if existing is not None:
            return existing
        self.nodes.append(node)
        return node

    def add_edge(self, edge: PathEdge) -> PathEdge:
        for i, e in enumerate(self.edges):
            if e.src == edge.src and e.dst == edge.dst:
                self.edges[i] = edge
                return edge
        self.edges.append(edge)
        return edge

    def as_dict(self) -> Dict[str, Any]:
        return {
            "nodes": [vars(n).copy() for n in self.nodes],
            "edges": [vars(e).copy() for e in self.edges],
        }
