"""Tests for EC2 instance (and NLB) custom origins: the origin kind from the DNS name, the groups that
filter the instance's public address, and CloudFront's hop judged by the reachability walk and named
sg.origin-ingress-missing-cloudfront. Inventories are synthetic dicts in boto3 response shapes."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.analysis.network.host_origin import analyze_host_origin, as_origin_hits
from wizard.analysis.network.network_inventory import inventory_from_dict
from wizard.aws.origin_host import instance_as_origin, instance_groups, parse_ec2_name
from wizard.model import Hit, Unknown

from tests.analysis.test_reachability import CF_NAME, CF_PL, DEFAULT_ACL, group, perm


@pytest.mark.parametrize("domain,kind", [
    ("ec2-54-214-26-101.compute-1.amazonaws.com", "ec2"),
    ("ec2-3-120-1-9.eu-central-1.compute.amazonaws.com", "ec2"),
    ("EC2-3-120-1-9.eu-central-1.compute.amazonaws.com.", "ec2"),
    ("ec2-instance.example.com", "custom"),
    ("web-1234567890abcdef.elb.eu-west-1.amazonaws.com", "alb"),  # an NLB: the load balancer path
])
def test_an_ec2_public_dns_name_is_an_ec2_origin_not_a_generic_custom_one(domain, kind):
    assert classify_origin({"Id": "o", "DomainName": domain}).kind == kind


def test_the_public_address_and_region_come_from_the_name():
    assert parse_ec2_name("ec2-54-214-26-101.compute-1.amazonaws.com") == {"ip": "54.214.26.101", "region": "us-east-1"}
    assert parse_ec2_name("ec2-3-120-1-9.eu-central-1.compute.amazonaws.com") == {"ip": "3.120.1.9",
                                                                                 "region": "eu-central-1"}
    assert parse_ec2_name("origin.example.com") is None


def test_the_groups_are_those_of_the_interface_carrying_the_public_address():
    instance = {"InstanceId": "i-1", "PublicIpAddress": "54.1.2.3", "SecurityGroups": [],
                "NetworkInterfaces": [
                    {"Attachment": {"DeviceIndex": 1}, "Groups": [{"GroupId": "sg-other"}]},
                    {"Attachment": {"DeviceIndex": 0}, "Association": {"PublicIp": "54.1.2.3"},
                     "Groups": [{"GroupId": "sg-web"}]}]}
    assert instance_groups(instance) == ["sg-web"]
    assert instance_groups({"SecurityGroups": [{"GroupId": "sg-a"}]}) == ["sg-a"]


def _inventory(ingress: List[Dict[str, Any]], *, groups_read: bool = True) -> Dict[str, Any]:
    instance = {"InstanceId": "i-0abc", "PublicIpAddress": "54.1.2.3", "VpcId": "vpc-1", "SubnetId": "subnet-a",
                "Tags": [{"Key": "Name", "Value": "web-1"}], "SecurityGroups": [{"GroupId": "sg-web"}]}
    inv: Dict[str, Any] = {
        "region": "us-east-1",
        "origin": {"Id": "web-ec2", "DomainName": "ec2-54-1-2-3.compute-1.amazonaws.com",
                   "CustomOriginConfig": {"OriginProtocolPolicy": "http-only", "HTTPPort": 80, "HTTPSPort": 443}},
        "load_balancer": instance_as_origin(instance),
        "security_groups": [group("sg-web", "web-instance", ingress)] if groups_read else [],
        "prefix_lists": [{"PrefixListId": CF_PL, "PrefixListName": CF_NAME, "OwnerId": "AWS"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18", "15.158.0.0/16"]},
        "subnets": [{"SubnetId": "subnet-a", "VpcId": "vpc-1", "CidrBlock": "10.20.0.0/24"}],
        "network_acls": [DEFAULT_ACL],
        "unknowns": [] if groups_read else [{"layer": "network", "what": "ec2:DescribeSecurityGroups (the origin's "
                                             "security groups)", "reason": "AccessDenied"}],
    }
    return inv


def test_a_group_admitting_only_the_office_is_the_root_cause_named_on_the_instance():
    analysis = analyze_host_origin(inventory_from_dict(_inventory([perm(80, cidr="198.51.100.0/24")])))
    assert [h.id for h in analysis.hits] == ["sg.origin-ingress-missing-cloudfront"]
    params = analysis.hits[0].params
    assert params["origin_sg"] == "sg-web" and params["port"] == "80" and params["prefix_list_id"] == CF_PL
    assert params["origin"] == "i-0abc (web-1)" and params["origin_kind"] == "EC2 instance"
    assert any("The EC2 instance i-0abc (web-1) has" in e for e in analysis.hits[0].evidence)


def test_the_prefix_list_on_the_origin_port_lets_cloudfront_in():
    analysis = analyze_host_origin(inventory_from_dict(_inventory([perm(80, pl=CF_PL)])))
    assert analysis.hits == [] and analysis.unknowns == []
    assert not analysis.blocked_edges()


def test_the_prefix_list_on_another_port_does_not():
    analysis = analyze_host_origin(inventory_from_dict(_inventory([perm(443, pl=CF_PL)])))
    assert [h.id for h in analysis.hits] == ["sg.origin-ingress-missing-cloudfront"]


def test_groups_that_could_not_be_read_are_unknown_never_a_finding():
    analysis = analyze_host_origin(inventory_from_dict(_inventory([], groups_read=False)))
    assert analysis.hits == []
    assert any("DescribeSecurityGroups" in u.what for u in analysis.unknowns)


def test_an_instance_that_was_not_found_is_unknown():
    inv = _inventory([])
    inv["load_balancer"] = None
    inv["unknowns"] = [{"layer": "network", "what": "ec2:DescribeInstances (the instance behind x)",
                        "reason": "no instance of this account has the public address"}]
    analysis = analyze_host_origin(inventory_from_dict(inv))
    assert analysis.hits == [] and [u.what for u in analysis.unknowns] == ["ec2:DescribeInstances (the instance behind x)"]


def test_an_nlb_with_security_groups_gets_the_origin_id_an_alb_keeps_its_own():
    hit = Hit("sg.alb-ingress-missing-cloudfront", ("The ALB has sg-1.",),
              {"alb": "web-nlb", "alb_sg": "sg-1", "alb_sgs": "sg-1", "port": "443", "prefix_list_id": CF_PL})
    nlb = inventory_from_dict({"load_balancer": {"LoadBalancerName": "web-nlb", "Type": "network"}})
    alb = inventory_from_dict({"load_balancer": {"LoadBalancerName": "web-alb", "Type": "application"}})
    renamed = as_origin_hits(nlb, [hit])
    assert [h.id for h in renamed] == ["sg.origin-ingress-missing-cloudfront"]
    assert renamed[0].params["origin_kind"] == "Network Load Balancer" and renamed[0].params["origin_sg"] == "sg-1"
    assert as_origin_hits(alb, [hit]) == [hit]


def _nlb_inventory(target_ingress: List[Dict[str, Any]], nlb_groups: List[str] = ()) -> Dict[str, Any]:
    tg_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tcp/0123456789abcdef"
    lb_arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/web-nlb/0123456789abcdef"
    return {
        "region": "us-east-1",
        "origin": {"Id": "web-nlb", "DomainName": "web-nlb-0123.elb.us-east-1.amazonaws.com",
                   "CustomOriginConfig": {"OriginProtocolPolicy": "http-only", "HTTPPort": 80, "HTTPSPort": 443}},
        "load_balancer": {"LoadBalancerName": "web-nlb", "LoadBalancerArn": lb_arn, "Type": "network",
                          "Scheme": "internet-facing", "VpcId": "vpc-1", "SecurityGroups": list(nlb_groups),
                          "AvailabilityZones": [{"SubnetId": "subnet-pub"}]},
        "listeners": [{"ListenerArn": lb_arn + "/l1", "Port": 80, "Protocol": "TCP",
                       "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg_arn}]}],
        "target_groups": [{"TargetGroupArn": tg_arn, "TargetGroupName": "web-tcp", "Protocol": "TCP", "Port": 80,
                           "TargetType": "instance", "HealthCheckPort": "traffic-port", "HealthCheckProtocol": "TCP"}],
        "target_health": {tg_arn: [{"Target": {"Id": "i-1", "Port": 80}, "TargetHealth": {"State": "healthy"}}]},
        "network_interfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.30.10.5", "SubnetId": "subnet-priv",
                                "VpcId": "vpc-1", "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0},
                                "Groups": [{"GroupId": "sg-web"}]}],
        "security_groups": [group("sg-web", "web-instance", target_ingress)],
        "prefix_lists": [{"PrefixListId": CF_PL, "PrefixListName": CF_NAME, "OwnerId": "AWS"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18"]},
        "subnets": [{"SubnetId": "subnet-pub", "VpcId": "vpc-1", "CidrBlock": "10.30.0.0/24"},
                    {"SubnetId": "subnet-priv", "VpcId": "vpc-1", "CidrBlock": "10.30.10.0/24"}],
        "network_acls": [DEFAULT_ACL],
    }


def _nlb_hits(inv: Dict[str, Any]) -> List[str]:
    from wizard.analysis.network.host_origin import nlb_client_ip_hits
    from wizard.analysis.network.reachability import analyze_origin_path

    parsed = inventory_from_dict(inv)
    analysis = analyze_origin_path(parsed, None)
    return sorted(h.id for h in as_origin_hits(parsed, analysis.hits + nlb_client_ip_hits(parsed)))


def test_an_nlb_without_groups_passes_cloudfront_to_instances_that_must_admit_it():
    # The VPC's range lets the NLB's health checks in; CloudFront's addresses are not admitted.
    assert _nlb_hits(_nlb_inventory([perm(80, cidr="10.30.0.0/16")])) == ["sg.origin-ingress-missing-cloudfront"]


def test_an_nlb_without_groups_and_instances_admitting_cloudfront_and_the_vpc_is_healthy():
    # A load balancer without groups filters nothing outbound either (no sg.alb-egress-blocked).
    assert _nlb_hits(_nlb_inventory([perm(80, cidr="10.30.0.0/16"), perm(80, pl=CF_PL)])) == []


def test_an_nlb_with_groups_is_judged_on_its_own_groups():
    inv = _nlb_inventory([perm(80, group="sg-nlb")], nlb_groups=["sg-nlb"])
    inv["security_groups"].append(group("sg-nlb", "nlb-front", [perm(80, cidr="198.51.100.0/24")]))
    assert _nlb_hits(inv) == ["sg.origin-ingress-missing-cloudfront"]
    inv["security_groups"][-1] = group("sg-nlb", "nlb-front", [perm(80, pl=CF_PL)])
    assert _nlb_hits(inv) == []
