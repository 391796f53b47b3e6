"""Provides the CloudFront reads: find the distribution that serves a host, its origin access
(OAC/OAI), the behavior's policies, and its WAF web ACL with sampled requests."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from botocore.exceptions import ClientError

from ..analysis import cloudfront_config as cfc
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


def _dns_target(access: AwsAccess, host: str) -> Optional[str]:
    """The CloudFront domain a Route 53 record for `host` points at (alias or CNAME), if any."""
    r53 = access.client("route53")
    zones = []
    for page in r53.get_paginator("list_hosted_zones").paginate():
        zones.extend(page.get("HostedZones") or [])
    fqdn = host.rstrip(".") + "."
    for zone in sorted(zones, key=lambda z: -len(z["Name"])):
        if not fqdn.endswith(zone["Name"]) or (zone.get("Config") or {}).get("PrivateZone"):
            continue
        page = r53.list_resource_record_sets(HostedZoneId=zone["Id"], StartRecordName=fqdn, MaxItems="10")
        for record in page.get("ResourceRecordSets") or []:
            if record["Name"].rstrip(".").lower() != host.lower():
                continue
            alias = (record.get("AliasTarget") or {}).get("DNSName")
            values = [alias] if alias else [r["Value"] for r in record.get("ResourceRecords") or []]
            for value in values:
                if value and value.rstrip(".").lower().endswith(".cloudfront.net"):
                    return value.rstrip(".").lower()
        return None
    return None


def find_distribution(access: AwsAccess, host: str) -> Dict[str, Any]:
    """The distribution serving `host`: by domain, by alternate domain name, or through a DNS record
    that points at it (then the alias is missing). `found` is False when none matches."""
    host = host.lower().rstrip(".")
    items = _distributions(access)
    match, how = None, None
    for item in items:
        if str(item.get("DomainName", "")).lower() == host:
            match, how = item, "domain"
            break
        if cfc.alias_matches((item.get("Aliases") or {}).get("Items") or [], host):
            match, how = item, "alias"
            break
    if match is None and not host.endswith(".cloudfront.net"):
        target = _dns_target(access, host)
        if target:
            match = next((i for i in items if str(i.get("DomainName", "")).lower() == target), None)
            how = "dns" if match else None
    if match is None:
        return {"found": False, "searched": len(items), "host": host}
    config = access.client("cloudfront").get_distribution_config(Id=match["Id"])["DistributionConfig"]
    return jsonable({
        "found": True,
        "id": match["Id"],
        "arn": match.get("ARN"),
        "domain": match.get("DomainName"),
        "aliases": (match.get("Aliases") or {}).get("Items") or [],
        "status": match.get("Status"),
        "matched_by": how,
        "config": config,
    })


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
    """The behavior's origin request, cache and response headers policies (None when unset)."""
    cf = access.client("cloudfront")
    out: Dict[str, Any] = {"origin_request_policy": None, "cache_policy": None, "response_headers_policy": None}
    if behavior.get("OriginRequestPolicyId"):
        out["origin_request_policy"] = cf.get_origin_request_policy(Id=behavior["OriginRequestPolicyId"])["OriginRequestPolicy"]
    if behavior.get("CachePolicyId"):
        out["cache_policy"] = cf.get_cache_policy(Id=behavior["CachePolicyId"])["CachePolicy"]
    if behavior.get("ResponseHeadersPolicyId"):
        out["response_headers_policy"] = cf.get_response_headers_policy(
            Id=behavior["ResponseHeadersPolicyId"])["ResponseHeadersPolicy"]
    return jsonable(out)


def web_acl(access: AwsAccess, web_acl_id: str) -> Dict[str, Any]:
    """The WAFv2 web ACL (CLOUDFRONT scope lives in us-east-1) and its recent sampled requests.

    A SampledHTTPRequest does not say which rule it was sampled for: that is the RuleMetricName
    the caller asked with (WAF API "GetSampledRequests"). Each sample is therefore tagged here with
    `RuleName` (the rule's name, or "Default_Action" for the web ACL's own metric) and
    `RuleMetricName`. `sampling_off` lists the rules (or "Default_Action") whose
    SampledRequestsEnabled is false: WAF keeps no samples for them.
    """
    if not web_acl_id.startswith("arn:"):
        return {"web_acl": None, "sampled": None, "sampling_off": [],
                "sampled_error": f"{web_acl_id} is an AWS WAF Classic web ACL, which edgewiz does not read"}
    # arn:aws:wafv2:us-east-1:ACCOUNT:global/webacl/NAME/ID
    _, name, acl_id = web_acl_id.rsplit("/", 2)
    waf = access.client("wafv2", region="us-east-1")
    acl = waf.get_web_acl(Name=name, Scope="CLOUDFRONT", Id=acl_id)["WebACL"]
    metrics: List[tuple] = []
    sampling_off: List[str] = []
    for rule in acl.get("Rules") or []:
        visibility = rule.get("VisibilityConfig") or {}
        if visibility.get("SampledRequestsEnabled") is False:
            sampling_off.append(str(rule.get("Name")))
        elif visibility.get("MetricName"):
            metrics.append((visibility["MetricName"], rule.get("Name")))
    acl_visibility = acl.get("VisibilityConfig") or {}
    if acl_visibility.get("SampledRequestsEnabled") is False:
        sampling_off.append("Default_Action")
    elif acl_visibility.get("MetricName"):
        metrics.append((acl_visibility["MetricName"], "Default_Action"))
    end = datetime.datetime.now(datetime.timezone.utc)
    window = {"StartTime": end - datetime.timedelta(hours=3), "EndTime": end}  # the API keeps 3 hours
    sampled: List[Dict[str, Any]] = []
    error = None
    for metric, rule_name in metrics:
        try:
            page = waf.get_sampled_requests(WebAclArn=web_acl_id, RuleMetricName=metric, Scope="CLOUDFRONT",
                                            TimeWindow=window, MaxItems=100)
        except ClientError as exc:
            error = f"wafv2:GetSampledRequests failed ({_error_code(exc)})"
            break
        for sample in page.get("SampledRequests") or []:
            sampled.append(dict(sample, RuleName=rule_name, RuleMetricName=metric))
    return jsonable({"web_acl": acl, "sampled": sampled, "sampled_error": error, "sampling_off": sampling_off})
