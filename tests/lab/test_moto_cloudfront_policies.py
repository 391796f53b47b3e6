"""The lab serves CloudFront's managed policies under their real ids, and custom ones too."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.lab

MANAGED_CACHE = {
    "658327ea-f89d-4fab-a63d-7e88639e58f6": ("Managed-CachingOptimized", 1, 86400, 31536000, True),
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": ("Managed-CachingDisabled", 0, 0, 0, False),
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": (
        "Managed-CachingOptimizedForUncompressedObjects", 1, 86400, 31536000, False),
}
MANAGED_ORIGIN_REQUEST = {
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": "Managed-CORS-S3Origin",
    "216adef6-5c7f-47e4-b989-5492eafa07d3": "Managed-AllViewer",
    "b689b0a8-53d0-40ab-baf2-68738e2966ac": "Managed-AllViewerExceptHostHeader",
    "59781a5b-3903-41f3-afcb-af62929ccde1": "Managed-CORS-CustomOrigin",
    "acba4595-bd28-49b8-b9fe-13317c0390fa": "Managed-UserAgentRefererHeaders",
}


@pytest.mark.parametrize("policy_id", sorted(MANAGED_CACHE))
def test_managed_cache_policy_by_id(lab_aws, policy_id):
    """Each managed cache policy answers under its real id with its name, TTLs and compression."""
    name, min_ttl, default_ttl, max_ttl, compress = MANAGED_CACHE[policy_id]
    got = lab_aws.client("cloudfront").get_cache_policy(Id=policy_id)["CachePolicy"]
    config = got["CachePolicyConfig"]
    assert got["Id"] == policy_id
    assert (config["Name"], config["MinTTL"], config["DefaultTTL"], config["MaxTTL"]) == (
        name, min_ttl, default_ttl, max_ttl)
    assert config["ParametersInCacheKeyAndForwardedToOrigin"]["EnableAcceptEncodingGzip"] is compress


def test_cors_s3origin_forwards_the_cors_request_headers(lab_aws):
    """CORS-S3Origin forwards Origin and both Access-Control-Request headers (seed 000's policy)."""
    policy = lab_aws.client("cloudfront").get_origin_request_policy(Id="88a5eaf4-2fd4-4709-b370-b4c650ea3fcf")
    headers = policy["OriginRequestPolicy"]["OriginRequestPolicyConfig"]["HeadersConfig"]
    assert headers["HeaderBehavior"] == "whitelist"
    assert {h.lower() for h in headers["Headers"]["Items"]} == {
        "origin", "access-control-request-headers", "access-control-request-method"}


def test_all_viewer_except_host_excludes_only_host(lab_aws):
    """AllViewerExceptHostHeader forwards every viewer header except Host (allExcept host)."""
    policy = lab_aws.client("cloudfront").get_origin_request_policy_config(Id="b689b0a8-53d0-40ab-baf2-68738e2966ac")
    headers = policy["OriginRequestPolicyConfig"]["HeadersConfig"]
    assert headers["HeaderBehavior"] == "allExcept"
    assert headers["Headers"]["Items"] == ["host"]


def test_managed_origin_request_policies_are_listed(lab_aws):
    """list_origin_request_policies(Type=managed) returns the catalogue by id and name."""
    cf = lab_aws.client("cloudfront")
    items = cf.list_origin_request_policies(Type="managed")["OriginRequestPolicyList"]["Items"]
    policies = [i["OriginRequestPolicy"] for i in items]
    listed = {p["Id"]: p["OriginRequestPolicyConfig"]["Name"] for p in policies}
    assert listed == MANAGED_ORIGIN_REQUEST
    assert {i["Type"] for i in items} == {"managed"}


def test_managed_response_headers_policies_allow_any_origin(lab_aws):
    """SimpleCORS and CORS-With-Preflight answer by id; only the preflight one lists methods for OPTIONS."""
    cf = lab_aws.client("cloudfront")
    simple = cf.get_response_headers_policy(Id="60669652-455b-4ae9-85a4-c4c02393f86c")["ResponseHeadersPolicy"]
    preflight = cf.get_response_headers_policy(Id="5cc3b908-e619-4b99-88e5-2cf7f45965bd")["ResponseHeadersPolicy"]
    assert simple["ResponseHeadersPolicyConfig"]["Name"] == "Managed-SimpleCORS"
    assert simple["ResponseHeadersPolicyConfig"]["CorsConfig"]["AccessControlAllowOrigins"]["Items"] == ["*"]
    cors = preflight["ResponseHeadersPolicyConfig"]["CorsConfig"]
    assert preflight["ResponseHeadersPolicyConfig"]["Name"] == "Managed-CORS-With-Preflight"
    assert "OPTIONS" in cors["AccessControlAllowMethods"]["Items"]


def test_custom_cache_policy_is_created_and_listed_as_custom(lab_aws, name):
    """A cache policy created in the account is readable by id and listed under Type=custom only."""
    cf = lab_aws.client("cloudfront")
    created = cf.create_cache_policy(CachePolicyConfig={
        "Name": name, "MinTTL": 0, "DefaultTTL": 60, "MaxTTL": 600,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": False, "HeadersConfig": {"HeaderBehavior": "whitelist",
                                                                 "Headers": {"Quantity": 1, "Items": ["Origin"]}},
            "CookiesConfig": {"CookieBehavior": "none"}, "QueryStringsConfig": {"QueryStringBehavior": "none"}}})
    policy_id = created["CachePolicy"]["Id"]
    got = cf.get_cache_policy(Id=policy_id)["CachePolicy"]["CachePolicyConfig"]
    assert got["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"]["Items"] == ["Origin"]
    custom = [i["CachePolicy"]["Id"] for i in cf.list_cache_policies(Type="custom")["CachePolicyList"]["Items"]]
    managed = [i["CachePolicy"]["Id"] for i in cf.list_cache_policies(Type="managed")["CachePolicyList"]["Items"]]
    assert policy_id in custom and policy_id not in managed


def test_unknown_policy_id_is_no_such_policy(lab_aws):
    """An id that is neither managed nor created gives NoSuchCachePolicy (404)."""
    with pytest.raises(ClientError) as err:
        lab_aws.client("cloudfront").get_cache_policy(Id="00000000-0000-0000-0000-000000000000")
    assert err.value.response["Error"]["Code"] == "NoSuchCachePolicy"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_distribution_naming_an_unknown_policy_is_refused(lab_aws, name):
    """create_distribution with a mistyped cache policy id fails with NoSuchCachePolicy, as on AWS."""
    config = {"CallerReference": name, "Comment": "", "Enabled": True,
              "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{name}.s3.amazonaws.com",
                                                    "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
              "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "allow-all",
                                       "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f7"}}
    with pytest.raises(ClientError) as err:
        lab_aws.client("cloudfront").create_distribution(DistributionConfig=config)
    assert err.value.response["Error"]["Code"] == "NoSuchCachePolicy"
