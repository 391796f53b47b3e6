"""Provides the CloudFront checks: what the edge itself refuses before any origin is asked
(alternate domain names, geo restriction, WAF, the viewer protocol, signed URLs) and origin settings
that cannot work."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any, List, Mapping, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from ..aws.facts import EdgeFacts
from ..aws.models import WafSample, WebAcl, header_value
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


def _dist_params(facts: EdgeFacts) -> dict:
    dist = facts.distribution
    return {"distribution_id": dist.id if dist else "", "distribution_arn": dist.arn if dist else "",
            "host": facts.symptom.host, "path": facts.symptom.path}


def alias_missing(facts: EdgeFacts, answer) -> List[Hit]:
    dist = facts.distribution
    if not dist or dist.matched_by != "dns":
        return []
    aliases = ", ".join(dist.aliases) or "none"
    evidence = [f"DNS record {facts.symptom.host} points at {dist.domain} (distribution {dist.id})",
                f"the distribution's alternate domain names are: {aliases}"]
    if _cloudfront_refused(answer):
        evidence.append(f"CloudFront answered {answer['status']} itself (Server: CloudFront)")
    if dist.certificate:
        certificate = f"today it uses {dist.certificate}: check it covers the name"
    else:
        certificate = "today it uses the default *.cloudfront.net certificate, which does not"
    return [Hit("cf.alias-missing", tuple(evidence), dict(_dist_params(facts), certificate=certificate,
                                                          aliases=aliases))]


def _geo_viewers(kind: str, countries: List[str]) -> str:
    """Whom the restriction refuses, in words: the edge never tells the diagnosis the viewer's country."""
    listed = ", ".join(countries) or "no country"
    return f"outside {listed}" if kind == "whitelist" else f"in {listed}"


def geo_blocked(facts: EdgeFacts, answer) -> List[Hit]:
    dist = facts.distribution
    kind = dist.geo_restriction if dist else "none"
    if kind == "none" or not _cloudfront_refused(answer):
        return []
    body = _body(answer).lower()
    if "block access from your country" not in body and "geo" not in body:
        return []
    items = list(dist.geo_countries)
    countries = ", ".join(items) or "none"
    params = dict(_dist_params(facts), restriction_type=kind, countries=countries,
                  country=_geo_viewers(kind, items))
    evidence = (f"CloudFront answered {answer['status']} with its geo-restriction page "
                "(\"configured to block access from your country\")",
                f"Restrictions.GeoRestriction: {kind} {countries}")
    return [Hit("cf.geo-blocked", evidence, params)]


def _our_samples(facts: EdgeFacts, blocked: List[WafSample], answer) -> List[WafSample]:
    """The blocked samples that are this tool's own reproduced request: the same URI, sent with our
    User-Agent, inside the window asked for (which starts just before the request). Any other
    blocked sample is someone else's request and may have met another rule. (Rules that can block
    are WafRule.blocks: Block actions, and rule groups whose own actions apply.)"""
    ours_agent = header_value((answer or {}).get("request_headers") or {}, "user-agent")
    path = facts.symptom.path.split("?", 1)[0]
    return [s for s in blocked if s.uri == path and (ours_agent is None or s.user_agent == ours_agent)]


def _window_words(waf: WebAcl) -> str:
    start, end = waf.window
    return f" (WAF sampled {start[:19]} to {end[:19]} UTC)" if start else ""


def waf_blocked(facts: EdgeFacts, answer) -> Tuple[List[Hit], List[Unknown]]:
    acl_id = facts.distribution.web_acl_id if facts.distribution else ""
    if not acl_id or not _cloudfront_refused(answer) or answer["status"] != 403:
        return [], []
    body = _body(answer).lower()
    if "request blocked" not in body and "waf" not in body:
        return [], []
    waf = facts.web_acl or WebAcl.from_data({})
    # A CLOUDFRONT-scope WebACLId is the ACL's ARN: .../webacl/NAME/ID
    acl_name = waf.name or (acl_id.rsplit("/", 2)[-2] if "/" in acl_id else acl_id)
    rule, metric, evidence = "its default action or a rule", "<rule-metric-name>", [
        f"CloudFront answered 403 with the AWS WAF block page; the distribution uses web ACL {acl_name}"]
    unknowns = gather(missing(facts, "aws.waf", "waf", "which WAF rule blocked the request"))
    blocked = waf.blocked_samples
    ours = _our_samples(facts, blocked, answer)
    if ours:
        # Newest first: the sample of the request just sent is the best witness.
        sample = max(ours, key=lambda s: s.timestamp)
        inner = sample.rule_in_group
        rule = "the default action (Block)" if sample.rule == "Default_Action" else (
            f"rule {sample.rule}" + (f" (rule {inner} of its rule group)" if inner else ""))
        metric = sample.metric
        evidence.append(f"WAF sampled this request ({sample.uri} from {sample.client_ip} ({sample.country}), "
                        f"with edgewiz's User-Agent, at {(sample.timestamp or '?')[:19]}): terminated by {rule}")
    elif waf.read:
        candidates = [r.name for r in waf.rules if r.blocks]
        if candidates:
            rule = ("one of its blocking rules: " + ", ".join(candidates)
                    + (", or the default action (Block)" if waf.default_blocks else ""))
            metric = next((r.metric for r in waf.rules if r.name == candidates[0]), candidates[0])
        elif waf.default_blocks:
            rule, metric = "the default action (Block): no rule allowed the request", \
                waf.metric or "<rule-metric-name>"
        off = waf.sampling_off
        if waf.sampled_error:
            why = f"sampled requests could not be read: {waf.sampled_error}"
        elif off:
            why = (f"sampled requests are turned off (SampledRequestsEnabled=false) for {', '.join(off)}, "
                   "so WAF kept no sample that names the rule")
        elif blocked:
            # Someone else's blocked requests say nothing about which rule met this one.
            why = (f"WAF's sample{_window_words(waf)} holds {len(blocked)} blocked request(s), but none is "
                   "this tool's request (same URI, edgewiz's User-Agent), so it cannot tell which rule blocked "
                   "it (samples are drawn from the first 5,000 requests of the window)")
        else:
            why = (f"WAF returned no blocked sample for this request{_window_words(waf)} "
                   "(samples are a subset of the first 5,000 requests of the window)")
        evidence.append(why)
        unknowns.append(Unknown("waf", "which WAF rule blocked the request",
                                why + "; read the WAF logs (terminatingRuleId) or enable sampled requests"))
    params = dict(_dist_params(facts), web_acl=acl_name, web_acl_arn=acl_id, rule=rule, metric=metric)
    return [Hit("waf.blocked", tuple(evidence), params)], unknowns


def _edge_time(answer) -> float:
    date = header(answer, "date")
    try:
        return parsedate_to_datetime(date).timestamp() if date else time.time()
    except (TypeError, ValueError):
        return time.time()


def signed_url(facts: EdgeFacts, answer) -> List[Hit]:
    behavior = facts.behavior
    if behavior is None or not behavior.signed:
        return []
    query = parse_qs(facts.symptom.query)
    cookie_signed = False  # a URL alone carries no cookies; the browser may, which the person can say
    params = dict(_dist_params(facts), path_pattern=behavior.path_pattern,
                  key_groups=", ".join(behavior.key_groups) or "(trusted signers)")
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


def http_on_https_only(facts: EdgeFacts, answer) -> List[Hit]:
    """cf.viewer-http-on-https-only: a plain-HTTP request to a behavior whose ViewerProtocolPolicy
    is https-only, which CloudFront refuses with its own 403 (redirect-to-https answers 301 instead,
    allow-all serves it). With no answer at all the configuration alone says what CloudFront would
    do; an answer other than CloudFront's 403 contradicts it, so nothing is raised then."""
    behavior = facts.behavior
    if behavior is None or behavior.viewer_protocol_policy != "https-only":
        return []
    url = str((answer or {}).get("url") or facts.symptom.url)
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return []
    answered = bool(answer and answer.get("status"))
    if answered and not (answer["status"] == 403 and _cloudfront_refused(answer)):
        return []
    path_pattern = behavior.path_pattern
    evidence = [f"the request was sent over plain HTTP ({url})",
                f"behavior {path_pattern} has ViewerProtocolPolicy https-only"]
    evidence.append(f"CloudFront answered {answer['status']} itself (Server: CloudFront)" if answered
                    else "no answer was received; CloudFront refuses such a request with 403")
    return [Hit("cf.viewer-http-on-https-only", tuple(evidence),
                dict(_dist_params(facts), path_pattern=path_pattern, url=url,
                     https_url=parts._replace(scheme="https").geturl()))]


def viewer(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """What CloudFront refuses at the edge: alias, geo restriction, WAF, viewer protocol, signed URLs."""
    answer = facts.data("http.viewer")
    hits = (alias_missing(facts, answer) + geo_blocked(facts, answer) + http_on_https_only(facts, answer)
            + signed_url(facts, answer))
    waf_hits, unknowns = waf_blocked(facts, answer)
    return hits + waf_hits, unknowns


def origin_settings(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
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
    hits += default_root_object(facts, origin)
    return hits, []


def default_root_object(facts: EdgeFacts, origin) -> List[Hit]:
    """cf.default-root-object: a request for / that CloudFront turns into a key S3 cannot serve.

    CloudFront replaces "/" with the default root object exactly as written (AWS "Specify a default
    root object"): "/index.html" asks for the key "/index.html". With none set, a REST origin is
    asked for the bucket itself, which is a ListBucket request CloudFront is not allowed to make.
    A website endpoint without one serves its own index document, so that case is fine.
    """
    if facts.symptom.path not in ("", "/") or origin.kind not in ("s3-rest", "s3-website"):
        return []
    dist = facts.distribution
    root = dist.default_root_object
    params = dict(_dist_params(facts), bucket=origin.bucket or "", default_root_object=root)
    if root.startswith("/"):
        suggested = root.lstrip("/")
        return [Hit("cf.default-root-object", (
            f"DefaultRootObject is '{root}' (leading slash)",
            f"a request for / asks the origin for the key '{dist.key_for('/', origin)}', "
            f"not '{suggested}'"),
            dict(params, root_state=f"'{root}', with a leading slash", key=root, suggested=suggested,
                 detail=f"so a request for / asks S3 for the key '{root}', which is not '{suggested}'"))]
    if not root and origin.kind == "s3-rest":
        return [Hit("cf.default-root-object", (
            "DefaultRootObject is not set",
            f"a request for / asks s3://{origin.bucket} for the bucket listing, not for an object"),
            dict(params, root_state="not set", key="(the bucket itself)", suggested="index.html",
                 detail="so a request for / asks S3 to list the bucket, which CloudFront may not do"))]
    return []
