"""Provides the one ECS service search: which services register with given target groups, found by
following names (ranked by likeness to the load balancer's and target groups' names) within caps
(20 clusters, 200 services), never by describing every service of the account.

Both readers that need the service behind a load balancer use it: the asset-host read
(wizard/aws/ecs.py) and the ALB inventory (wizard/aws/network.py). Asking the same reads in the same
order, the second is answered by the diagnosis's read cache instead of searching again.
"""

from __future__ import annotations

import difflib
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from .together import together

MAX_CLUSTERS = 20
MAX_SERVICES = 200
_DESCRIBE_AT_ONCE = 10  # DescribeServices takes at most ten services of one cluster


def _likeness(arn: str, hints: Sequence[str]) -> float:
    """How much the last part of an ARN looks like one of the hint names (0..1)."""
    name = arn.rsplit("/", 1)[-1].lower()
    return max((difflib.SequenceMatcher(None, name, h).ratio() for h in hints), default=0.0)


def listed_services(ecs) -> Tuple[List[Tuple[str, List[str]]], bool]:
    """Each searched cluster's service ARNs, and whether the cluster cap cut the list. Needs nothing
    from the load balancer, so callers send it while they read the target groups."""
    listing = ecs.list_clusters()
    every_cluster = listing.get("clusterArns") or []
    cut = bool(listing.get("nextToken")) or len(every_cluster) > MAX_CLUSTERS
    clusters = every_cluster[:MAX_CLUSTERS]
    # Each cluster's services are listed at once (independent reads; pages within one follow each other).
    listed = together(*[(lambda c=c: [arn for page in ecs.get_paginator("list_services").paginate(cluster=c)
                                      for arn in page.get("serviceArns") or []]) for c in clusters])
    return list(zip(clusters, listed)), cut


def services_behind(ecs, wanted: Set[str], hints: Sequence[str],
                    listed: Optional[Tuple[List[Tuple[str, List[str]]], bool]] = None
                    ) -> Tuple[List[Dict[str, Any]], bool]:
    """ECS services whose loadBalancers name one of the `wanted` target groups, and whether the search
    stopped at its caps (20 clusters, 200 services described) before finding them all.

    Listing costs one call per cluster (`listed`: listed_services' answer when the caller already
    has it); describing is where a big account's cost was (one call per ten services, then one per
    task definition), so services are described most-like-the-hints first, across clusters, and the
    search stops once every target group has its service. A read that fails raises (the caller says
    what an unreadable search means for it)."""
    hints = [h.lower() for h in hints if h]
    by_cluster, cut = listed if listed is not None else listed_services(ecs)
    candidates: List[Tuple[float, str, str]] = []
    for cluster, arns in by_cluster:
        candidates.extend((-_likeness(arn, hints), cluster, arn) for arn in arns)
    if len(candidates) > MAX_SERVICES:
        cut = True
    ranked = sorted(candidates)[:MAX_SERVICES]
    remaining, found = set(wanted), []
    while ranked and remaining:
        # The next ten of the best-ranked cluster.
        cluster = ranked[0][1]
        chunk = [arn for _, c, arn in ranked if c == cluster][:_DESCRIBE_AT_ONCE]
        ranked = [item for item in ranked if item[2] not in chunk]
        for svc in ecs.describe_services(cluster=cluster, services=chunk).get("services") or []:
            named = {str(lb.get("targetGroupArn")) for lb in svc.get("loadBalancers") or []}
            if named & remaining:
                found.append(svc)
                remaining -= named
    return found, bool(remaining) and cut
