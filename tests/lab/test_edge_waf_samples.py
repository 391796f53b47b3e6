"""The WAF reader tags each sampled request with the rule it was sampled for, and says where sampling is off."""

from __future__ import annotations

import pytest

from wizard.aws import cloudfront
from wizard.aws.session import AwsAccess
from wizard.lab import moto_patches

pytestmark = pytest.mark.lab


def _acl(lab_aws, name: str, sampled_rule: bool) -> str:
    waf = lab_aws.client("wafv2", region="us-east-1")
    ip_set = waf.create_ip_set(Name=f"{name}-ips", Scope="CLOUDFRONT", IPAddressVersion="IPV4",
                               Addresses=["198.51.100.0/24"])["Summary"]
    visibility = {"SampledRequestsEnabled": sampled_rule, "CloudWatchMetricsEnabled": True}
    return waf.create_web_acl(
        Name=name, Scope="CLOUDFRONT", DefaultAction={"Allow": {}},
        Rules=[{"Name": "block-office", "Priority": 1, "Action": {"Block": {}},
                "Statement": {"IPSetReferenceStatement": {"ARN": ip_set["ARN"]}},
                "VisibilityConfig": dict(visibility, MetricName="block-office-metric")}],
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name},
    )["Summary"]["ARN"]


def _access(lab_aws) -> AwsAccess:
    return AwsAccess(region="us-east-1", endpoint_url=lab_aws.endpoint, credentials=lab_aws.credentials())


def test_each_sample_carries_the_rule_name_it_was_fetched_for(lab_aws, name):
    """A block recorded for a rule's metric comes back tagged RuleName=block-office, RuleMetricName=its metric."""
    arn = _acl(lab_aws, name, sampled_rule=True)
    moto_patches.record_sampled_request(arn, "block-office-metric", {"ClientIP": "198.51.100.7", "URI": "/x"},
                                        "BLOCK", rule_name="block-office")
    data = cloudfront.web_acl(_access(lab_aws), arn)
    (sample,) = [s for s in data["sampled"] if s["Action"] == "BLOCK"]
    assert (sample["RuleName"], sample["RuleMetricName"]) == ("block-office", "block-office-metric")
    assert data["sampling_off"] == []


def test_rules_with_sampling_off_are_listed_and_not_queried(lab_aws, name):
    """A rule with SampledRequestsEnabled=false is named in sampling_off, and no sample is claimed for it."""
    arn = _acl(lab_aws, name, sampled_rule=False)
    data = cloudfront.web_acl(_access(lab_aws), arn)
    assert data["sampling_off"] == ["block-office"]
    assert [s for s in data["sampled"] if s.get("RuleName") == "block-office"] == []
