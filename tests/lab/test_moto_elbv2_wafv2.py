"""The lab's ELB reports injected target health and real ALB defaults; WAF returns sampled requests."""

from __future__ import annotations

import datetime

import pytest

from wizard.lab import moto_patches

pytestmark = pytest.mark.lab

_HOUR = datetime.timedelta(hours=1)


@pytest.fixture(scope="module")
def alb(lab_aws):
    """A VPC with two subnets and an application load balancer (EC2's first call is slow: share it)."""
    ec2, elb = lab_aws.client("ec2"), lab_aws.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=f"us-east-1{z}")
               ["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    arn = elb.create_load_balancer(Name="lab-alb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    return {"vpc": vpc, "arn": arn}


def _target_group(lab_aws, alb, name):
    elb = lab_aws.client("elbv2")
    tg = elb.create_target_group(Name=name[:32], Protocol="HTTP", Port=80, VpcId=alb["vpc"],
                                 TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.20.1.10", "Port": 80},
                                                     {"Id": "10.20.2.10", "Port": 80}])
    return tg


def test_injected_unhealthy_targets_are_reported(lab_aws, alb, name):
    """Seed 003: targets set to unhealthy show their state, reason and ELB's description."""
    tg = _target_group(lab_aws, alb, name)
    moto_patches.set_target_health(tg, "10.20.1.10", 80, "unhealthy", "Target.Timeout")
    moto_patches.set_target_health(tg, "10.20.2.10", None, "unhealthy", "Target.ResponseCodeMismatch",
                                   "Health checks failed with these codes: [404]")
    health = lab_aws.client("elbv2").describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    by_id = {h["Target"]["Id"]: h["TargetHealth"] for h in health}
    assert by_id["10.20.1.10"] == {"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out"}
    assert by_id["10.20.2.10"]["Reason"] == "Target.ResponseCodeMismatch"
    assert by_id["10.20.2.10"]["Description"] == "Health checks failed with these codes: [404]"


def test_targets_without_injection_stay_healthy(lab_aws, alb, name):
    """A registered target nobody injected is healthy, as moto reports it."""
    tg = _target_group(lab_aws, alb, name)
    health = lab_aws.client("elbv2").describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]
    assert {h["TargetHealth"]["State"] for h in health} == {"healthy"}


def test_unknown_target_health_state_is_refused():
    """A typo in an injected state fails at once instead of producing an impossible answer."""
    with pytest.raises(ValueError):
        moto_patches.set_target_health("arn:aws:elasticloadbalancing:x", "10.0.0.1", 80, "sick")


def test_alb_reports_its_idle_timeout_from_the_start(lab_aws, alb):
    """describe_load_balancer_attributes lists idle_timeout.timeout_seconds=60 before any change."""
    attrs = lab_aws.client("elbv2").describe_load_balancer_attributes(LoadBalancerArn=alb["arn"])["Attributes"]
    assert {a["Key"]: a["Value"] for a in attrs}["idle_timeout.timeout_seconds"] == "60"


def _web_acl(lab_aws, name, sampled=True):
    visibility = {"SampledRequestsEnabled": sampled, "CloudWatchMetricsEnabled": True}
    return lab_aws.client("wafv2").create_web_acl(
        Name=name, Scope="CLOUDFRONT", DefaultAction={"Allow": {}},
        VisibilityConfig={**visibility, "MetricName": f"{name}-acl"},
        Rules=[{"Name": "GeoBlockJP", "Priority": 0, "Action": {"Block": {}},
                "Statement": {"GeoMatchStatement": {"CountryCodes": ["JP"]}},
                "VisibilityConfig": {**visibility, "MetricName": f"{name}-geo"}}])["Summary"]["ARN"]


def _sampled(lab_aws, arn, metric, start, end):
    return lab_aws.client("wafv2").get_sampled_requests(
        WebAclArn=arn, RuleMetricName=metric, Scope="CLOUDFRONT",
        TimeWindow={"StartTime": start, "EndTime": end}, MaxItems=100)


def test_sampled_requests_show_what_a_rule_blocked(lab_aws, name):
    """get_sampled_requests by the rule's metric name returns the recorded blocked request."""
    arn = _web_acl(lab_aws, name)
    request = {"ClientIP": "203.0.113.5", "Country": "JP", "URI": "/assets/app.js", "Method": "GET",
               "HTTPVersion": "HTTP/2.0", "Headers": [{"Name": "Host", "Value": "cdn.example.com"}]}
    moto_patches.record_sampled_request(arn, "GeoBlockJP", request, "BLOCK")
    now = datetime.datetime.now(datetime.timezone.utc)
    got = _sampled(lab_aws, arn, f"{name}-geo", now - _HOUR, now + _HOUR)
    assert got["PopulationSize"] == 1
    assert got["SampledRequests"][0]["Request"] == request
    assert got["SampledRequests"][0]["Action"] == "BLOCK"


def test_default_action_samples_and_time_window(lab_aws, name):
    """Default_Action returns default-action samples, and only those inside the time window."""
    arn = _web_acl(lab_aws, name)
    now = datetime.datetime.now(datetime.timezone.utc)
    moto_patches.record_sampled_request(arn, "Default_Action", {"URI": "/", "Method": "GET"}, "ALLOW", now)
    moto_patches.record_sampled_request(arn, "Default_Action", {"URI": "/old", "Method": "GET"}, "ALLOW",
                                        now - 5 * _HOUR)
    got = _sampled(lab_aws, arn, "Default_Action", now - _HOUR, now + _HOUR)["SampledRequests"]
    assert [s["Request"]["URI"] for s in got] == ["/"]


def test_samples_filed_by_metric_are_found_by_rule_name_too(lab_aws, name):
    """A sample recorded as the edge simulator does (metric, rule_name=) is found by either name."""
    arn = _web_acl(lab_aws, name)
    moto_patches.record_sampled_request(arn, f"{name}-acl", {"URI": "/", "Method": "GET"}, "ALLOW",
                                        rule_name="Default_Action")
    now = datetime.datetime.now(datetime.timezone.utc)
    for metric in ("Default_Action", f"{name}-acl"):
        got = _sampled(lab_aws, arn, metric, now - _HOUR, now + _HOUR)
        assert [s["Request"]["URI"] for s in got["SampledRequests"]] == ["/"]


def test_no_samples_when_sampling_is_disabled(lab_aws, name):
    """A rule with SampledRequestsEnabled=false returns no samples, as WAF does."""
    arn = _web_acl(lab_aws, name, sampled=False)
    moto_patches.record_sampled_request(arn, "GeoBlockJP", {"URI": "/", "Method": "GET"}, "BLOCK")
    now = datetime.datetime.now(datetime.timezone.utc)
    assert _sampled(lab_aws, arn, f"{name}-geo", now - _HOUR, now + _HOUR)["SampledRequests"] == []


def test_sample_comes_from_the_first_5000_requests_of_the_window(lab_aws, name):
    """WAF API "GetSampledRequests": samples come "from among the first 5,000 requests" of the window and
    the returned EndTime is when the 5,000th arrived; a window starting after them holds the newer request."""
    arn = _web_acl(lab_aws, name)
    now = datetime.datetime.now(datetime.timezone.utc)
    busy_at = now - datetime.timedelta(minutes=40)
    moto_patches.record_sampled_request(arn, "GeoBlockJP", {"URI": "/bot", "Method": "GET"}, "BLOCK", busy_at,
                                        weight=6000)
    moto_patches.record_sampled_request(arn, "Default_Action", {"URI": "/mine", "Method": "GET"}, "BLOCK", now)

    wide = _sampled(lab_aws, arn, "Default_Action", now - 2 * _HOUR, now + datetime.timedelta(seconds=1))
    assert wide["SampledRequests"] == []
    assert abs(wide["TimeWindow"]["EndTime"] - busy_at).total_seconds() < 1

    short = _sampled(lab_aws, arn, "Default_Action", now - datetime.timedelta(minutes=2),
                     now + datetime.timedelta(seconds=1))
    assert [s["Request"]["URI"] for s in short["SampledRequests"]] == ["/mine"]


def test_a_start_older_than_three_hours_is_moved_to_three_hours_ago(lab_aws, name):
    """Only the previous three hours can be sampled; the returned TimeWindow says so."""
    arn = _web_acl(lab_aws, name)
    now = datetime.datetime.now(datetime.timezone.utc)
    got = _sampled(lab_aws, arn, "Default_Action", now - 5 * _HOUR, now)
    assert (got["TimeWindow"]["StartTime"] - (now - 3 * _HOUR)).total_seconds() > -5
