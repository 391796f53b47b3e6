"""Provides the load balancers the evidence names, for finding the ECS service without a scan: the
distribution's ALB origins (raw ELB names, or custom names Route 53 resolves to one) and the page's
own host (`--page`), when it is a load balancer or Route 53 leads it to one."""

from __future__ import annotations

from typing import List
from urllib.parse import urlsplit

from ..analysis.edge import cloudfront_config as cfc
from .context import ProbeContext


def load_balancers_in_evidence(ctx: ProbeContext, aws) -> List[str]:
    from ..aws import origin_dns

    out: List[str] = []
    dist = ctx.facts.distribution
    for origin in dist.origins() if dist else []:
        if origin.kind == "alb":
            out.append(origin.load_balancer_dns or origin.domain)
    page_host = (urlsplit(ctx.facts.symptom.page_url or "").hostname or "").lower()
    if page_host and not page_host.endswith(".cloudfront.net"):
        if cfc.classify_origin({"DomainName": page_host}).kind == "alb":
            out.append(page_host)
        else:
            try:
                resolved = origin_dns.resolve(aws, page_host)
            except Exception:  # noqa: BLE001 - Route 53 unreadable: the page's host gives no lead
                resolved = {}
            if resolved.get("kind") == "alb" and resolved.get("target"):
                out.append(str(resolved["target"]))
    return list(dict.fromkeys(out))
