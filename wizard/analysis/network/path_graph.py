"""Provides the reachability path as a graph: hops (nodes and edges) each ok / blocked / unknown with
the rule text that decides it, how a node's status follows from its ways in, and the hits merged by
finding and key. network.reachability walks the inventory and fills it; nothing here judges a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import networkx as nx

from ...model import Hit, PathEdge, PathGraph, PathNode, Unknown
from . import ports
from .ports import Net

_WORST = {"ok": 0, "unknown": 1, "blocked": 2}


@dataclass
class PathAnalysis:
    """The analysis result: the graph for the JSON/TUI, the hits, the unknowns, and the networkx graph."""

    graph: PathGraph
    hits: List[Hit]
    unknowns: List[Unknown]
    nx: "nx.DiGraph"

    def blocked_edges(self) -> List[PathEdge]:
        """The blocked hops, in path order: the first is where the request stops."""
        return [e for e in self.graph.edges if e.status == "blocked"]



@dataclass
class Check:
    """One rule's verdict on a hop: ok / blocked / unknown, and the text that says which rule."""

    status: str
    text: str


def worst(statuses: Iterable[str]) -> str:
    """blocked over unknown over ok; an unrecognised status counts as unknown."""
    out = "ok"
    for s in statuses:
        if _WORST.get(s, 1) > _WORST[out]:
            out = s
    return out


class HitBag:
    """Hits merged by id and key params, evidence kept in first-seen order, targets counted."""

    def __init__(self) -> None:
        self._items: Dict[Tuple[str, Tuple[str, ...]], Dict[str, Any]] = {}

    def add(self, fid: str, key: Sequence[Any], params: Mapping[str, Any], evidence: Sequence[str],
            target: str = "", cidr: Optional[Net] = None) -> None:
        """Add a hit; hits with the same id and `key` merge (the first one's params win, except
        `cidr`, which becomes the smallest block covering every `cidr` given)."""
        clean = {k: str(v) for k, v in params.items()}
        item = self._items.setdefault((fid, tuple(str(k) for k in key)),
                                      {"id": fid, "params": clean, "evidence": [], "targets": [], "cidrs": []})
        if cidr is not None and cidr not in item["cidrs"]:
            item["cidrs"].append(cidr)
            item["params"]["cidr"] = str(ports.supernet(item["cidrs"]))
        for line in evidence:
            if line and line not in item["evidence"]:
                item["evidence"].append(line)
        if target and target not in item["targets"]:
            item["targets"].append(target)

    def has(self, fid: str) -> bool:
        return any(k[0] == fid for k in self._items)

    def hits(self) -> List[Hit]:
        out = []
        for item in self._items.values():
            evidence = list(item["evidence"])
            targets = item["targets"]
            if targets:
                more = f" and {len(targets) - 5} more" if len(targets) > 5 else ""
                evidence.append(f"Targets affected: {', '.join(targets[:5])}{more}.")
            out.append(Hit(item["id"], tuple(evidence), item["params"]))
        return out



def add_node(g: "nx.DiGraph", nid: str, kind: str, label: str, detail: str = "") -> str:
    """Add a hop's node once; later calls keep the first label and detail."""
    if nid not in g:
        g.add_node(nid, kind=kind, label=label, detail=detail)
    return nid


def add_edge(g: "nx.DiGraph", src: str, dst: str, checks: Sequence["Check"]) -> None:
    """An edge as bad as its worst check, its rule text the checks that decided that status."""
    status = worst(c.status for c in checks) if checks else "unknown"
    shown = [c.text for c in checks if c.status == status and c.text] or [c.text for c in checks if c.text]
    g.add_edge(src, dst, status=status, rule="; ".join(dict.fromkeys(shown)),
               checks=[(c.status, c.text) for c in checks])


def conclude(g: "nx.DiGraph", hits: List[Hit], unknowns: Sequence[Unknown]) -> PathAnalysis:
    # A node is as reachable as its best way in; a way in is as good as its worse half
    # (the hop before it, or the edge itself).
    rank = {v: k for k, v in _WORST.items()}
    status = {"cloudfront": "ok"}
    for nid in nx.topological_sort(g):
        if nid == "cloudfront":
            continue
        ways = [max(_WORST[status.get(src, "unknown")], _WORST[data["status"]])
                for src, _, data in g.in_edges(nid, data=True)]
        status[nid] = rank[min(ways)] if ways else "unknown"
    nodes = [PathNode(nid, d["kind"], d["label"], status.get(nid, "unknown"), d.get("detail", ""))
             for nid, d in g.nodes(data=True)]
    for nid, d in g.nodes(data=True):
        d["status"] = status.get(nid, "unknown")
    edges = [PathEdge(s, t, d["status"], d["rule"]) for s, t, d in g.edges(data=True)]
    return PathAnalysis(PathGraph(nodes, edges), hits, list(dict.fromkeys(unknowns)), g)

# CloudFront → ALB --------------------------------------------------------------------------
