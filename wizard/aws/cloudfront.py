"""Provides the CloudFront reads: find the distribution that serves a host, its origin access
(OAC/OAI), the behavior's policies, and its WAF web ACL with sampled requests."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Tuple

from botocore.exceptions import ClientError

from ..analysis.edge import cloudfront_config as cfc
from .errors import UnsupportedPartition
from . import origin_dns
from .jsonable import jsonable
from .session import AwsAccess


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _distributions(access: AwsAccess) -> List[Dict[str, Any]]:
    cf = access.client("cloudfront")
    items: List[Dict[str, Any]] = []
    for page in cf.get_paginator("list_distributions").paginate():
        items.extend((page.get("DistributionList") or {}).get("Items") or [])
    return items


def _cloudfront_value(record: Dict[str, Any]) -> Optional[str]:
    alias = (record.get("AliasTarget") or {}).get("DNSName")
    values = [alias] if alias else [r.get("Value") for r in record.get("ResourceRecords") or []]
    for value in values:
        if value and str(value).rstrip(".").lower().endswith(".cloudfront.net"):
            return str(value).rstrip(".").lower()
    return None


def _dns_target(access: AwsAccess, host: str) -> Optional[str]:
    """The CloudFront domain a Route 53 record for `host` points at (alias or CNAME), if any: among
    the records Route 53 answers the name with (its own, else the nearest wildcard's)."""
    r53 = access.client("route53")
    records = origin_dns.records_for(r53, origin_dns.zones(r53), host)
    return next(filter(None, map(_cloudfront_value, records)), None)


def _custom_domains(origins_holder: Dict[str, Any]) -> List[Tuple[str, str]]:
    """(origin id, domain) of the custom origins, in order: what origin_dns resolves."""
    out = []
    for raw in ((origins_holder or {}).get("Origins") or {}).get("Items") or []:
        info = cfc.classify_origin(raw)
        if info.kind == "custom" and info.domain:
            out.append((info.id, info.domain))
    return out


def find_distribution(access: AwsAccess, host: str, resolve_origins: bool = False) -> Dict[str, Any]:
    """The distribution serving `host`: by domain, by the most specific alternate domain name (as
    CloudFront picks among distributions), or through a DNS record that points at it (then the alias
    is missing). `found` is False when none matches.

    With `resolve_origins`, also `origin_dns`: where each custom origin's name leads through Route 53
    (origin_dns.resolve_custom_origins). Those reads start with GetDistributionConfig, from the
    origins ListDistributions' summary already lists (a round trip less); should the configuration
    name other custom origins than the summary did, they are resolved again from it."""
    host = host.lower().rstrip(".")
    refuse_other_partitions(access.region)
    items = _distributions(access)
    match, how = next((i for i in items if str(i.get("DomainName", "")).lower() == host), None), "domain"
    if match is None:
        match, how = cfc.best_alias_match(items, host), "alias"
    if match is None and not host.endswith(".cloudfront.net"):
        target = _dns_target(access, host)
        match = next((i for i in items if str(i.get("DomainName", "")).lower() == target), None) if target else None
        how = "dns"
    if match is None:
        return {"found": False, "searched": len(items), "host": host}
    cf = access.client("cloudfront")
    if resolve_origins:
        from .together import together

        summary = dict(match)
        config, origins = together(lambda: cf.get_distribution_config(Id=match["Id"])["DistributionConfig"],
                                   lambda: origin_dns.resolve_custom_origins(access, summary))
        if _custom_domains(config) != _custom_domains(summary):
            origins = origin_dns.resolve_custom_origins(access, config)
    else:
        config = cf.get_distribution_config(Id=match["Id"])["DistributionConfig"]
    found = {
        "found": True,
        "id": match["Id"],
        "arn": match.get("ARN"),
        "domain": match.get("DomainName"),
        "aliases": (match.get("Aliases") or {}).get("Items") or [],
        "status": match.get("Status"),
        "matched_by": how,
        "config": config,
    }
    if resolve_origins:
        found["origin_dns"] = origins
    return jsonable(found)


def refuse_other_partitions(region: Optional[str]) -> None:
    """Stop with a plain sentence in a partition edgewiz cannot read (China, GovCloud, ISO).

    edgewiz reads CloudFront, WAF and Route 53 in us-east-1 of the standard `aws` partition; the
    China Regions have their own CloudFront (operated separately, endpoints in cn-north-1/.com.cn) and
    GovCloud has none, so the calls would fail with a confusing endpoint or credential error.
    """
    region = (region or "").lower()
    partition = ("aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-")
                 else "aws-iso" if region.startswith("us-iso") else None)
    if partition:
        raise UnsupportedPartition(
            f"region {region} is in the {partition} partition; edgewiz reads CloudFront in us-east-1 of "
            "the standard aws partition only, so it cannot diagnose this distribution: check it in that "
            "partition's console")


def origin_access(access: AwsAccess, origin: cfc.OriginInfo) -> Dict[str, Any]:
    """The origin's OAC configuration or OAI identity (whichever it uses)."""
    cf = access.client("cloudfront")
    out: Dict[str, Any] = {"oac": None, "oai": None}
    if origin.oac_id:
        out["oac"] = cf.get_origin_access_control(Id=origin.oac_id)["OriginAccessControl"]
    if origin.oai_id:
        oai = cf.get_cloud_front_origin_access_identity(Id=origin.oai_id)["CloudFrontOriginAccessIdentity"]
        out["oai"] = {"Id": oai.get("Id"), "S3CanonicalUserId": oai.get("S3CanonicalUserId")}
    return jsonable(out)


def origin_policies(access: AwsAccess, behavior: Dict[str, Any]) -> Dict[str, Any]:
    """The behavior's origin request, cache and response headers policies (None when unset), read at
    once: none depends on another."""
    from .together import together

    cf = access.client("cloudfront")
    reads = {  # (policy id, the read, the answer's field)
        "origin_request_policy": (behavior.get("OriginRequestPolicyId"), cf.get_origin_request_policy,
                                  "OriginRequestPolicy"),
        "cache_policy": (behavior.get("CachePolicyId"), cf.get_cache_policy, "CachePolicy"),
        "response_headers_policy": (behavior.get("ResponseHeadersPolicyId"), cf.get_response_headers_policy,
                                    "ResponseHeadersPolicy"),
    }
    out: Dict[str, Any] = {field: None for field in reads}
    wanted = [(field, policy_id, read, part) for field, (policy_id, read, part) in reads.items() if policy_id]
    answers = together(*[(lambda read=read, policy_id=policy_id: read(Id=policy_id)) for _, policy_id, read, _ in wanted])
    for (field, _, _, part), answer in zip(wanted, answers):
        out[field] = answer[part]
    return jsonable(out)


def _rule_metrics(acl: Dict[str, Any]) -> Tuple[List[Tuple[str, str]], List[str]]:
    """(metric name, rule name) for every rule that keeps samples, and the rules that keep none.

    Firewall Manager rule groups run before (PreProcess...) and after (PostProcess...) the web ACL's
    own rules and can block too (WAF API "WebACL"); each has a VisibilityConfig like a rule.
    """
    metrics: List[Tuple[str, str]] = []
    sampling_off: List[str] = []
    rules = (list(acl.get("PreProcessFirewallManagerRuleGroups") or []) + list(acl.get("Rules") or [])
             + list(acl.get("PostProcessFirewallManagerRuleGroups") or []))
    for rule in rules:
        visibility = rule.get("VisibilityConfig") or {}
        if visibility.get("SampledRequestsEnabled") is False:
            sampling_off.append(str(rule.get("Name")))
        elif visibility.get("MetricName"):
            metrics.append((visibility["MetricName"], str(rule.get("Name"))))
    acl_visibility = acl.get("VisibilityConfig") or {}
    if acl_visibility.get("SampledRequestsEnabled") is False:
        sampling_off.append("Default_Action")
    elif acl_visibility.get("MetricName"):
        metrics.append((acl_visibility["MetricName"], "Default_Action"))
    return metrics, sampling_off


# How far before the reproduced request the sample window starts: WAF's clock and the Date header
# agree to the second, but CloudFront's edge may log the request a little before it answered.
SAMPLE_LEAD = datetime.timedelta(minutes=2)


def sample_window(around: Optional[datetime.datetime],
                  now: Optional[datetime.datetime] = None) -> Dict[str, datetime.datetime]:
    """The TimeWindow to ask for: from just before the reproduced request to now.

    GetSampledRequests samples "from among the first 5,000 requests that your AWS resource received
    during a time range" (WAF API reference), so a window that starts hours earlier never holds the
    request just sent on a busy site. Without the request's time, the whole 3 hours the API keeps.
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if around is None:
        return {"StartTime": now - datetime.timedelta(hours=3), "EndTime": now}
    start = max(around - SAMPLE_LEAD, now - datetime.timedelta(hours=3))
    return {"StartTime": start, "EndTime": max(now, around + datetime.timedelta(seconds=1))}


def web_acl(access: AwsAccess, web_acl_id: str, around: Optional[datetime.datetime] = None) -> Dict[str, Any]:
    """The WAFv2 web ACL (CLOUDFRONT scope lives in us-east-1) and the sampled requests of a short
    window starting just before `around`, the time of the reproduced request (see sample_window).

    A SampledHTTPRequest does not say which rule it was sampled for: that is the RuleMetricName
    the caller asked with (WAF API "GetSampledRequests"). Each sample is therefore tagged here with
    `RuleName` (the rule's name, or "Default_Action" for the web ACL's own metric) and
    `RuleMetricName`. `sampling_off` lists the rules (or "Default_Action") whose
    SampledRequestsEnabled is false: WAF keeps no samples for them. `window` is the TimeWindow WAF
    says it sampled (narrower than asked when 5,000 requests arrived first), as ISO strings.
    """
    if not web_acl_id.startswith("arn:"):
        return {"web_acl": None, "sampled": None, "sampling_off": [], "window": None,
                "sampled_error": f"{web_acl_id} is an AWS WAF Classic web ACL, which edgewiz does not read"}
    # arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID
    _, name, acl_id = web_acl_id.rsplit("/", 2)
    waf = access.client("wafv2", region="us-east-1")
    acl = waf.get_web_acl(Name=name, Scope="CLOUDFRONT", Id=acl_id)["WebACL"]
    metrics, sampling_off = _rule_metrics(acl)
    asked = sample_window(around)
    sampled: List[Dict[str, Any]] = []
    error = None
    window: Optional[Dict[str, Any]] = None
    for metric, rule_name in metrics:
        try:
            page = waf.get_sampled_requests(WebAclArn=web_acl_id, RuleMetricName=metric, Scope="CLOUDFRONT",
                                            TimeWindow=asked, MaxItems=100)
        except ClientError as exc:
            error = f"wafv2:GetSampledRequests failed ({_error_code(exc)})"
            break
        returned = page.get("TimeWindow") or {}
        if returned.get("EndTime") and (window is None or returned["EndTime"] < window["EndTime"]):
            window = dict(returned)  # the narrowest one WAF reported: what every sample was drawn from
        for sample in page.get("SampledRequests") or []:
            sampled.append(dict(sample, RuleName=rule_name, RuleMetricName=metric))
    return jsonable({"web_acl": acl, "sampled": sampled, "sampled_error": error, "sampling_off": sampling_off,
                     "window": window, "window_asked": asked})
