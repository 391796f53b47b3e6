"""Provides the words a person reads for a walk's internal values: what a branch's predicate value
means ("error-403" → "an error status (4xx) from here") and the titles of the findings a check step
raised, so no skin prints a finding id or a predicate value as the subject of a sentence.

Pure: the ids stay in JSON and in brackets; these are only the words shown beside them.
"""

from __future__ import annotations

from typing import Iterable, List, Optional

from ..engine.catalog import Catalog
from ..model import Hit

__all__ = ["branch_words", "finding_titles"]

# Each predicate's closed set of values (wizard/checks/predicates.py), in words.
_VALUES = {
    "reproduced": {"error-403": "an error status (4xx) from here", "error-5xx": "a server error (5xx) from here",
                   "error-masked": "a success status that CloudFront marks as an error",
                   "cors": "an answer without the CORS header", "ok": "a clean answer", "unreachable": "no answer"},
    "distribution_found": {"yes": "yes", "no": "no", "unknown": "unknown (the read failed)",
                           "not-asked": "not asked (no AWS calls)"},
    "origin_kind": {"s3-rest": "an S3 REST endpoint", "s3-website": "an S3 website endpoint",
                    "s3-mrap": "an S3 Multi-Region Access Point", "s3-directory": "an S3 directory bucket",
                    "alb": "a load balancer", "apigw": "an API Gateway API", "lambda-url": "a Lambda function URL",
                    "ec2": "an EC2 instance", "vpc-origin": "a CloudFront VPC origin", "custom": "a custom origin",
                    "unknown": "unknown"},
    "browser_saw": {"403": "a 403", "cors": "a CORS error", "504": "a 504", "check": "check anyway"},
}


def branch_words(detail: str) -> str:
    """A branch step's detail ("reproduced = error-403") as words; an unknown value reads as itself
    with dashes turned to spaces."""
    predicate, _, value = (detail or "").partition(" = ")
    if not value:
        value, predicate = predicate, ""
    return _VALUES.get(predicate, {}).get(value) or value.replace("-", " ")


def finding_titles(ids: Iterable[str], hits: Iterable[Hit], catalog: Optional[Catalog]) -> List[str]:
    """The titles (filled with the hit's names) of the findings `ids`, in their order; an id the
    catalogue does not know keeps its id."""
    by_id = {h.id: h for h in hits}
    out = []
    for fid in ids:
        hit = by_id.get(fid, Hit(fid))
        try:
            out.append(catalog.render(hit).title if catalog is not None else fid)
        except KeyError:
            out.append(fid)
    return out
