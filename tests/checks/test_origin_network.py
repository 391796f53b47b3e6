"""Check tests for EC2 and VPC origins: what the checks say from the probes' inventories, and that a
probe that failed makes the network layer unknown, never a finding."""

from __future__ import annotations

from wizard.checks.origin_network import origin_host, vpc_origin

from tests.analysis.test_host_origin import _inventory as ec2_inventory
from tests.analysis.test_reachability import CF_PL, perm
from tests.analysis.test_vpc_origin import _inventory as vpc_inventory

from .facts_builder import DIST_ID, answer, build, put

EC2 = {"Id": "web-ec2", "DomainName": "ec2-54-1-2-3.compute-1.amazonaws.com",
       "CustomOriginConfig": {"OriginProtocolPolicy": "http-only", "HTTPPort": 80, "HTTPSPort": 443}}
VPC = {"Id": "private", "DomainName": "ip-10-50-10-5.ec2.internal", "VpcOriginConfig": {"VpcOriginId": "vo_abc"}}


def test_an_ec2_origin_closed_to_cloudfront_is_named_with_the_fix_s_distribution():
    facts = build("/orders", viewer=answer(504, []), origins=(EC2,))
    assert facts.origin_kind == "ec2"
    put(facts, "aws.origin_host", ec2_inventory([perm(80, cidr="198.51.100.0/24")]))
    hits, unknowns = origin_host(facts)
    assert [h.id for h in hits] == ["sg.origin-ingress-missing-cloudfront"] and unknowns == []
    assert hits[0].params["distribution_id"] == DIST_ID


def test_an_ec2_origin_read_that_was_denied_is_unknown():
    facts = build("/orders", viewer=answer(504, []), origins=(EC2,))
    put(facts, "aws.origin_host", None, status="denied")
    hits, unknowns = origin_host(facts)
    assert hits == [] and [u.layer for u in unknowns] == ["network"]


def test_a_vpc_origin_whose_group_admits_only_the_prefix_list():
    facts = build("/orders", viewer=answer(504, []), origins=(VPC,))
    assert facts.origin_kind == "vpc-origin"
    put(facts, "aws.vpc_origin", vpc_inventory([perm(80, pl=CF_PL)]))
    hits, _ = vpc_origin(facts)
    assert [h.id for h in hits] == ["cf.vpc-origin.sg-missing"] and hits[0].params["distribution_id"] == DIST_ID
    put(facts, "aws.vpc_origin", None, status="denied")
    hits, unknowns = vpc_origin(facts)
    assert hits == [] and unknowns
