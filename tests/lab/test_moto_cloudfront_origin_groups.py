"""The lab's CloudFront accepts a behavior that targets an origin group, as CloudFront does."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.lab.test_moto_cloudfront import CACHING_OPTIMIZED, _config

pytestmark = pytest.mark.lab


def _origins(name):
    return [{"Id": f"{n}", "DomainName": f"{name}-{n}.s3.us-east-1.amazonaws.com",
             "S3OriginConfig": {"OriginAccessIdentity": ""}} for n in ("primary", "secondary")]


def _groups(members):
    return {"Quantity": 1, "Items": [{
        "Id": "failover", "FailoverCriteria": {"StatusCodes": {"Quantity": 2, "Items": [500, 503]}},
        "Members": {"Quantity": len(members), "Items": [{"OriginId": m} for m in members]}}]}


def test_default_behavior_may_target_an_origin_group(lab_aws, name):
    """The group id is kept as the behavior's target and the group reads back with its criteria."""
    cf = lab_aws.client("cloudfront")
    behavior = {"TargetOriginId": "failover", "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": CACHING_OPTIMIZED}
    created = cf.create_distribution(DistributionConfig=_config(
        name, _origins(name), behavior, OriginGroups=_groups(["primary", "secondary"])))
    config = cf.get_distribution_config(Id=created["Distribution"]["Id"])["DistributionConfig"]
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "failover"
    group = config["OriginGroups"]["Items"][0]
    assert group["FailoverCriteria"]["StatusCodes"]["Items"] == [500, 503]
    assert [m["OriginId"] for m in group["Members"]["Items"]] == ["primary", "secondary"]


def test_a_group_with_an_unknown_member_is_still_refused(lab_aws, name):
    """A group naming an origin the distribution lacks is no origin at all: NoSuchOrigin."""
    cf = lab_aws.client("cloudfront")
    behavior = {"TargetOriginId": "failover", "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": CACHING_OPTIMIZED}
    with pytest.raises(ClientError) as err:
        cf.create_distribution(DistributionConfig=_config(
            name, _origins(name), behavior, OriginGroups=_groups(["primary", "elsewhere"])))
    assert err.value.response["Error"]["Code"] == "NoSuchOrigin"
