"""Provides the 504-family checks: the CloudFront → ALB → targets reachability analysis, and what the
access logs say around it."""

from __future__ import annotations

from typing import List, Tuple

from ..engine.facts import Facts
from ..model import Hit, Unknown
from .common import missing


def alb_path(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """Run the reachability analysis over the collected inventory."""
    from ..analysis import reachability

    unknown = missing(facts, "aws.alb_inventory", "network", "the load balancer, its targets and security groups")
    if unknown:
        return [], [unknown]
    origin = facts.origin
    inventory = reachability.inventory_from_dict(facts.data("aws.alb_inventory"))
    plan = reachability.origin_port_plan(dict(origin.custom_config) if origin else {})
    analysis = reachability.analyze_origin_path(inventory, plan)
    dist = facts.distribution or {}
    hits = [Hit(h.id, h.evidence, dict(h.params, distribution_id=dist.get("id", "")), h.severity)
            for h in analysis.hits]
    return hits, list(analysis.unknowns)


def access_logs(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """logs.origin-errors: what the CloudFront logs in the logging bucket show (when logging is on)."""
    outcome = facts.outcome("aws.cloudfront_logs")
    if outcome is None or outcome.status == "skipped":
        return [], []
    if not outcome.ok:
        return [], [Unknown("logs", "CloudFront access logs", outcome.error or outcome.status)]
    data = outcome.data or {}
    summary = data.get("summary")
    if not summary:
        return [], []
    return [Hit("logs.origin-errors", tuple(data.get("evidence") or ()),
                {"summary": summary, "athena": data.get("athena") or "No Athena query needed: the logs were small."})], []
