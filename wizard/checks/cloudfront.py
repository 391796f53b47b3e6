"""Provides the CloudFront checks: what the edge itself refuses before any origin is asked
(alternate domain names, geo restriction, WAF, signed URLs) and origin settings that cannot work."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any, List, Mapping, Optional, Tuple
from urllib.parse import parse_qs

from ..engine.facts import Facts
from ..model import Hit, Unknown
from .common import gather, header, missing

_SIGNED_PARAMS = ("Signature", "Key-Pair-Id", "Policy")


def _cloudfront_refused(answer: Optional[Mapping[str, Any]]) -> bool:
    """True when CloudFront itself generated the error page (not the origin)."""
    if not answer or not answer.get("status") or answer["status"] < 400:
        return False
    server = (header(answer, "server") or "").lower()
    return server == "cloudfront"


def _body(answer: Optional[Mapping[str, Any]]) -> str:
    return str((answer or {}).get("body") or "")


def _dist_params(facts: Facts) -> dict:
    dist = facts.distribution or {}
    return {"distribution_id": dist.get("id", ""), "distribution_arn": dist.get("arn", ""),
            "host": facts.symptom.host, "path": facts.symptom.path}


def alias_missing(facts: Facts, answer) -> List[Hit]:
    dist = facts.distribution
    if not dist or dist.get("matched_by") != "dns":
        return []
    evidence = [f"DNS record {facts.symptom.host} points at {dist.get('domain')} (distribution {dist.get('id')})",
                f"the distribution's alternate domain names are: {', '.join(dist.get('aliases') or []) or 'none'}"]
    if _cloudfront_refused(answer):
        evidence.append(f"CloudFront answered {answer['status']} itself (Server: CloudFront)")
    return [Hit("cf.alias-missing", tuple(evidence), _dist_params(facts))]


def geo_blocked(facts: Facts, answer) -> List[Hit]:
    geo = (facts.config.get("Restrictions") or {}).get("GeoRestriction") or {}
    kind = geo.get("RestrictionType", "none")
    if kind == "none" or not _cloudfront_refused(answer):
        return []
    body = _body(answer).lower()
    if "block access from your country" not in body and "geo" not in body:
        return []
    countries = ", ".join(geo.get("Items") or []) or "none"
    params = dict(_dist_params(facts), restriction_type=kind, countries=countries,
                  country=header(answer, "x-edgewiz-viewer-country") or "the viewer's country")
    evidence = (f"CloudFront answered {answer['status']} with its geo-restriction page",
                f"Restrictions.GeoRestriction: {kind} {countries}")
    return [Hit("cf.geo-blocked", evidence, params)]


def waf_blocked(facts: Facts, answer) -> Tuple[List[Hit], List[Unknown]]:
    acl_id = facts.config.get("WebACLId")
    if not acl_id or not _cloudfront_refused(answer) or answer["status"] != 403:
        return [], []
    body = _body(answer).lower()
    if "request blocked" not in body and "waf" not in body:
        return [], []
    waf = facts.data("aws.waf") or {}
    acl = waf.get("web_acl") or {}
    # A CLOUDFRONT-scope WebACLId is the ACL's ARN: .../webacl/NAME/ID
    acl_name = acl.get("Name") or (str(acl_id).rsplit("/", 2)[-2] if "/" in str(acl_id) else str(acl_id))
    rule, metric, evidence = "its default action or a rule", "ALL", [
        f"CloudFront answered 403 with the AWS WAF block page; the distribution uses web ACL {acl_name}"]
    sampled = [s for s in waf.get("sampled") or [] if s.get("Action") == "BLOCK"]
    ours = [s for s in sampled if (s.get("Request") or {}).get("URI") == facts.symptom.path] or sampled
    if ours:
        name = ours[0].get("RuleNameWithinRuleGroup") or ours[0].get("RuleName") or "Default_Action"
        rule = f"rule {name}" if name != "Default_Action" else "the default action"
        metric = name
        evidence.append(f"WAF sampled requests: {len(ours)} blocked request(s) for {facts.symptom.path}, "
                        f"terminating rule {name}")
    else:
        blocking = [r.get("Name") for r in acl.get("Rules") or [] if "Block" in (r.get("Action") or {})]
        if blocking:
            rule = "one of the blocking rules " + ", ".join(blocking)
            metric = blocking[0]
        if waf.get("sampled_error"):
            evidence.append(f"sampled requests unavailable: {waf['sampled_error']}")
        if (acl.get("DefaultAction") or {}).get("Block") is not None:
            evidence.append("the web ACL's default action is Block")
    params = dict(_dist_params(facts), web_acl=acl_name, web_acl_arn=acl_id, rule=rule, metric=metric)
    unknowns = gather(missing(facts, "aws.waf", "waf", "which WAF rule blocked the request"))
    return [Hit("waf.blocked", tuple(evidence), params)], unknowns


def _edge_time(answer) -> float:
    date = header(answer, "date")
    try:
        return parsedate_to_datetime(date).timestamp() if date else time.time()
    except (TypeError, ValueError):
        return time.time()


def signed_url(facts: Facts, answer) -> List[Hit]:
    behavior = facts.behavior or {}
    groups = (behavior.get("TrustedKeyGroups") or {})
    signers = (behavior.get("TrustedSigners") or {})
    if not groups.get("Enabled") and not signers.get("Enabled"):
        return []
    query = parse_qs(facts.symptom.query)
    cookie_signed = False  # a URL alone carries no cookies; the browser may, which the person can say
    params = dict(_dist_params(facts), path_pattern=behavior.get("PathPattern", "Default (*)"),
                  key_groups=", ".join((groups.get("Items") or [])) or "(trusted signers)")
    if not any(p in query for p in _SIGNED_PARAMS) and not cookie_signed:
        evidence = [f"behavior {params['path_pattern']} has trusted key groups {params['key_groups']}",
                    "the URL has no Signature, Policy or Key-Pair-Id parameter"]
        if _cloudfront_refused(answer):
            evidence.append(f"CloudFront answered {answer['status']} itself")
        return [Hit("cf.signed-url-required", tuple(evidence), params)]
    expires = (query.get("Expires") or [None])[0]
    edge = _edge_time(answer)
    if expires and expires.isdigit() and int(expires) < edge:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(expires)))
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(edge))
        evidence = (f"Expires={expires} ({stamp}) is {int(edge) - int(expires)} s before the edge's Date header ({now})",)
        return [Hit("cf.signed-url-expired", evidence, dict(params, expires=stamp, edge_time=now))]
    return []


def viewer(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """What CloudFront refuses at the edge: alias, geo restriction, WAF, signed URLs."""
    answer = facts.data("http.viewer")
    hits = alias_missing(facts, answer) + geo_blocked(facts, answer) + signed_url(facts, answer)
    waf_hits, unknowns = waf_blocked(facts, answer)
    return hits + waf_hits, unknowns


def origin_settings(facts: Facts) -> Tuple[List[Hit], List[Unknown]]:
    """Origin settings that cannot work: OAC/OAI on a website endpoint; a bad default root object."""
    hits: List[Hit] = []
    origin = facts.origin
    if origin is None:
        return [], []
    if origin.kind == "s3-website" and (origin.oac_id or origin.oai_id):
        kind = "OAC" if origin.oac_id else "OAI"
        hits.append(Hit("cf.origin-website-with-oac", (
            f"origin {origin.id} uses {origin.domain}, an S3 website endpoint",
            f"it is configured with {kind} {origin.oac_id or origin.oai_id}"),
            dict(_dist_params(facts), origin_id=origin.id, origin_domain=origin.domain, access_kind=kind,
                 bucket=origin.bucket or "", region=origin.bucket_region or "<region>")))
    root = str(facts.config.get("DefaultRootObject") or "")
    if facts.symptom.path in ("", "/") and root.startswith("/"):
        hits.append(Hit("cf.default-root-object", (
            f"DefaultRootObject is '{root}' (leading slash)",
            f"a request for / asks the origin for the key '{facts.key}'"),
            dict(_dist_params(facts), default_root_object=root, key=facts.key or root,
                 suggested=root.lstrip("/"))))
    return hits, []

