"""The typed network facts read describe_* items the way AWS writes them, and a partial or odd item
gives a model with empty parts rather than an exception in the middle of a diagnosis."""

from __future__ import annotations

from wizard.aws.network_models import (ListenerRule, LoadBalancer, NetworkInterface, SecurityGroup, TargetGroup,
                                       TargetHealth, index_interfaces, listeners)


def test_security_group_rules_are_one_record_per_peer_with_names_and_port_ranges():
    raw = {"GroupId": "sg-1", "GroupName": "tasks", "VpcId": "vpc-1", "IpPermissions": [
        {"IpProtocol": "6", "FromPort": 80, "ToPort": 80,
         "IpRanges": [{"CidrIp": "10.0.0.0/24", "Description": "office"}],
         "UserIdGroupPairs": [{"GroupId": "sg-alb"}], "PrefixListIds": [{"PrefixListId": "pl-cf"}]},
        {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
    ], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
    group = SecurityGroup.from_raw(raw, {"sg-alb": "alb-public"}, {"pl-cf": "cloudfront"})
    assert [r.describe() for r in group.rules] == [
        "sg-1 (tasks) ingress tcp/80 from 10.0.0.0/24",
        "sg-1 (tasks) ingress tcp/80 from pl-cf (cloudfront)",
        "sg-1 (tasks) ingress tcp/80 from sg-alb (alb-public)",
        "sg-1 (tasks) ingress icmp/all ports from 0.0.0.0/0",
        "sg-1 (tasks) egress all traffic to 0.0.0.0/0",
    ]
    assert group.rules[0].description == "office"
    assert group.rules[-1].covers_tcp(5432) and not group.rules[3].covers_tcp(80)


def test_interfaces_know_every_private_address_and_their_instance():
    raw = {"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.1.5", "SubnetId": "subnet-1",
           "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5"}, {"PrivateIpAddress": "10.0.1.6"}],
           "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}, "Groups": [{"GroupId": "sg-1"}]}
    eni = NetworkInterface.from_raw(raw)
    assert (eni.private_ips, eni.instance, eni.device_index, eni.groups) == (("10.0.1.5", "10.0.1.6"), "i-1", 0,
                                                                            ("sg-1",))
    index = index_interfaces([raw])
    assert (set(index.by_ip), set(index.by_instance), set(index.by_group)) == ({"10.0.1.5", "10.0.1.6"}, {"i-1"}, {"sg-1"})


def test_partial_items_give_empty_parts_not_errors():
    assert NetworkInterface.from_raw({"NetworkInterfaceId": "eni-2", "Groups": None, "Attachment": None}).groups == ()
    health = TargetHealth.from_raw({"Target": {"Id": "10.0.1.5"}})
    assert (health.target_id, health.port, health.state, health.reason) == ("10.0.1.5", None, "unknown", "")
    assert SecurityGroup.from_raw({"GroupId": "sg-3", "IpPermissions": None}).rules == ()
    assert LoadBalancer.from_raw(None) is None


def test_listeners_and_rules_say_where_they_forward():
    (lst,) = listeners([{"Port": 443, "Protocol": "https", "ListenerArn": "arn:aws:elasticloadbalancing:x/l/1/abc",
                         "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
                             {"TargetGroupArn": "tg-a"}, {"TargetGroupArn": "tg-b"}]}}]}])
    assert (lst.port, lst.protocol, lst.short_id) == (443, "HTTPS", "abc")
    assert lst.default_actions[0].target_groups == ("tg-a", "tg-b")
    rule = ListenerRule.from_raw({"Priority": "default", "Conditions": [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}], "Actions": []})
    assert (rule.priority, rule.conditions) == (1 << 30, "path-pattern /api/*")
    tg = TargetGroup.from_raw({"TargetGroupArn": "tg-a", "TargetGroupName": "web", "Port": 80})
    assert (tg.target_type, tg.health_check_port, tg.matcher) == ("instance", "traffic-port", "200")
