"""Tests for network ACL evaluation: rule order, explicit and implicit deny, ports and return traffic."""

from __future__ import annotations

import ipaddress

from wizard.analysis.network.nacl import acl_for_subnet, evaluate, suggested_rule_number


def net(text: str):
    return ipaddress.ip_network(text)


def entry(number, egress, action, cidr="0.0.0.0/0", ports=None, proto="6"):
    e = {"RuleNumber": number, "Egress": egress, "RuleAction": action, "CidrBlock": cidr, "Protocol": proto}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


def acl(*entries, acl_id="acl-1"):
    return {"NetworkAclId": acl_id, "Entries": list(entries)}


def test_lowest_rule_number_wins():
    """A deny numbered 90 beats an allow numbered 100 for the same traffic."""
    v = evaluate(acl(entry(100, False, "allow"), entry(90, False, "deny", ports=(443, 443))),
                 False, [net("0.0.0.0/0")], 443, 443)
    assert v.status == "blocked"
    assert v.first_deny.rule_label == "90"


def test_missing_star_rule_still_denies():
    """moto's custom ACLs have no `*` entry; unmatched traffic is still denied, by `*`."""
    v = evaluate(acl(entry(100, False, "allow", ports=(443, 443))), False, [net("0.0.0.0/0")], 80, 80)
    assert v.status == "blocked"
    assert v.first_deny.rule_label == "*"


def test_ephemeral_range_only_partly_allowed_is_blocked():
    """Allowing 32768-65535 (the Linux range) leaves 1024-32767, which load balancers also use, dropped."""
    v = evaluate(acl(entry(100, True, "allow", ports=(32768, 65535))), True, [net("10.0.1.0/24")], 1024, 65535)
    assert v.status == "blocked"
    deny = v.first_deny
    assert (deny.port_lo, deny.port_hi, deny.rule_label) == (1024, 32767, "*")


def test_allow_covering_the_whole_peer_is_ok():
    """An allow for the VPC CIDR covers a peer subnet inside it."""
    v = evaluate(acl(entry(100, False, "allow", "10.0.0.0/16", (1024, 65535))), False,
                 [net("10.0.1.0/24")], 1024, 65535)
    assert v.status == "ok"
    assert v.describe() == "acl-1 inbound rule 100 allows tcp/1024-65535"


def test_allow_for_part_of_the_peer_blocks_the_rest():
    """An allow for one /25 of the peer /24 leaves the other half to the `*` rule."""
    v = evaluate(acl(entry(100, False, "allow", "10.0.1.0/25")), False, [net("10.0.1.0/24")], 80, 80)
    assert v.status == "blocked"
    assert v.first_deny.nets == (net("10.0.1.128/25"),)


def test_inexact_peer_with_partial_deny_is_unknown():
    """When the peer's real addresses are unknown (0.0.0.0/0 stands in), a partial deny is unknown."""
    v = evaluate(acl(entry(100, False, "allow", "130.176.0.0/16")), False, [net("0.0.0.0/0")], 443, 443,
                 exact=False)
    assert v.status == "unknown"


def test_protocol_all_matches_tcp():
    """An entry with protocol -1 matches TCP on any port."""
    v = evaluate(acl(entry(100, True, "allow", proto="-1")), True, [net("10.0.0.0/8")], 1024, 65535)
    assert v.status == "ok"


def test_udp_entries_do_not_match_tcp():
    """An allow for UDP does not let TCP through."""
    v = evaluate(acl(entry(100, False, "allow", proto="17")), False, [net("0.0.0.0/0")], 443, 443)
    assert v.status == "blocked"


def test_subnet_without_association_uses_the_vpc_default():
    """A subnet no ACL names falls back to the VPC's default ACL."""
    acls = [{"NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": True, "Associations": []},
            {"NetworkAclId": "acl-app", "VpcId": "vpc-1", "IsDefault": False,
             "Associations": [{"SubnetId": "subnet-app"}]}]
    assert acl_for_subnet(acls, "subnet-app", "vpc-1")["NetworkAclId"] == "acl-app"
    assert acl_for_subnet(acls, "subnet-other", "vpc-1")["NetworkAclId"] == "acl-default"


def test_suggested_rule_is_read_before_the_deny():
    """The suggested allow goes just before an explicit deny, and after the allows for the `*` rule."""
    a = acl(entry(90, False, "deny"), entry(89, False, "allow"), entry(100, False, "allow"))
    assert suggested_rule_number(a, False, 90) == 88
    assert suggested_rule_number(a, False, 32767) == 110
