"""Provides build_path(): the traffic path as a graph (viewer → distribution → behavior → origin →
bucket/object, or → load balancer → targets), each hop ok / blocked / unknown with the rule or
statement that decides it. Pure: it reads the facts the walk gathered and the hits it raised.

Which hop a finding blocks is declared once, in the findings catalogue (`blocks`); the caller passes
that table in. A hit the table does not know is an error, not an "ok" hop beside a root cause."""

from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Tuple

from ...model import Hit, PathEdge, PathGraph, PathNode, Unknown

# A hop is "ok" only once the probe that could refuse it has answered; until then it is unknown.
_NEEDS = {("viewer", "distribution"): "aws.distribution", ("distribution", "behavior"): "aws.distribution",
          ("behavior", "origin"): "aws.distribution", ("origin", "bucket"): "aws.bucket_policy",
          ("bucket", "object"): "aws.object", ("object", "page"): "aws.bucket_cors"}
_UNKNOWN_LAYER_EDGE = {"s3": ("origin", "bucket"), "kms": ("bucket", "object"), "waf": ("viewer", "distribution"),
                       "organization": ("origin", "bucket"), "origin": ("behavior", "origin")}


def _rule(hit: Hit) -> str:
    # The proof is the sentence; the finding id follows in brackets (for search and JSON), never as
    # the subject a person reads first.
    return f"{hit.evidence[0]} [{hit.id}]" if hit.evidence else f"[{hit.id}]"


def build_path(facts, hits: Iterable[Hit], unknowns: Iterable[Unknown] = (),
               network: Optional[PathGraph] = None, *,
               hops: Mapping[str, Optional[Tuple[str, str]]]) -> PathGraph:
    """The path graph for a walk so far (nodes appear as the diagnosis learns them).

    `hops` is Catalog.hops(): each finding id with the hop it blocks, or None when it blocks none
    of these (network findings, drawn by `network`; information). An id missing from it raises
    KeyError.
    """
    hits = [h for h in hits if h.severity != "info"]
    g = PathGraph()
    sym = facts.symptom
    g.add_node(PathNode("viewer", "viewer", f"viewer → {sym.host}", "ok"))
    dist = facts.distribution
    if not dist:
        status = facts.status("aws.distribution")
        label, rule = {
            "ok": ("distribution: not found", "no distribution in this account serves the host"),
            "not-run": ("distribution: not checked yet", "not checked yet"),
            # aws.distribution depends on nothing: skipped means no AWS access was configured (--no-aws).
            "skipped": ("distribution: not read (no AWS calls)", "AWS was not read (--no-aws)"),
        }.get(status, ("distribution: could not be read", "cloudfront:ListDistributions failed"))
        g.add_node(PathNode("distribution", "distribution", label, "unknown"))
        g.add_edge(PathEdge("viewer", "distribution", "unknown", rule))
        return g
    g.add_node(PathNode("distribution", "distribution", f"CloudFront {dist.id}", "ok", dist.domain))
    behavior = facts.behavior
    g.add_node(PathNode("behavior", "behavior", f"behavior {behavior.path_pattern if behavior else '?'}", "ok"))
    origin = facts.origin
    if origin is not None:
        g.add_node(PathNode("origin", "origin", f"origin {origin.id} ({origin.kind})", "ok", origin.domain))
    if origin is not None and origin.kind in ("s3-rest", "s3-website"):
        g.add_node(PathNode("bucket", "bucket", f"s3://{origin.bucket}", "ok"))
        g.add_node(PathNode("object", "object", f"{facts.key}", "ok"))
        if sym.cross_origin:
            g.add_node(PathNode("page", "page", f"page {sym.page_origin} (CORS)", "ok"))
    edges: List[tuple] = [("viewer", "distribution"), ("distribution", "behavior")]
    if origin is not None:
        edges.append(("behavior", "origin"))
        if origin.kind in ("s3-rest", "s3-website"):
            edges += [("origin", "bucket"), ("bucket", "object")]
            if sym.cross_origin:
                edges.append(("object", "page"))
    blocked: Dict[tuple, List[Hit]] = {}
    for hit in hits:
        pair = hops[hit.id]
        if pair:
            blocked.setdefault(pair, []).append(hit)
    unknown_pairs = {_UNKNOWN_LAYER_EDGE[u.layer]: u for u in unknowns if u.layer in _UNKNOWN_LAYER_EDGE}
    for src, dst in edges:
        if (src, dst) in blocked:
            g.add_edge(PathEdge(src, dst, "blocked", "; ".join(_rule(h) for h in blocked[(src, dst)])))
            g.node(dst).status = "blocked"
        elif (src, dst) in unknown_pairs:
            u = unknown_pairs[(src, dst)]
            g.add_edge(PathEdge(src, dst, "unknown", f"{u.what}: {u.reason}"))
            if g.node(dst).status == "ok":
                g.node(dst).status = "unknown"
        elif facts.status(_NEEDS[(src, dst)]) == "ok":
            g.add_edge(PathEdge(src, dst, "ok", "no rule found that refuses this hop"))
        else:
            g.add_edge(PathEdge(src, dst, "unknown", "not checked yet"))
            if g.node(dst).status == "ok":
                g.node(dst).status = "unknown"
    if network is not None and origin is not None:
        # The reachability graph starts at its own "cloudfront" node; here the origin stands for it.
        for node in network.nodes:
            if node.id != "cloudfront":
                g.add_node(node)
        for edge in network.edges:
            src = "origin" if edge.src == "cloudfront" else edge.src
            g.add_edge(PathEdge(src, edge.dst, edge.status, edge.rule))
            if edge.status != "ok" and g.node(edge.dst) is not None and g.node(edge.dst).status == "ok":
                g.node(edge.dst).status = edge.status
    return g
