"""Provides the ECS read behind `app.asset-host-cloudfront`: which task definitions set an
environment variable to the distribution's domain (e.g. RAILS_ASSET_HOST)."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

from .session import AwsAccess

_MAX_CLUSTERS = 20
_MAX_SERVICES = 200


def env_mentions(access: AwsAccess, needles: Sequence[str]) -> Dict[str, Any]:
    """Environment variables of running services' task definitions whose value contains a needle."""
    needles = [n.lower() for n in needles if n]
    ecs = access.client("ecs")
    listing = ecs.list_clusters()
    every_cluster = listing.get("clusterArns") or []
    clusters = every_cluster[:_MAX_CLUSTERS]
    # A scan stopped at the caps saw only part of the account: "no match" then proves nothing.
    cut_short = len(every_cluster) > _MAX_CLUSTERS or bool(listing.get("nextToken"))
    task_defs: List[str] = []
    scanned = 0
    for cluster in clusters:
        arns = []
        for page in ecs.get_paginator("list_services").paginate(cluster=cluster):
            arns.extend(page.get("serviceArns") or [])
        cut_short = cut_short or scanned + len(arns) > _MAX_SERVICES
        for i in range(0, min(len(arns), _MAX_SERVICES - scanned), 10):
            for svc in ecs.describe_services(cluster=cluster, services=arns[i:i + 10]).get("services") or []:
                if svc.get("taskDefinition") and svc["taskDefinition"] not in task_defs:
                    task_defs.append(svc["taskDefinition"])
        scanned += len(arns)
    matches = []
    for arn in task_defs:
        td = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        family = f"{td.get('family')}:{td.get('revision')}"
        for container in td.get("containerDefinitions") or []:
            for env in container.get("environment") or []:
                value = str(env.get("value", ""))
                if any(n in value.lower() for n in needles):
                    matches.append({"task_definition": family, "container": container.get("name"),
                                    "name": env.get("name"), "value": value})
    return {"matches": matches, "task_definitions_scanned": len(task_defs), "cut_short": cut_short}
