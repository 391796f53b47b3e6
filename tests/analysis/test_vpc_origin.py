"""Tests for CloudFront VPC origins: the kind comes from VpcOriginConfig (whatever the domain), and the
private origin's groups must admit CloudFront's service-managed group (cf.vpc-origin.sg-missing); the
origin-facing prefix list does not. Inventories are synthetic dicts in boto3 response shapes."""

from __future__ import annotations

from typing import Any, Dict, List

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.analysis.network.network_inventory import inventory_from_dict
from wizard.analysis.network.vpc_origin import vpc_origin_path

from tests.analysis.test_reachability import CF_PL, group, perm

SERVICE = {"GroupId": "sg-cfvo", "GroupName": "CloudFront-VPCOrigins-Service-SG", "VpcId": "vpc-1",
           "IpPermissions": [], "IpPermissionsEgress": []}


def test_a_vpc_origin_is_its_own_kind_even_with_a_load_balancer_name():
    raw = {"Id": "o", "DomainName": "internal-web-123.us-east-1.elb.amazonaws.com",
           "VpcOriginConfig": {"VpcOriginId": "vo_abc"}}
    assert classify_origin(raw).kind == "vpc-origin"
    assert classify_origin({"Id": "o", "DomainName": raw["DomainName"]}).kind == "alb"


def _inventory(ingress: List[Dict[str, Any]], *, service: bool = True, groups_read: bool = True) -> Dict[str, Any]:
    return {
        "region": "us-east-1",
        "origin": {"Id": "private", "DomainName": "ip-10-50-10-5.ec2.internal",
                   "VpcOriginConfig": {"VpcOriginId": "vo_abc"},
                   "CustomOriginConfig": {"OriginProtocolPolicy": "http-only", "HTTPPort": 80, "HTTPSPort": 443}},
        "load_balancer": {"LoadBalancerName": "i-1 (web)", "LoadBalancerArn": "i-1", "Type": "instance",
                          "VpcId": "vpc-1", "SecurityGroups": ["sg-web"],
                          "AvailabilityZones": [{"SubnetId": "subnet-priv"}]},
        "security_groups": ([group("sg-web", "web-private", ingress)] if groups_read else []) + ([SERVICE] if service else []),
        "subnets": [{"SubnetId": "subnet-priv", "VpcId": "vpc-1", "CidrBlock": "10.50.10.0/24"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18"]},
        "unknowns": [] if groups_read else [{"layer": "network", "what": "ec2:DescribeSecurityGroups (the VPC origin's "
                                             "security groups)", "reason": "AccessDenied"}],
    }


def _ids(inv):
    hits, unknowns = vpc_origin_path(inventory_from_dict(inv))
    return [h.id for h in hits], unknowns


def test_the_prefix_list_does_not_admit_vpc_origin_traffic():
    hits, unknowns = vpc_origin_path(inventory_from_dict(_inventory([perm(80, pl=CF_PL)])))
    assert [h.id for h in hits] == ["cf.vpc-origin.sg-missing"] and unknowns == []
    assert hits[0].params["service_sg"] == "sg-cfvo" and hits[0].params["origin_sg"] == "sg-web"
    assert hits[0].params["port"] == "80" and hits[0].params["vpc_origin_id"] == "vo_abc"


def test_a_rule_for_the_service_group_or_the_subnet_range_admits_it():
    assert _ids(_inventory([perm(80, group="sg-cfvo")])) == ([], [])
    assert _ids(_inventory([perm(80, cidr="10.50.0.0/16")])) == ([], [])


def test_the_service_group_on_another_port_does_not():
    assert _ids(_inventory([perm(443, group="sg-cfvo")]))[0] == ["cf.vpc-origin.sg-missing"]


def test_without_the_service_group_or_the_origin_s_groups_it_is_unknown_not_a_finding():
    ids, unknowns = _ids(_inventory([perm(80, pl=CF_PL)], service=False))
    assert ids == [] and any("CloudFront-VPCOrigins-Service-SG" in u.what for u in unknowns)
    ids, unknowns = _ids(_inventory([], groups_read=False))
    assert ids == [] and unknowns
