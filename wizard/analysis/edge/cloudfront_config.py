"""Provides pure readings of a CloudFront DistributionConfig: which behavior a path matches, what
kind of origin it goes to, how CloudFront signs in to it, and which S3 key a URL becomes.

Inputs are dicts in the shapes boto3 returns (get_distribution_config / list_distributions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence
from urllib.parse import unquote

from .. import wildcards

# REST endpoints: bucket.s3.amazonaws.com, bucket.s3.REGION.amazonaws.com, bucket.s3-REGION.amazonaws.com,
# and the dual-stack (IPv6) form bucket.s3.dualstack.REGION.amazonaws.com (AWS "Dual-stack endpoints").
_S3_REST = re.compile(r"^(?P<bucket>.+?)\.s3(?:\.dualstack)?(?:[.-](?P<region>[a-z0-9-]+))?\.amazonaws\.com(?:\.cn)?$")
# Multi-Region Access Points: ALIAS.mrap.accesspoint.s3-global.amazonaws.com (AWS "Multi-Region Access
# Points"): one name in front of buckets in several Regions, so no single bucket can be read for it.
_S3_MRAP = re.compile(r"^(?P<alias>[a-z0-9]+)\.mrap\.accesspoint\.s3-global\.amazonaws\.com$")
# Directory buckets (S3 Express One Zone) answer on Zonal endpoints:
# BASE--AZID--x-s3.s3express-AZID.REGION.amazonaws.com (AWS "Regional and Zonal endpoints for directory buckets").
_S3_DIRECTORY = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]*--(?P<az>[a-z0-9-]+)--x-s3)"
                           r"\.s3express-(?P=az)\.(?:dualstack\.)?(?P<region>[a-z0-9-]+)\.amazonaws\.com$")
# Website endpoints come in two forms (AWS "Website endpoints"): s3-website-REGION and s3-website.REGION
_S3_WEBSITE = re.compile(r"^(?P<bucket>.+?)\.s3-website[.-](?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")
# API Gateway (REST and HTTP APIs: ID.execute-api.REGION.amazonaws.com) and Lambda function URLs
# (URLID.lambda-url.REGION.on.aws) are origins of their own, read with their own APIs (issue 13).
_APIGW = re.compile(r"^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")
_LAMBDA_URL = re.compile(r"^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$")
# An EC2 instance's public DNS name (its public or Elastic IP): ec2-1-2-3-4.compute-1.amazonaws.com in
# us-east-1, ec2-1-2-3-4.REGION.compute.amazonaws.com elsewhere.
_EC2 = re.compile(r"^ec2-\d{1,3}(?:-\d{1,3}){3}\.(?:compute-1|[a-z]{2}(?:-[a-z]+)+-\d+\.compute)\.amazonaws\.com(?:\.cn)?$")
_ELB = re.compile(r"\.elb\.(?:[a-z0-9-]+\.)?amazonaws\.com(?:\.cn)?$")

# s3-mrap and s3-directory are S3, but not buckets the wizard can read with the bucket APIs it uses
# (a Multi-Region Access Point fronts several buckets; a directory bucket has its own policy model),
# so they are told apart instead of being mistaken for an unknown custom origin.
ORIGIN_KINDS = ("s3-rest", "s3-website", "s3-mrap", "s3-directory", "alb", "apigw", "lambda-url", "ec2", "vpc-origin", "custom")


@dataclass(frozen=True)
class OriginInfo:
    """An origin as the wizard reasons about it."""

    id: str
    domain: str
    kind: str  # one of ORIGIN_KINDS
    bucket: Optional[str]
    bucket_region: Optional[str]
    origin_path: str
    oac_id: Optional[str]
    oai_id: Optional[str]
    custom_headers: Mapping[str, str]
    custom_config: Mapping[str, Any]


def _items(container: Optional[Mapping[str, Any]]) -> List[Any]:
    if not container:
        return []
    return list(container.get("Items") or [])


def classify_origin(origin: Mapping[str, Any]) -> OriginInfo:
    """Decide REST vs website vs ALB vs other custom origin from the origin's domain name."""
    domain = str(origin.get("DomainName", "")).lower().rstrip(".")
    kind, bucket, region = "custom", None, None
    website = _S3_WEBSITE.match(domain)
    rest = _S3_REST.match(domain)
    directory = _S3_DIRECTORY.match(domain)
    if (origin.get("VpcOriginConfig") or {}).get("VpcOriginId"):
        kind = "vpc-origin"  # a private ALB/NLB/EC2 reached through a CloudFront VPC origin, whatever its name
    elif _S3_MRAP.match(domain):
        kind = "s3-mrap"
    elif directory:
        kind, bucket, region = "s3-directory", directory.group("bucket"), directory.group("region")
    elif website:
        kind, bucket, region = "s3-website", website.group("bucket"), website.group("region")
    elif rest:
        kind, bucket = "s3-rest", rest.group("bucket")
        region = rest.group("region")
        if region in (None, "external-1"):
            region = None
    elif _ELB.search(domain):
        kind = "alb"
    elif _APIGW.match(domain):
        kind = "apigw"
    elif _LAMBDA_URL.match(domain):
        kind = "lambda-url"
    elif _EC2.match(domain):
        kind = "ec2"
    oai_path = ((origin.get("S3OriginConfig") or {}).get("OriginAccessIdentity") or "").strip()
    oai_id = oai_path.rsplit("/", 1)[-1] if oai_path else None
    headers = {h.get("HeaderName", ""): h.get("HeaderValue", "") for h in _items(origin.get("CustomHeaders"))}
    return OriginInfo(
        id=str(origin.get("Id", "")),
        domain=domain,
        kind=kind,
        bucket=bucket,
        bucket_region=region,
        origin_path=str(origin.get("OriginPath") or ""),
        oac_id=origin.get("OriginAccessControlId") or None,
        oai_id=oai_id,
        custom_headers=headers,
        custom_config=origin.get("CustomOriginConfig") or {},
    )


def _pattern_matches(pattern: str, path: str) -> bool:
    # CloudFront path patterns: * matches any run of characters (slashes included), ? one character,
    # case-sensitive; a pattern without a leading slash is treated as if it had one.
    pattern = pattern if pattern.startswith("/") else "/" + pattern
    return wildcards.matches(pattern, path)


def match_behavior(config: Mapping[str, Any], path: str) -> Dict[str, Any]:
    """The cache behavior CloudFront applies to `path`: the first ordered behavior whose pattern
    matches (CloudFront evaluates them in list order), else the default. Adds `PathPattern`."""
    for behavior in _items(config.get("CacheBehaviors")):
        if _pattern_matches(str(behavior.get("PathPattern", "")), path):
            return dict(behavior)
    default = dict(config.get("DefaultCacheBehavior") or {})
    default["PathPattern"] = "Default (*)"
    return default


def origin_by_id(config: Mapping[str, Any], origin_id: str) -> Optional[Mapping[str, Any]]:
    """The origin the behavior targets, or None when the id dangles."""
    return next((o for o in _items(config.get("Origins")) if o.get("Id") == origin_id), None)


def s3_key_for(path: str, config: Mapping[str, Any], origin: OriginInfo) -> str:
    """The object key CloudFront asks the origin for: the URL path (decoded, without the leading
    slash) under the origin path; `/` becomes the default root object when one is set."""
    prefix = origin.origin_path.strip("/")
    if path in ("", "/") and config.get("DefaultRootObject"):
        # Appended as written: "/index.html" asks for the key "/index.html" (AWS "Default root object").
        root = str(config["DefaultRootObject"])
        return f"{prefix}/{root}" if prefix else root
    key = unquote(path.split("?", 1)[0]).lstrip("/")
    return f"{prefix}/{key}" if prefix else key


def alias_specificity(alias: str, host: str) -> Optional[int]:
    """How specifically the alternate domain name `alias` names `host`, or None when it does not.

    AWS "Use wildcards in alternate domain names": with *.example.com "you can use any domain name
    that ends with example.com", such as www.example.com and marketing.product-name.example.com, so
    a wildcard covers any depth below its suffix (never the bare example.com). An exact name scores
    above every wildcard; a longer wildcard suffix above a shorter one.
    """
    host, alias = host.lower().rstrip("."), alias.lower().rstrip(".")
    if alias == host:
        return 1_000_000
    if alias.startswith("*.") and host.endswith(alias[1:]) and len(host) > len(alias) - 1:
        return len(alias)
    return None


def alias_matches(aliases: Sequence[str], host: str) -> bool:
    """True when `host` is one of the alternate domain names (a wildcard covers any depth)."""
    return any(alias_specificity(a, host) is not None for a in aliases)


def best_alias_match(distributions: Sequence[Mapping[str, Any]], host: str) -> Optional[Mapping[str, Any]]:
    """The distribution whose alternate domain name matches `host` most specifically.

    AWS "Use custom URLs by adding alternate domain names", restrictions: with overlapping alternate
    domain names in two distributions, "CloudFront sends the request to the distribution with the
    more specific name match, regardless of the distribution that the DNS record points to"
    (marketing.domain.com is more specific than *.domain.com). List order does not matter.
    """
    best, best_score = None, -1
    for item in distributions:
        for alias in (item.get("Aliases") or {}).get("Items") or []:
            score = alias_specificity(str(alias), host)
            if score is not None and score > best_score:
                best, best_score = item, score
    return best


def legacy_forwarded_headers(behavior: Mapping[str, Any]) -> List[str]:
    """Headers forwarded by a behavior that still uses the legacy ForwardedValues settings."""
    forwarded = behavior.get("ForwardedValues") or {}
    return [str(h) for h in _items(forwarded.get("Headers"))]


def policy_forwarded_headers(origin_request_policy: Optional[Mapping[str, Any]]) -> Optional[List[str]]:
    """Headers an origin request policy forwards (`["*"]` for allViewer), or None when unknown."""
    if not origin_request_policy:
        return None
    cfg = origin_request_policy.get("OriginRequestPolicyConfig") or origin_request_policy
    headers = cfg.get("HeadersConfig") or {}
    behavior = headers.get("HeaderBehavior", "none")
    if behavior in ("allViewer", "allViewerAndWhitelistCloudFront"):
        return ["*"] + [str(h) for h in _items(headers.get("Headers"))]
    if behavior in ("whitelist",):
        return [str(h) for h in _items(headers.get("Headers"))]
    if behavior == "allExcept":
        return ["*"]
    return []


def forwards_header(headers: Sequence[str], name: str) -> bool:
    """True when the list forwards `name` (case-insensitive), or forwards all viewer headers."""
    lowered = {h.lower() for h in headers}
    return "*" in lowered or name.lower() in lowered
