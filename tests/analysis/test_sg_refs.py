"""Tests for "what depends on this security group?": seed 003's lesson, check before you detach."""

from __future__ import annotations

from typing import Any, Dict, List

from wizard.analysis.network.sg_refs import security_group_references

ALL_OUT = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "UserIdGroupPairs": [], "PrefixListIds": []}


def tcp(port: int, *, group: str = None, cidr: str = None) -> Dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
            "UserIdGroupPairs": [{"GroupId": group}] if group else [],
            "IpRanges": [{"CidrIp": cidr}] if cidr else [], "PrefixListIds": []}


def group(gid: str, name: str, ingress: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"GroupId": gid, "GroupName": name, "IpPermissions": ingress, "IpPermissionsEgress": [ALL_OUT]}


def before_detach() -> Dict[str, Any]:
    """Seed 003 before the change: sg-old is on the ALB, and sg-ecs admits 80 only from it."""
    return {
        "security_groups": [
            group("sg-old", "alb-allow-all", [tcp(80, cidr="0.0.0.0/0"), tcp(443, cidr="0.0.0.0/0")]),
            group("sg-cf", "alb-cloudfront-only", []),
            group("sg-ecs", "ecs-existing", [tcp(80, group="sg-old")]),
            group("sg-db", "db", [tcp(5432, group="sg-old"), tcp(5432, cidr="10.0.0.0/16")]),
        ],
        "load_balancers": [{"LoadBalancerName": "alb-x", "SecurityGroups": ["sg-old", "sg-cf"]}],
        "network_interfaces": [
            {"NetworkInterfaceId": "eni-alb", "Description": "ELB app/alb-x/abc", "PrivateIpAddress": "10.0.1.5",
             "Groups": [{"GroupId": "sg-old"}, {"GroupId": "sg-cf"}]},
            {"NetworkInterfaceId": "eni-task", "PrivateIpAddress": "10.0.11.10", "Groups": [{"GroupId": "sg-ecs"}]},
        ],
        "ecs_services": [{"serviceName": "web", "networkConfiguration": {
            "awsvpcConfiguration": {"securityGroups": ["sg-ecs"], "subnets": ["subnet-t1"]}}}],
    }


def test_lists_the_rules_that_reference_the_group():
    """The ECS group's rule that names sg-old is found, described exactly."""
    refs = security_group_references(before_detach(), "sg-old")
    assert [r.describe() for r in refs.rules] == [
        "sg-ecs (ecs-existing) ingress tcp/80 from sg-old (alb-allow-all)",
        "sg-db (db) ingress tcp/5432 from sg-old (alb-allow-all)",
    ]


def test_lists_what_carries_the_group():
    """The ALB and its interface carry sg-old; the ECS task does not."""
    refs = security_group_references(before_detach(), "sg-old")
    assert refs.load_balancers == ["alb-x"]
    assert [e["id"] for e in refs.network_interfaces] == ["eni-alb"]
    assert refs.ecs_services == []


def test_says_the_ecs_group_would_admit_port_80_from_nobody():
    """Detaching sg-old would leave sg-ecs admitting tcp/80 from nobody, and the ALB would lose it."""
    refs = security_group_references(before_detach(), "sg-old")
    assert refs.if_removed[0] == ("sg-ecs (ecs-existing) would admit tcp/80 from nobody "
                                  "(load balancer alb-x would lose it).")


def test_says_what_else_still_admits_when_another_rule_remains():
    """sg-db also admits 5432 from 10.0.0.0/16, so removal narrows it rather than closing it."""
    refs = security_group_references(before_detach(), "sg-old")
    assert refs.if_removed[1].startswith("sg-db (db) would admit tcp/5432 only from 10.0.0.0/16 on tcp/5432")


def test_warns_that_detaching_is_silent_while_deleting_is_refused():
    """The removal notes say AWS blocks the delete but not the detach."""
    refs = security_group_references(before_detach(), "sg-old")
    note = next(n for n in refs.if_removed if "DependencyViolation" in n)
    assert "detaching it from load balancer alb-x is accepted without warning" in note


def test_says_what_the_carrier_itself_stops_admitting():
    """Detaching sg-old from the ALB also closes the ALB's own 0.0.0.0/0 rules on 80 and 443."""
    refs = security_group_references(before_detach(), "sg-old")
    assert "load balancer alb-x would stop admitting tcp/80 from 0.0.0.0/0 " \
           "(granted only by sg-old (alb-allow-all))." in refs.if_removed
    assert any(n.startswith("load balancer alb-x would stop admitting tcp/443") for n in refs.if_removed)


def test_a_group_only_carried_names_its_carriers():
    """sg-ecs is referenced by nobody but carried by the ECS service and its task."""
    refs = security_group_references(before_detach(), "sg-ecs")
    assert refs.rules == []
    assert refs.ecs_services == ["web"]
    assert [e["id"] for e in refs.network_interfaces] == ["eni-task"]


def test_a_deleted_group_is_reported_as_gone():
    """A group that no longer exists, still named by a rule, is reported as admitting nobody."""
    inv = before_detach()
    inv["security_groups"] = [g for g in inv["security_groups"] if g["GroupId"] != "sg-old"]
    inv["missing_groups"] = ["sg-old"]
    refs = security_group_references(inv, "sg-old")
    assert not refs.exists
    assert refs.if_removed[0].startswith("sg-old does not exist any more")
    assert len(refs.rules) == 2


def test_an_unused_group_says_so():
    """A group nobody references or carries is reported as unused."""
    refs = security_group_references(before_detach(), "sg-cf")
    assert refs.rules == [] and refs.network_interfaces[0]["id"] == "eni-alb"
    inv = before_detach()
    inv["security_groups"].append(group("sg-lonely", "lonely", []))
    assert security_group_references(inv, "sg-lonely").if_removed == [
        "Nothing this scan can see references or carries sg-lonely (lonely)."]


def test_a_carrier_with_another_admitted_group_keeps_access():
    """When sg-ecs also admits sg-cf, which the ALB has too, the ALB would not lose port 80."""
    inv = before_detach()
    inv["security_groups"][2]["IpPermissions"].append(tcp(80, group="sg-cf"))
    refs = security_group_references(inv, "sg-old")
    assert refs.if_removed[0] == ("sg-ecs (ecs-existing) would admit tcp/80 only from "
                                  "sg-cf (alb-cloudfront-only) on tcp/80.")
