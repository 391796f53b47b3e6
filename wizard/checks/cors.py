"""Provides the CORS checks: does a cross-origin page get Access-Control-Allow-Origin, and if not,
which layer drops it (the behavior not forwarding Origin, or S3 having no matching rule). Only for
assets the browser requests in CORS mode (cors_mode.py); unknown mode is said in the evidence."""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..analysis.edge import cloudfront_config as cfc
from ..analysis.s3 import s3_cors
from ..aws.models import Behavior, OriginPolicies
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import gather, header, missing
from .cors_mode import cors_mode


def _forwarded_headers(facts: EdgeFacts, behavior: Behavior) -> Tuple[Optional[List[str]], str]:
    policies = facts.origin_policies or OriginPolicies(None, None, None)
    if behavior.origin_request_policy_id:
        headers = cfc.policy_forwarded_headers(policies.origin_request)
        name = policies.origin_request_name or behavior.origin_request_policy_id
        return headers, f"origin request policy {name}"
    if behavior.cache_policy_id:
        # With a cache policy and no origin request policy, only the cache key headers are forwarded.
        name = policies.cache_name or behavior.cache_policy_id
        return (list(policies.cache_key_headers) if policies.cache else None), \
            f"cache policy {name} (no origin request policy)"
    return cfc.legacy_forwarded_headers(behavior.raw), "legacy ForwardedValues"


def _response_policy_owns_cors(facts: EdgeFacts) -> bool:
    """A response headers policy with a CORS configuration decides CORS at the edge (checked by
    edge_responses.response_headers_cors), whatever the bucket's rules say."""
    return facts.origin_policies is not None and facts.origin_policies.cors_allow_origins is not None


def cors(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.cors.origin-not-forwarded, s3.cors.missing, s3.cors.origin-not-allowed."""
    sym = facts.symptom
    if not sym.cross_origin or facts.origin_kind not in ("s3-rest", "s3-website"):
        return [], []
    if _response_policy_owns_cors(facts):
        return [], []  # a response headers policy adds the CORS headers at the edge
    mode = cors_mode(facts)
    if mode.mode == "no-cors":
        return [], []  # the browser never checks CORS for this request
    unknowns = gather(missing(facts, "aws.bucket_cors", "s3", f"the CORS configuration of {facts.bucket}"))
    if unknowns:
        return [], unknowns
    rules = facts.cors_rules
    behavior = facts.behavior
    headers, forwarding = _forwarded_headers(facts, behavior)
    if headers is None:
        unknowns.append(Unknown("cloudfront", "which headers the behavior forwards", "the policy could not be read"))
        forwards_origin = True
    else:
        forwards_origin = cfc.forwards_header(headers, "Origin")
    params = {"bucket": facts.bucket, "page_origin": sym.page_origin, "distribution_id": facts.distribution.id,
              "path_pattern": behavior.path_pattern, "forwarding": forwarding, "method": "GET"}
    answer = facts.data("http.viewer_with_origin")
    evidence = [mode.evidence]
    if answer and answer.get("status"):
        acao = header(answer, "access-control-allow-origin")
        evidence.append(f"GET with Origin: {sym.page_origin} -> {answer['status']}, "
                        + (f"Access-Control-Allow-Origin: {acao}" if acao else "no Access-Control-Allow-Origin"))
    hits: List[Hit] = []
    if not forwards_origin:
        if rules:
            hits.append(Hit("cf.cors.origin-not-forwarded", tuple(evidence + [f"{forwarding} does not forward Origin",
                            f"bucket CORS rules: {s3_cors.describe_rules(rules)}"]), params))
            return hits, unknowns
        hits.append(Hit("cf.cors.origin-not-forwarded", tuple(evidence + [f"{forwarding} does not forward Origin"]),
                        params, severity="contributing"))
    if not rules:
        hits.append(Hit("s3.cors.missing", tuple(evidence + ["get-bucket-cors: NoSuchCORSConfiguration"]), params))
    elif s3_cors.matching_rule(rules, sym.page_origin, "GET") is None:
        hits.append(Hit("s3.cors.origin-not-allowed", tuple(evidence + [f"rules allow {s3_cors.describe_rules(rules)}"]),
                        dict(params, allowed=s3_cors.describe_rules(rules))))
    return hits, unknowns
