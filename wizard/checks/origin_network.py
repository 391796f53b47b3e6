"""Provides the network check for an EC2 instance origin: whether CloudFront's origin-facing addresses
can connect to the instance through its security groups and subnet ACL (the reachability analysis's
CloudFront hop, wizard.analysis.network.host_origin)."""

from __future__ import annotations

from typing import List, Tuple

from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import missing


def origin_host(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """sg.origin-ingress-missing-cloudfront (and nacl.blocked) for an EC2 instance origin."""
    from ..analysis.network.host_origin import analyze_host_origin
    from ..analysis.network.network_inventory import inventory_from_dict

    unknown = missing(facts, "aws.origin_host", "network", "the instance, its security groups and network ACL")
    if unknown:
        return [], [unknown]
    analysis = analyze_host_origin(inventory_from_dict(facts.data("aws.origin_host")))
    dist_id = facts.distribution.id if facts.distribution else ""
    return ([Hit(h.id, h.evidence, dict(h.params, distribution_id=dist_id), h.severity) for h in analysis.hits],
            list(analysis.unknowns))


def vpc_origin(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.vpc-origin.sg-missing: the private origin's groups do not admit CloudFront's VPC origin group."""
    from ..analysis.network.network_inventory import inventory_from_dict
    from ..analysis.network.vpc_origin import vpc_origin_path

    unknown = missing(facts, "aws.vpc_origin", "network", "the VPC origin, its endpoint and security groups")
    if unknown:
        return [], [unknown]
    hits, unknowns = vpc_origin_path(inventory_from_dict(facts.data("aws.vpc_origin")))
    dist_id = facts.distribution.id if facts.distribution else ""
    return [Hit(h.id, h.evidence, dict(h.params, distribution_id=dist_id), h.severity) for h in hits], unknowns
