"""Provides the predicates branch nodes switch on: each returns one of a closed set of values."""

from __future__ import annotations

from typing import Callable, Dict, Sequence, Tuple

from ..aws.facts import EdgeFacts
from .common import header


def reproduced(facts: EdgeFacts) -> str:
    """What the raw HTTP request shows: error-403, error-5xx, error-masked, cors, ok, or unreachable."""
    answer = facts.data("http.viewer")
    if not answer or answer.get("status") is None:
        return "unreachable"
    status = answer["status"]
    if 500 <= status:
        return "error-5xx"
    if 400 <= status:
        return "error-403"
    if "error from cloudfront" in (header(answer, "x-cache") or "").lower():
        return "error-masked"  # a custom error response served the origin's error with a success code
    if facts.symptom.cross_origin:
        with_origin = facts.data("http.viewer_with_origin")
        if with_origin and not header(with_origin, "access-control-allow-origin"):
            return "cors"
    return "ok"


def distribution_found(facts: EdgeFacts) -> str:
    """Whether a distribution serving the URL's host was found in this account: yes, no, unknown (the
    read failed or was refused) or not-asked (no AWS call was made: --no-aws)."""
    outcome = facts.outcome("aws.distribution")
    if outcome is not None and outcome.status == "skipped":
        return "not-asked"  # the probe needs nothing else: skipped means AWS was not configured
    if facts.status("aws.distribution") != "ok":
        return "unknown"
    return "yes" if facts.distribution else "no"


def origin_kind(facts: EdgeFacts) -> str:
    """The kind of origin the matched behavior sends to: s3-rest, s3-website, s3-mrap, s3-directory,
    alb, apigw, lambda-url, ec2, vpc-origin,
    custom or unknown."""
    return facts.origin_kind


def browser_saw(facts: EdgeFacts) -> str:
    """The person's own report, as a suggestion for the intake question (else: check anyway)."""
    complaint = (facts.symptom.complaint or "").lower()
    return complaint if complaint in ("403", "cors", "504") else "check"


PREDICATES: Dict[str, Tuple[Callable[[EdgeFacts], str], Sequence[str]]] = {
    "reproduced": (reproduced, ("error-403", "error-5xx", "error-masked", "cors", "ok", "unreachable")),
    "distribution_found": (distribution_found, ("yes", "no", "unknown", "not-asked")),
    "origin_kind": (origin_kind, ("s3-rest", "s3-website", "s3-mrap", "s3-directory", "alb", "apigw",
                                  "lambda-url", "ec2", "vpc-origin", "custom", "unknown")),
    "browser_saw": (browser_saw, ("403", "cors", "504", "check")),
}
