"""The lab server starts fast, acts as any account, and resets completely."""

from __future__ import annotations

import datetime
import time

import boto3
import pytest

from wizard.lab import moto_patches
from wizard.lab.aws_server import start_aws_server

pytestmark = pytest.mark.lab

OTHER = "222233334444"


def test_a_second_server_starts_on_its_own_port_and_answers(lab_aws):
    """A second lab server starts on a free port and answers an S3 call (how fast it starts is
    measured by bench/lab_start.py, not asserted here: a loaded machine would make it flaky)."""
    second = start_aws_server()
    try:
        assert "Buckets" in second.client("s3").list_buckets()  # moto's state is per process, so not empty
        assert second.endpoint != lab_aws.endpoint
    finally:
        second.stop()


def test_client_acts_as_the_given_account(lab_aws):
    """client(account=...) signs as that account; the default client is the default account."""
    assert lab_aws.client("sts", account=OTHER).get_caller_identity()["Account"] == OTHER
    assert lab_aws.client("sts").get_caller_identity()["Account"] == lab_aws.default_account


def test_credentials_act_as_the_given_account(lab_aws):
    """credentials(account) give plain boto3 (as the wizard builds it) that account's identity."""
    sts = boto3.client("sts", endpoint_url=lab_aws.endpoint, region_name="us-east-1", **lab_aws.credentials(OTHER))
    assert sts.get_caller_identity()["Account"] == OTHER


def test_reset_forgets_resources_and_injected_state(fresh_aws, name):
    """After reset, buckets, injected target health and WAF samples are all gone."""
    def web_acl():
        fresh_aws.seed(11)  # same seed, same web ACL ARN after the reset
        return fresh_aws.client("wafv2").create_web_acl(
            Name=name, Scope="CLOUDFRONT", DefaultAction={"Allow": {}},
            VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name},
            Rules=[])["Summary"]["ARN"]

    def samples(arn):
        now = datetime.datetime.now(datetime.timezone.utc)
        return fresh_aws.client("wafv2").get_sampled_requests(
            WebAclArn=arn, RuleMetricName="Default_Action", Scope="CLOUDFRONT", MaxItems=10,
            TimeWindow={"StartTime": now - datetime.timedelta(hours=1), "EndTime": now})["SampledRequests"]

    fresh_aws.client("s3").create_bucket(Bucket=name)
    arn = web_acl()
    moto_patches.record_sampled_request(arn, "Default_Action", {"URI": "/"}, "ALLOW")
    moto_patches.set_target_health("arn:tg", "10.0.0.1", 80, "unhealthy", "Target.Timeout")
    assert len(samples(arn)) == 1
    fresh_aws.reset()
    assert fresh_aws.client("s3").list_buckets()["Buckets"] == []
    assert web_acl() == arn and samples(arn) == []
    assert moto_patches.elbv2._injected("arn:tg", "10.0.0.1", 80) is None
    fresh_aws.client("s3").create_bucket(Bucket=name)  # the global bucket name is free again
