"""The lab's CloudFront keeps a behavior's function and Lambda@Edge associations, publishes
CloudFront Functions to LIVE, and answers DescribeFunction / GetFunction per stage, as AWS does."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.lab

CODE = b"function handler(event) { return event.request; }"
CONFIG = {"Comment": "rewrite", "Runtime": "cloudfront-js-2.0"}


def _distribution(cf, name, behavior_extra):
    behavior = {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6", **behavior_extra}
    return cf.create_distribution(DistributionConfig={
        "CallerReference": name, "Comment": name, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": f"{name}.s3.us-east-1.amazonaws.com",
                                                "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": behavior})["Distribution"]


def test_behavior_keeps_function_and_lambda_associations(lab_aws, name):
    """A distribution reads back with the CloudFront Function and the Lambda@Edge it was given."""
    cf = lab_aws.client("cloudfront")
    fn_arn = f"arn:aws:cloudfront::123456789012:function/{name}"
    lambda_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}:3"
    dist = _distribution(cf, name, {
        "FunctionAssociations": {"Quantity": 1, "Items": [{"FunctionARN": fn_arn, "EventType": "viewer-request"}]},
        "LambdaFunctionAssociations": {"Quantity": 1, "Items": [
            {"LambdaFunctionARN": lambda_arn, "EventType": "origin-request", "IncludeBody": False}]}})
    behavior = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["FunctionAssociations"]["Items"] == [{"FunctionARN": fn_arn, "EventType": "viewer-request"}]
    assert behavior["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] == lambda_arn
    assert behavior["LambdaFunctionAssociations"]["Items"][0]["EventType"] == "origin-request"


def test_publish_makes_a_live_copy(lab_aws, name):
    """Before publishing, Stage=LIVE does not exist; after it, LIVE returns the published code."""
    cf = lab_aws.client("cloudfront")
    cf.create_function(Name=name, FunctionConfig=CONFIG, FunctionCode=CODE)
    with pytest.raises(ClientError) as err:
        cf.describe_function(Name=name, Stage="LIVE")
    assert err.value.response["Error"]["Code"] == "NoSuchFunctionExists"
    etag = cf.describe_function(Name=name)["ETag"]
    published = cf.publish_function(Name=name, IfMatch=etag)["FunctionSummary"]
    assert published["FunctionMetadata"]["Stage"] == "LIVE"
    live = cf.describe_function(Name=name, Stage="LIVE")["FunctionSummary"]
    assert live["FunctionMetadata"]["Stage"] == "LIVE"
    assert cf.get_function(Name=name, Stage="LIVE")["FunctionCode"].read() == CODE
    assert cf.describe_function(Name=name, Stage="DEVELOPMENT")["FunctionSummary"]["FunctionMetadata"]["Stage"] \
        == "DEVELOPMENT"
