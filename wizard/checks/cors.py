"""Provides the CORS checks: does a cross-origin page get Access-Control-Allow-Origin, and if not,
which layer drops it (the behavior not forwarding Origin, or S3 having no matching rule)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..analysis.edge import cloudfront_config as cfc
from ..analysis.s3 import s3_cors
from ..engine.facts import Facts
from ..model import Hit, Unknown
from .common import gather, header, missing


def _forwarded_headers(facts: Facts) -> Tuple[Optional[List[str]], str]:
    behavior = facts.behavior or {}
    policies = facts.data("aws.origin_policies") or {}
    orp_id = behavior.get("OriginRequestPolicyId")
    if orp_id:
        policy = policies.get("origin_request_policy")
        headers = cfc.policy_forwarded_headers(policy)
        name = ((policy or {}).get("OriginRequestPolicyConfig") or {}).get("Name") or orp_id
        return headers, f"origin request policy {name}"
    if behavior.get("CachePolicyId"):
        # With a cache policy and no origin request policy, only the cache key headers are forwarded.
        cache = policies.get("cache_policy") or {}
        cfg = ((cache.get("CachePolicyConfig") or {}).get("ParametersInCacheKeyAndForwardedToOrigin") or {})
        hdrs = (cfg.get("HeadersConfig") or {})
        names = list((hdrs.get("Headers") or {}).get("Items") or []) if hdrs.get("HeaderBehavior") == "whitelist" else []
        return (names if cache else None), f"cache policy {(cache.get('CachePolicyConfig') or {}).get('Name') or behavior['CachePolicyId']} (no origin request policy)"
    return cfc.legacy_forwarded_headers(behavior), "legacy ForwardedValues"


def _response_policy_answers(facts: Facts) -> bool:
    policy = (facts.data("aws.origin_policies") or {}).get("response_headers_policy") or {}
    cors = ((policy.get("ResponseHeadersPolicyConfig") or {}).get("CorsConfig") or {})
    origins = ((cors.get("AccessControlAllowOrigins") or {}).get("Items") or [])
    return bool(cors) and ("*" in origins or facts.symptom.page_origin in origins)


def cors(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.cors.origin-not-forwarded, s3.cors.missing, s3.cors.origin-not-allowed."""
    sym = facts.symptom
    if not sym.cross_origin or facts.origin_kind not in ("s3-rest", "s3-website"):
        return [], []
    if _response_policy_answers(facts):
        return [], []  # a response headers policy adds the CORS headers at the edge
    unknowns = gather(missing(facts, "aws.bucket_cors", "s3", f"the CORS configuration of {facts.bucket}"))
    if unknowns:
        return [], unknowns
    rules = (facts.data("aws.bucket_cors") or {}).get("rules")
    headers, forwarding = _forwarded_headers(facts)
    if headers is None:
        unknowns.append(Unknown("cloudfront", "which headers the behavior forwards", "the policy could not be read"))
        forwards_origin = True
    else:
        forwards_origin = cfc.forwards_header(headers, "Origin")
    dist = facts.distribution or {}
    behavior = facts.behavior or {}
    params = {"bucket": facts.bucket, "page_origin": sym.page_origin, "distribution_id": dist.get("id", ""),
              "path_pattern": behavior.get("PathPattern", ""), "forwarding": forwarding, "method": "GET"}
    answer = facts.data("http.viewer_with_origin")
    evidence = []
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
