"""Provides the ECS read behind `app.asset-host-cloudfront`: which task definition sets an environment
variable to the distribution's domain (e.g. RAILS_ASSET_HOST), for the service the evidence leads to.

The service is found from the evidence, not by scanning the account: the load balancers the walk
knows (an ALB origin, or the page's host through Route 53) name their target groups, and an ECS
service names the target groups it registers with (DescribeServices' `loadBalancers`). Clusters and
services are searched in order of how much their names resemble the target groups' and load
balancers' names, and the search stops as soon as every target group has its service; only those
services' task definitions are read. Environment values are compared; `secrets` and
`environmentFiles` are listed by NAME only (their values are never read).
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .ecs_search import listed_services, services_behind
from .network import elb_name, elb_region
from .session import AwsAccess
from .together import settle, together


def target_groups_of(access: AwsAccess,
                     lb_dns_names: Sequence[str]) -> Tuple[List[Dict[str, Any]], List[str], Optional[str]]:
    """The target groups of the load balancers with these DNS names, their names (as hints), and the
    region they are in."""
    groups: List[Dict[str, Any]] = []
    hints: List[str] = []
    region = None
    for dns in dict.fromkeys(elb_name(d) for d in lb_dns_names if d):
        region = elb_region(dns) or region
        elbv2 = access.client("elbv2", region=elb_region(dns))
        lb = None
        for page in elbv2.get_paginator("describe_load_balancers").paginate():
            lb = next((x for x in page.get("LoadBalancers") or [] if elb_name(str(x.get("DNSName", ""))) == dns), None)
            if lb:
                break
        if not lb:
            continue
        hints.append(str(lb.get("LoadBalancerName", "")).lower())
        for tg in elbv2.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"]).get("TargetGroups") or []:
            groups.append(tg)
            hints.append(str(tg.get("TargetGroupName", "")).lower())
    return groups, [h for h in hints if h], region


def _task_definition_facts(td: Dict[str, Any],
                           needles: Sequence[str]) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Environment values that mention a needle, and per container the names it takes from secrets
    and environment files (never their values)."""
    family = f"{td.get('family')}:{td.get('revision')}"
    matches, unread = [], []
    for container in td.get("containerDefinitions") or []:
        for env in container.get("environment") or []:
            value = str(env.get("value", ""))
            if any(n in value.lower() for n in needles):
                matches.append({"task_definition": family, "container": container.get("name"),
                                "name": env.get("name"), "value": value})
        secrets = [str(s.get("name")) for s in container.get("secrets") or [] if s.get("name")]
        files = [str(f.get("value")).rsplit("/", 1)[-1] for f in container.get("environmentFiles") or []
                 if f.get("value")]
        if secrets or files:
            unread.append({"task_definition": family, "container": container.get("name"),
                           "secrets": secrets, "environment_files": files})
    return matches, unread


def env_mentions(access: AwsAccess, needles: Sequence[str], lb_dns_names: Sequence[str]) -> Dict[str, Any]:
    """Environment variables of the ECS services behind these load balancers whose value contains a
    needle, with the secret and environment-file names those containers also take."""
    needles = [n.lower() for n in needles if n]
    region = None
    for dns in dict.fromkeys(elb_name(d) for d in lb_dns_names if d):
        region = elb_region(dns) or region
    ecs = access.client("ecs", region=region)
    # The clusters' services are listed while the load balancers' target groups are read: the
    # listing needs nothing from them (only the order services are described in does).
    # The target groups on a thread of their own (not the shared pool: the listing waits on pooled
    # reads, and a pooled read must never wait for another), the listing on this one.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="aws-read-tg") as one:
        reading = one.submit(contextvars.copy_context().run, target_groups_of, access, lb_dns_names)
        listing = settle(lambda: listed_services(ecs))[0]
        groups, hints, _ = reading.result()
    out: Dict[str, Any] = {"matches": [], "unread": [], "services": [], "task_definitions_scanned": 0,
                           "cut_short": False, "load_balancers": list(lb_dns_names)}
    if not groups:
        return out
    services, out["cut_short"] = services_behind(ecs, {str(g["TargetGroupArn"]) for g in groups}, hints,
                                                 listing.get())
    out["services"] = [str(s.get("serviceName")) for s in services]
    arns = list(dict.fromkeys(str(s["taskDefinition"]) for s in services if s.get("taskDefinition")))
    definitions = together(*[(lambda arn=arn: ecs.describe_task_definition(taskDefinition=arn)) for arn in arns])
    for answer in definitions:
        matches, unread = _task_definition_facts(answer["taskDefinition"], needles)
        out["matches"].extend(matches)
        out["unread"].extend(unread)
        out["task_definitions_scanned"] += 1
    return out
