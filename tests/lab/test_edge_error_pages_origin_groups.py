"""The edge simulator derives custom error pages, origin-group failover and response-headers CORS from
the distribution's state in the lab, as CloudFront documents them."""

from __future__ import annotations

import json

import pytest

from wizard.lab.edge.cloudfront import CloudFrontEdge
from wizard.lab.edge.view import LabView

pytestmark = pytest.mark.lab

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def _view(lab_aws) -> LabView:
    return LabView(lambda service, account, region: lab_aws.client(service, account=account, region=region or "us-east-1"))


def _origin(bucket, origin_id, oac):
    return {"Id": origin_id, "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}, "OriginAccessControlId": oac}


def _grant(s3, bucket, arn):
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*", "Condition": {"StringEquals": {"AWS:SourceArn": arn}}}]}))


def _distribution(lab_aws, name, origins, target, **extra):
    cf = lab_aws.client("cloudfront")
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": name, "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    behavior = {"TargetOriginId": target, "ViewerProtocolPolicy": "https-only", "CachePolicyId": CACHING_OPTIMIZED}
    behavior.update(extra.pop("behavior", {}))
    dist = cf.create_distribution(DistributionConfig=dict({
        "CallerReference": name, "Comment": "", "Enabled": True,
        "Origins": {"Quantity": len(origins), "Items": [_origin(b, i, oac) for i, b in origins]},
        "DefaultCacheBehavior": behavior}, **extra))["Distribution"]
    return {"Id": dist["Id"], "DomainName": dist["DomainName"], "ARN": dist["ARN"]}


def _get(edge, dist, path, headers=None):
    status, out, body = edge.handle(dist, "domain", "GET", path, "", dict(headers or {}, host=dist["DomainName"]))
    return status, {k.lower(): v for k, v in out}, [v for k, v in out if k.lower() == "access-control-allow-origin"], body


def test_a_mapped_403_serves_index_html_with_200_and_stays_an_error_in_the_cache(lab_aws, name):
    """403 -> 200 /index.html: the missing script comes back as the HTML page, X-Cache says Error, and
    the cached copy is still an error; an existing script is served as itself."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="index.html", Body=b"<!DOCTYPE html><div id=app>", ContentType="text/html")
    s3.put_object(Bucket=name, Key="assets/ok.js", Body=b"console.log(1)", ContentType="application/javascript")
    dist = _distribution(lab_aws, name, [("s3", name)], "s3", CustomErrorResponses={"Quantity": 1, "Items": [
        {"ErrorCode": 403, "ResponsePagePath": "/index.html", "ResponseCode": "200", "ErrorCachingMinTTL": 300}]})
    _grant(s3, name, dist["ARN"])
    edge = CloudFrontEdge(_view(lab_aws), {})
    status, headers, _, body = _get(edge, dist, "/assets/missing.js")
    assert (status, headers["content-type"], body) == (200, "text/html", b"<!DOCTYPE html><div id=app>")
    assert headers["x-cache"] == "Error from cloudfront"
    status, headers, _, _ = _get(edge, dist, "/assets/missing.js")
    assert status == 200 and headers["x-cache"] == "Error from cloudfront" and "age" in headers
    status, headers, _, body = _get(edge, dist, "/assets/ok.js")
    assert (status, headers["content-type"], headers["x-cache"]) == (200, "application/javascript", "Miss from cloudfront")


def test_without_a_response_page_the_origin_error_passes_through(lab_aws, name):
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    dist = _distribution(lab_aws, name, [("s3", name)], "s3", CustomErrorResponses={"Quantity": 1, "Items": [
        {"ErrorCode": 403, "ErrorCachingMinTTL": 300}]})
    _grant(s3, name, dist["ARN"])
    status, headers, _, _ = _get(CloudFrontEdge(_view(lab_aws), {}), dist, "/nothing.js")
    assert status == 403 and headers["server"] == "AmazonS3"


@pytest.mark.parametrize("codes, expected", [([500, 502, 503, 504], (403, b"")), ([403, 500], (200, b"replica"))])
def test_an_origin_group_fails_over_only_on_its_criteria(lab_aws, name, codes, expected):
    """The primary refuses (its policy grants another distribution): the replica answers only when 403
    is a failover code."""
    s3 = lab_aws.client("s3")
    for bucket, body in ((f"{name}-p", b"primary"), (f"{name}-r", b"replica")):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="v.mp4", Body=body, ContentType="video/mp4")
    group = {"Quantity": 1, "Items": [{"Id": "grp", "FailoverCriteria": {"StatusCodes": {
        "Quantity": len(codes), "Items": codes}}, "Members": {"Quantity": 2, "Items": [
            {"OriginId": "primary"}, {"OriginId": "replica"}]}}]}
    dist = _distribution(lab_aws, name, [("primary", f"{name}-p"), ("replica", f"{name}-r")], "grp", OriginGroups=group)
    _grant(s3, f"{name}-p", "arn:aws:cloudfront::123456789012:distribution/EOTHER00000001")
    _grant(s3, f"{name}-r", dist["ARN"])
    status, _, _, body = _get(CloudFrontEdge(_view(lab_aws), {}), dist, "/v.mp4")
    assert status == expected[0]
    if expected[1]:
        assert body == expected[1]


def test_a_response_headers_policy_answers_only_the_origins_it_lists(lab_aws, name):
    """CorsConfig adds Access-Control-Allow-Origin for a listed page origin, nothing for another."""
    s3 = lab_aws.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="f.woff2", Body=b"wOF2", ContentType="font/woff2")
    rhp = lab_aws.client("cloudfront").create_response_headers_policy(ResponseHeadersPolicyConfig={
        "Name": name, "CorsConfig": {
            "AccessControlAllowOrigins": {"Quantity": 1, "Items": ["https://www.example.com"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": False, "OriginOverride": True}})["ResponseHeadersPolicy"]["Id"]
    dist = _distribution(lab_aws, name, [("s3", name)], "s3", behavior={"ResponseHeadersPolicyId": rhp})
    _grant(s3, name, dist["ARN"])
    edge = CloudFrontEdge(_view(lab_aws), {})
    assert _get(edge, dist, "/f.woff2", {"origin": "https://www.example.com"})[2] == ["https://www.example.com"]
    assert _get(edge, dist, "/f.woff2", {"origin": "https://shop.example.com"})[2] == []
