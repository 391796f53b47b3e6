"""Provides the simulator's hook for API Gateway and Lambda function URL origins: what CloudFront
sends them (the Host it forwards, the origin path, the OAC it signs with) handed to apigw_origin and
lambda_url_origin."""

from __future__ import annotations

from typing import Mapping

from botocore.exceptions import ClientError

from . import apigw_origin, lambda_url_origin


def answer(view, origin, dist_arn: str, method: str, path: str, headers: Mapping[str, str], host_forwarded: bool):
    if origin.kind == "apigw":
        host = str(headers.get("host") or origin.domain) if host_forwarded else origin.domain
        return apigw_origin.answer(view, origin.domain, origin.origin_path, method, path, host)
    oac = None
    if origin.oac_id:
        try:
            oac = view.client("cloudfront", "us-east-1").get_origin_access_control(
                Id=origin.oac_id)["OriginAccessControl"]["OriginAccessControlConfig"]
        except ClientError:
            oac = None
    return lambda_url_origin.answer(view, origin.domain, oac, dist_arn, method, {k.lower(): v for k, v in headers.items()})


def s3_rest_answer(view, origin, headers: Mapping[str, str]):
    """S3's answer when CloudFront forwards the viewer's Host to a REST endpoint: S3 takes the bucket
    from Host, so it looks for a bucket named like the viewer's host. Signed (OAC/OAI): 403
    AccessDenied; anonymous: 404 NoSuchBucket."""
    from . import pages

    host = str(headers.get("host") or "")
    if origin.oac_id or origin.oai_id:
        return pages.s3_xml_error(403, "AccessDenied", "Access Denied")
    return pages.s3_xml_error(404, "NoSuchBucket", "The specified bucket does not exist", {"BucketName": host})


def _items(container) -> list:
    return list((container or {}).get("Items") or [])


def host_forwarded(view, behavior: Mapping) -> bool:
    """Whether CloudFront sends the viewer's Host to the origin: an origin request policy forwarding all
    viewer headers (AllViewer, not AllViewerExceptHostHeader) or naming Host, a cache policy naming
    Host, or legacy ForwardedValues naming Host or *."""
    if behavior.get("OriginRequestPolicyId"):
        cfg = (view.policy("origin_request", behavior["OriginRequestPolicyId"]) or {}).get("OriginRequestPolicyConfig") or {}
        hdrs = cfg.get("HeadersConfig") or {}
        named = {str(h).lower() for h in _items(hdrs.get("Headers"))}
        kind = hdrs.get("HeaderBehavior")
        if kind in ("allViewer", "allViewerAndWhitelistCloudFront") or (kind == "whitelist" and "host" in named) or (
                kind == "allExcept" and "host" not in named):
            return True
    if behavior.get("CachePolicyId"):
        cfg = (view.policy("cache", behavior["CachePolicyId"]) or {}).get("CachePolicyConfig") or {}
        hdrs = ((cfg.get("ParametersInCacheKeyAndForwardedToOrigin") or {}).get("HeadersConfig") or {})
        return "host" in {str(h).lower() for h in _items(hdrs.get("Headers"))}
    legacy = ((behavior.get("ForwardedValues") or {}).get("Headers") or {})
    return bool({"host", "*"} & {str(h).lower() for h in _items(legacy)})
