"""Provides the load balancer 504 evidence from CloudWatch: a slow application (TargetResponseTime at
or past the origin response timeout: CloudFront gave up waiting, origin.response-timeout) told apart
from a closed path (TargetConnectionErrorCount: the ALB could not open a connection to a target), and
the line that says which one the metrics show."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, List, Mapping, Sequence, Tuple
from urllib.parse import urlsplit

from ..analysis.edge.origin_connection import origin_leg, which_504
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown

PROBE = "aws.alb_metrics"


def _values(series: Sequence[Mapping[str, Any]], metric: str) -> List[float]:
    return [float(p["value"]) for s in series if s.get("metric") == metric
            for p in s.get("points") or [] if p.get("value") is not None]


def _dimension(series: Sequence[Mapping[str, Any]], metric: str) -> str:
    return next((str(s.get("dimension") or "") for s in series if s.get("metric") == metric), "")


def _leg(facts: EdgeFacts):
    origin = facts.origin
    return origin_leg(origin.custom_config, origin.domain, urlsplit(facts.symptom.url).scheme or "https",
                      facts.symptom.host, False)


def closed_path_lines(facts: EdgeFacts, series: Sequence[Mapping[str, Any]]) -> List[str]:
    """For a load balancer origin whose targets could not be reached: the line that says the 504 is a
    closed path (TargetConnectionErrorCount), not a slow application (TargetResponseTime)."""
    origin = facts.origin
    errors = _values(series, "TargetConnectionErrorCount")
    if origin is None or origin.kind != "alb" or not errors or not sum(errors):
        return []
    read = _leg(facts).read_timeout
    slowest = max(_values(series, "TargetResponseTime") or [0.0])
    if slowest >= read:
        return []  # both: the slow-target finding says so
    shown = f"up to {slowest:.3g} s" if slowest else "no answer from a target"
    return [f"Which 504: a closed path. The ALB failed {sum(errors):g} connection(s) to its targets "
            f"(TargetConnectionErrorCount) and TargetResponseTime shows {shown}, under the origin response "
            f"timeout ({read:g} s): the targets are unreachable, not slow."]


# The root causes that close the path between the ALB and its targets: the "which 504" line belongs in
# their own evidence (the reader of the root cause should not have to find it under the logs).
CLOSED_PATH_IDS = ("sg.target-ingress-stale-reference", "sg.target-ingress-missing", "sg.alb-egress-blocked",
                   "nacl.blocked")


def with_closed_path_line(facts: EdgeFacts, hits: Sequence[Hit]) -> List[Hit]:
    """The hits, with the closed-path line (when CloudWatch shows one) added to the evidence of each root
    cause that closes the path from the ALB to its targets."""
    outcome = facts.outcome(PROBE)
    if outcome is None or not outcome.ok or not any(h.id in CLOSED_PATH_IDS for h in hits):
        return list(hits)
    lines = closed_path_lines(facts, (outcome.data or {}).get("series") or [])
    if not lines:
        return list(hits)
    return [replace(h, evidence=tuple(h.evidence) + tuple(lines))
            if h.id in CLOSED_PATH_IDS and h.severity in (None, "root-cause") else h for h in hits]


def slow_target(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """origin.response-timeout for a load balancer origin: CloudFront answered 504 and the ALB's
    TargetResponseTime reached the origin response timeout, with no failed target connections."""
    origin = facts.origin
    if origin is None or origin.kind != "alb":
        return [], []
    viewer = facts.data("http.viewer") or {}
    outcome = facts.outcome(PROBE)
    if viewer.get("status") != 504 or outcome is None or not outcome.ok:
        return [], []  # the metrics' own unknowns are reported by logs.cloudfront
    series = (outcome.data or {}).get("series") or []
    hours = (outcome.data or {}).get("hours", 3)
    times = _values(series, "TargetResponseTime")
    leg = _leg(facts)
    read = leg.read_timeout
    if not times or max(times) < read:
        return [], []
    errors = sum(_values(series, "TargetConnectionErrorCount"))
    dim = _dimension(series, "TargetResponseTime")
    evidence = [f"CloudWatch AWS/ApplicationELB TargetResponseTime ({dim}, Maximum): up to {max(times):.3g} s in the "
                f"last {hours} h, at or past the origin response timeout of {read:g} s: the targets answer, too late.",
                f"TargetConnectionErrorCount: {errors:g} in the last {hours} h"
                + (": the ALB reaches its targets, the path is open." if not errors else
                   ": some connections failed too; the slow answers are the ones CloudFront gave up on.")]
    timing = ("The network path is open (the ALB's targets answer; TargetConnectionErrorCount "
              f"{errors:g}), so this is not the closed-path 504.")
    waited = viewer.get("elapsed_ms")
    if waited is not None:
        seconds = float(waited) / 1000.0
        if which_504(seconds, leg) == "read-timeout":
            line = (f"The viewer's 504 came after {seconds:.1f} s: about the origin response timeout ({read:g} s), "
                    f"not the {leg.connection_attempts} connection attempts of {leg.connection_timeout:g} s a closed "
                    f"path costs.")
            evidence.append(line)
            timing += " " + line
    dist = facts.distribution
    return [Hit("origin.response-timeout", tuple(evidence), {
        "origin_domain": origin.domain, "origin_id": origin.id, "distribution_id": dist.id if dist else "",
        "port": str(leg.port), "read_timeout": f"{read:g}", "timing": timing,
        "path": (origin.origin_path or "") + facts.symptom.path,
        "behavior": facts.behavior.path_pattern if facts.behavior else "",
    })], []


