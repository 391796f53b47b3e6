"""Provides the application-layer check: does the page load its assets from CloudFront?"""

from __future__ import annotations

from typing import List, Tuple

from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown


def asset_host(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """app.asset-host-cloudfront: the page's HTML (or the ECS task's env) points assets at CloudFront."""
    page = facts.data("page.assets") or {}
    unknowns: List[Unknown] = []
    fetched = facts.outcomes.get("page.assets")
    if fetched is not None and fetched.status in ("error", "denied"):
        # The page was given (--page) but could not be read: its asset hosts are unknown, not absent.
        unknowns.append(Unknown("app", "which hosts the page loads its assets from",
                                fetched.error or fetched.status))
    env = facts.data("aws.ecs_env") or {}
    evidence, hosts, source = [], [], "the application's asset host setting"
    for ref in page.get("assets") or []:
        if ref.get("cloudfront"):
            hosts.append(ref["host"])
            evidence.append(f"{page.get('page_url')} loads {ref.get('count', 1)} asset(s) from {ref['host']}, "
                            f"e.g. {ref.get('example')}")
    for match in env.get("matches") or []:
        source = f"{match['name']} in ECS task definition {match['task_definition']}"
        evidence.append(f"ECS task definition {match['task_definition']} (container {match['container']}) "
                        f"sets {match['name']}={match['value']}")
        if not hosts:
            hosts.append(match["value"])
    if not hosts:
        for item in env.get("unread") or []:
            # Values set from Secrets Manager / SSM or an env file are never read: say where to look.
            names = ", ".join([f"secret {n}" for n in item.get("secrets") or []] +
                              [f"environment file {f}" for f in item.get("environment_files") or []])
            unknowns.append(Unknown("app", f"whether {item.get('container')} in ECS task definition "
                                           f"{item.get('task_definition')} sets the asset host",
                                    f"it also takes {names}, whose values edgewiz does not read"))
        return [], unknowns
    return [Hit("app.asset-host-cloudfront", tuple(evidence), {"asset_host": hosts[0], "source": source})], unknowns
