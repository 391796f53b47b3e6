"""Provides the 504-family checks: the CloudFront → ALB → targets reachability analysis, and what the
access logs and CloudWatch metrics say around it."""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Sequence, Tuple

from ..aws.facts import EdgeFacts
from ..aws.models import Origin
from ..model import Hit, Unknown
from . import alb_timing
from .common import missing

# Hits that explain unhealthy targets by the network: with one of them on the target group's edges,
# "no healthy targets" is a consequence, not a second root cause.
_NETWORK_BLOCKS = ("sg.target-ingress-stale-reference", "sg.target-ingress-missing", "sg.alb-egress-blocked",
                   "nacl.blocked")


def alb_path(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """Run the reachability analysis over the collected inventory, and say what it found."""
    from ..analysis.network.host_origin import as_origin_hits, nlb_client_ip_hits
    from ..analysis.network.network_inventory import inventory_from_dict
    from ..analysis.network.ports import origin_port_plan
    from ..analysis.network.reachability import analyze_origin_path

    unknown = missing(facts, "aws.alb_inventory", "network", "the load balancer, its targets and security groups")
    if unknown:
        return [], [unknown]
    origin = facts.origin
    inventory = inventory_from_dict(facts.data("aws.alb_inventory"))
    plan = origin_port_plan(dict(origin.custom_config) if origin else {})
    analysis = analyze_origin_path(inventory, plan)
    dist_id = facts.distribution.id if facts.distribution else ""
    network_hit = any(h.id in _NETWORK_BLOCKS for h in analysis.hits)
    hits = []
    for h in analysis.hits:
        severity = h.severity
        evidence = h.evidence
        if h.id == "elb.targets-unhealthy":
            hops = _target_hops(analysis, h.params.get("target_group"))
            if network_hit and "blocked" in hops:
                severity = "contributing"
            elif "unknown" in hops:
                # The hops to the targets could not be checked: they may explain the failing health
                # checks, so the unhealthy targets are a symptom seen, not yet the cause.
                severity = "contributing"
                evidence = tuple(evidence) + ("the network path to these targets could not be checked "
                                              "(see 'Could not check'); it may explain the failing health checks",)
        hits.append(Hit(h.id, evidence, dict(h.params, distribution_id=dist_id), severity))
    hits += _scheme_hits(inventory, dist_id) + _protocol_hits(inventory, analysis, dist_id)
    hits += nlb_client_ip_hits(inventory)  # an NLB without groups: its instance targets meet CloudFront
    hits = alb_timing.with_closed_path_line(facts, hits)  # which 504: said in the closed path's own evidence
    return as_origin_hits(inventory, hits), list(analysis.unknowns)  # an NLB's groups: said of the NLB


def _target_hops(analysis: Any, target_group: Optional[str]) -> set:
    """The statuses of the hops from the target group to its targets."""
    node = f"tg:{target_group}"
    if node not in analysis.nx:
        return set()
    return {data.get("status") for _, _, data in analysis.nx.out_edges(node, data=True)}


def _scheme_hits(inventory: Any, dist_id: str) -> List[Hit]:
    lb = inventory.index().load_balancer
    if lb is None or lb.scheme != "internal":
        return []
    origin = Origin.from_raw(inventory.origin) if inventory.origin else None
    return [Hit("elb.internal-scheme", (
        f"{lb.name} has the scheme 'internal': its DNS name resolves to private addresses only.",
        f"The distribution's origin is {(origin.domain if origin else '') or lb.name}, a custom origin that "
        "CloudFront reaches over the internet.",
    ), {"alb": lb.name, "alb_arn": lb.arn, "distribution_id": dist_id, "region": inventory.region, "vpc": lb.vpc})]


def _protocol_hits(inventory: Any, analysis: Any, dist_id: str) -> List[Hit]:
    """CloudFront's protocol on a port where the listener speaks the other one (the analysis marks
    the edge blocked; the finding says what to change)."""
    from ..analysis.network.ports import origin_port_plan

    origin = Origin.from_raw(inventory.origin or {})
    idx = inventory.index()
    lb = idx.load_balancer
    hits: List[Hit] = []
    for proto, port in origin_port_plan(dict(origin.custom_config), inventory.viewer_protocol_policies):
        listener = next((lst for lst in idx.listeners if lst.port == port), None)
        if listener is None or listener.protocol not in ("HTTP", "HTTPS") or listener.protocol == proto.upper():
            continue
        edge = next((e for e in analysis.graph.edges if e.dst == f"listener:{port}"), None)
        hits.append(Hit("elb.listener-protocol-mismatch", tuple(filter(None, (
            f"The origin protocol policy is {origin.protocol_policy or None} with HTTP port {origin.http_port} "
            f"and HTTPS port {origin.https_port}: CloudFront speaks {proto.upper()} to port {port}.",
            f"The listener on port {port} of {lb.name if lb else None} is {listener.protocol} "
            f"({listener.short_id}).",
            edge.rule if edge is not None else "",
        ))), {"alb": lb.name if lb else "", "port": str(port), "origin_protocol": proto.upper(),
              "listener_protocol": listener.protocol, "listener_arn": listener.arn,
              "protocol_policy": origin.protocol_policy, "distribution_id": dist_id,
              "region": inventory.region}))
    return hits


def access_logs(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """logs.origin-errors: what the CloudFront logs (when logging is on) and the CloudWatch metrics show.

    Raised only when they show errors: a healthy log is not a finding.
    """
    evidence: List[str] = []
    unknowns: List[Unknown] = []
    summary = ""
    athena = ""
    outcome = facts.outcome("aws.cloudfront_logs")
    if outcome is not None and outcome.status not in ("skipped",):
        if not outcome.ok:
            unknowns.append(Unknown("logs", "CloudFront access logs", outcome.error or outcome.status))
        else:
            data = outcome.data or {}
            triage = data.get("triage") or {}
            if _log_errors(triage):
                summary = str(data.get("summary") or "")
                evidence += list(data.get("evidence") or ())
                athena = str(data.get("athena") or "")
    metrics = facts.outcome("aws.alb_metrics")
    if metrics is not None and metrics.status not in ("skipped",):
        if not metrics.ok:
            unknowns.append(Unknown("logs", "CloudWatch metrics of the load balancer and the distribution",
                                    metrics.error or metrics.status))
        else:
            series = (metrics.data or {}).get("series") or []
            lines = metric_evidence(series, (metrics.data or {}).get("hours", 3))
            lines += alb_timing.closed_path_lines(facts, series) if lines else []
            if lines:
                evidence += lines
                summary = summary or metric_headline(series, (metrics.data or {}).get("hours", 3))
            unknowns += [Unknown("logs", f"CloudWatch {u.get('what')}", str(u.get("reason")))
                         for u in (metrics.data or {}).get("unknowns") or []]
    if not evidence:
        return [], unknowns
    return [Hit("logs.origin-errors", tuple(evidence), {
        "summary": summary, "athena": athena or "No Athena query needed: the logs were small."})], unknowns


def _log_errors(triage: Mapping[str, Any]) -> bool:
    if not triage:
        return True  # an older probe shape: trust that it was worth showing
    by_status = triage.get("by_status") or {}
    fives = sum(int(v) for k, v in by_status.items() if str(k).startswith("5"))
    return bool(triage.get("origin_errors") or triage.get("near_timeout") or fives)


_METRIC_WORDS = {
    "HTTPCode_ELB_504_Count": "ALB 504s (answered by the load balancer itself)",
    "HTTPCode_ELB_502_Count": "ALB 502s (answered by the load balancer itself)",
    "TargetConnectionErrorCount": "connections the ALB could not open to a target",
    "UnHealthyHostCount": "unhealthy targets",
    "HealthyHostCount": "healthy targets",
    "5xxErrorRate": "CloudFront 5xx error rate",
}


def metric_evidence(series: Sequence[Mapping[str, Any]], hours: Any = 3) -> List[str]:
    """One line per metric that shows trouble: the total (Sum) or the mean (Average), and its peak."""
    out: List[str] = []
    for s in series:
        points = [p for p in s.get("points") or [] if p.get("value") is not None]
        name, stat = str(s.get("metric")), str(s.get("stat"))
        if not points:
            continue
        values = [float(p["value"]) for p in points]
        words = _METRIC_WORDS.get(name, name)
        peak = max(values)
        if name in ("HealthyHostCount", "TargetResponseTime") or peak <= 0:  # response time: alb_timing
            continue
        where = f" ({s.get('dimension')})" if s.get("dimension") else ""
        if stat == "Sum":
            out.append(f"{words[:1].upper() + words[1:]}: {sum(values):g} in the last {hours} h "
                       f"(CloudWatch {s.get('namespace')} {name}{where}, Sum; worst 5 minutes {peak:g}).")
        else:
            unit = "%" if name.endswith("Rate") else ""
            out.append(f"{words[:1].upper() + words[1:]}: average {sum(values) / len(values):.3g}{unit}, up to "
                       f"{peak:.3g}{unit} in the last {hours} h (CloudWatch {s.get('namespace')} {name}{where}, "
                       f"{stat}).")
    return out


def metric_headline(series: Sequence[Mapping[str, Any]], hours: Any = 3) -> str:
    """One line for the finding's title when only metrics (no logs) show trouble."""
    parts = []
    for name in ("HTTPCode_ELB_504_Count", "HTTPCode_ELB_502_Count", "TargetConnectionErrorCount"):
        total = sum(float(p.get("value") or 0) for s in series if s.get("metric") == name for p in s.get("points") or [])
        if total:
            parts.append(f"{total:g} {_METRIC_WORDS[name].split(' (')[0]}")
    unhealthy = [float(p.get("value") or 0) for s in series if s.get("metric") == "UnHealthyHostCount"
                 for p in s.get("points") or []]
    if unhealthy and max(unhealthy):
        parts.append(f"up to {max(unhealthy):g} unhealthy targets")
    rate = [float(p.get("value") or 0) for s in series if s.get("metric") == "5xxErrorRate" for p in s.get("points") or []]
    if rate and max(rate):
        parts.append(f"a CloudFront 5xx rate up to {max(rate):.3g}%")
    return f"CloudWatch, last {hours} h: " + (", ".join(parts) or "errors")
