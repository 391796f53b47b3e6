"""Provides a small builder of EdgeFacts for the check tests: a distribution with one S3 REST origin
(its config extendable), and the HTTP answers and probe data a test sets."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from wizard.aws.facts import EdgeFacts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

DIST_ID = "EDIST000000001"
DOMAIN = "d111111abcdef8.cloudfront.net"
REST = {"Id": "s3", "DomainName": "site-bucket.s3.us-east-1.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": "EOAC0000000001"}


def answer(status: int, headers: List[List[str]], body: str = "") -> Dict[str, Any]:
    return {"status": status, "headers": headers, "body": body}


def build(path: str, viewer: Optional[Dict[str, Any]] = None, origins=(REST,), behavior=None,
          page_origin: Optional[str] = None, page_url: Optional[str] = None, complaint: Optional[str] = None,
          **config) -> EdgeFacts:
    facts = EdgeFacts(Symptom(url=f"https://{DOMAIN}{path}", page_origin=page_origin, page_url=page_url,
                              complaint=complaint))
    cfg = dict({"Origins": {"Quantity": len(origins), "Items": list(origins)},
                "DefaultCacheBehavior": behavior or {"TargetOriginId": origins[0]["Id"]}}, **config)
    put(facts, "aws.distribution", {
        "found": True, "id": DIST_ID, "arn": f"arn:aws:cloudfront::123456789012:distribution/{DIST_ID}",
        "domain": DOMAIN, "aliases": [], "matched_by": "domain", "config": cfg})
    if viewer is not None:
        put(facts, "http.viewer", viewer)
    return facts


def put(facts: EdgeFacts, probe: str, data: Any, status: str = "ok") -> None:
    facts.outcomes[probe] = ProbeOutcome(probe, status, data=data if status == "ok" else None)
