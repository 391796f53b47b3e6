"""Which WAF sample window the reader asks for, and which rules it asks about."""

from __future__ import annotations

import datetime

from wizard.aws.cloudfront import _rule_metrics, sample_window

NOW = datetime.datetime(2025, 1, 1, 12, 0, tzinfo=datetime.timezone.utc)


def test_window_starts_just_before_the_reproduced_request():
    sent = NOW - datetime.timedelta(seconds=30)
    window = sample_window(sent, NOW)
    assert window["StartTime"] == sent - datetime.timedelta(minutes=2)
    assert window["EndTime"] == NOW


def test_without_the_request_time_the_three_hours_waf_keeps():
    assert sample_window(None, NOW)["StartTime"] == NOW - datetime.timedelta(hours=3)


def test_firewall_manager_rule_groups_are_sampled_too():
    acl = {"PreProcessFirewallManagerRuleGroups": [{"Name": "fms-pre", "VisibilityConfig": {"MetricName": "fms-pre"}}],
           "Rules": [{"Name": "r1", "VisibilityConfig": {"MetricName": "m1"}}],
           "PostProcessFirewallManagerRuleGroups": [{"Name": "fms-post",
                                                     "VisibilityConfig": {"MetricName": "fms-post",
                                                                          "SampledRequestsEnabled": False}}],
           "VisibilityConfig": {"MetricName": "acl"}}
    metrics, off = _rule_metrics(acl)
    assert metrics == [("fms-pre", "fms-pre"), ("m1", "r1"), ("acl", "Default_Action")]
    assert off == ["fms-post"]
