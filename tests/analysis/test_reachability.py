"""Tests for the CloudFront → ALB → targets reachability analysis, told as the seed-003 story and its
variants; inventories are synthetic dicts in boto3 response shapes."""

from __future__ import annotations

import copy
from typing import Any, Dict, List

import pytest

from wizard.analysis.network.network_inventory import inventory_from_dict
from wizard.analysis.network.ports import origin_port_plan
from wizard.analysis.network.reachability import analyze_origin_path

CF_PL = "pl-58a04531"
CF_NAME = "com.amazonaws.global.cloudfront.origin-facing"
TG_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/0123456789abcdef"
ALB_ARN = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/alb-x/0123456789abcdef"


def perm(port_from: int, port_to: int = None, *, cidr: str = None, group: str = None, pl: str = None,
         proto: str = "tcp") -> Dict[str, Any]:
    """One IpPermission as describe_security_groups returns it."""
    p: Dict[str, Any] = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                         "UserIdGroupPairs": []}
    if proto != "-1":
        p["FromPort"], p["ToPort"] = port_from, port_to if port_to is not None else port_from
    if cidr:
        p["IpRanges"].append({"CidrIp": cidr})
    if group:
        p["UserIdGroupPairs"].append({"GroupId": group, "UserId": "123456789012"})
    if pl:
        p["PrefixListIds"].append({"PrefixListId": pl})
    return p


ALLOW_ALL_OUT = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                 "PrefixListIds": [], "UserIdGroupPairs": []}


def group(gid: str, name: str, ingress: List[Dict[str, Any]], egress: List[Dict[str, Any]] = None) -> Dict[str, Any]:
    return {"GroupId": gid, "GroupName": name, "VpcId": "vpc-1", "IpPermissions": ingress,
            "IpPermissionsEgress": [ALLOW_ALL_OUT] if egress is None else egress}


def acl_entry(number: int, egress: bool, action: str, cidr: str = "0.0.0.0/0", ports=None, proto="-1"):
    e = {"RuleNumber": number, "Egress": egress, "RuleAction": action, "CidrBlock": cidr, "Protocol": proto}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


DEFAULT_ACL = {
    "NetworkAclId": "acl-default", "VpcId": "vpc-1", "IsDefault": True, "Associations": [],
    "Entries": [acl_entry(100, False, "allow"), acl_entry(32767, False, "deny"),
                acl_entry(100, True, "allow"), acl_entry(32767, True, "deny")],
}


def seed003() -> Dict[str, Any]:
    """Seed 003 after the "hardening": the ALB kept only sg-cf (CloudFront prefix list on 443); the ECS
    group still admits port 80 only from sg-old, the group that was detached from the ALB."""
    return {
        "region": "ap-northeast-1",
        "origin": {"Id": "alb-origin", "DomainName": "dualstack.alb-x-123.ap-northeast-1.elb.amazonaws.com",
                   "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}},
        "viewer_protocol_policies": ["redirect-to-https"],
        "load_balancer": {"LoadBalancerArn": ALB_ARN, "LoadBalancerName": "alb-x", "Scheme": "internet-facing",
                          "DNSName": "alb-x-123.ap-northeast-1.elb.amazonaws.com", "VpcId": "vpc-1",
                          "Type": "application", "SecurityGroups": ["sg-cf"],
                          "AvailabilityZones": [{"ZoneName": "ap-northeast-1a", "SubnetId": "subnet-a1"},
                                                {"ZoneName": "ap-northeast-1c", "SubnetId": "subnet-a2"}]},
        "listeners": [{"ListenerArn": ALB_ARN.replace("loadbalancer", "listener") + "/l443", "Port": 443,
                       "Protocol": "HTTPS", "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG_ARN}]}],
        "target_groups": [{"TargetGroupArn": TG_ARN, "TargetGroupName": "web", "TargetType": "ip", "Port": 80,
                           "Protocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckProtocol": "HTTP",
                           "HealthCheckPath": "/health", "Matcher": {"HttpCode": "200"}}],
        "target_health": {TG_ARN: [
            {"Target": {"Id": "10.0.11.10", "Port": 80},
             "TargetHealth": {"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out"}},
            {"Target": {"Id": "10.0.12.10", "Port": 80},
             "TargetHealth": {"State": "unhealthy", "Reason": "Target.Timeout", "Description": "Request timed out"}},
        ]},
        "security_groups": [
            group("sg-old", "alb-allow-all", [perm(80, cidr="0.0.0.0/0"), perm(443, cidr="0.0.0.0/0")]),
            group("sg-cf", "alb-cloudfront-only", [perm(443, pl=CF_PL)]),
            group("sg-ecs", "ecs-existing", [perm(80, group="sg-old")]),
        ],
        "prefix_lists": [{"PrefixListId": CF_PL, "PrefixListName": CF_NAME, "OwnerId": "AWS"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18", "15.158.0.0/16", "13.124.199.0/24"]},
        "network_interfaces": [
            {"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.11.10", "SubnetId": "subnet-t1",
             "Description": "arn:aws:ecs:ap-northeast-1:123456789012:attachment/a1",
             "Groups": [{"GroupId": "sg-ecs", "GroupName": "ecs-existing"}]},
            {"NetworkInterfaceId": "eni-2", "PrivateIpAddress": "10.0.12.10", "SubnetId": "subnet-t2",
             "Description": "arn:aws:ecs:ap-northeast-1:123456789012:attachment/a2",
             "Groups": [{"GroupId": "sg-ecs", "GroupName": "ecs-existing"}]},
        ],
        "subnets": [{"SubnetId": s, "CidrBlock": c, "VpcId": "vpc-1"} for s, c in
                    (("subnet-a1", "10.0.1.0/24"), ("subnet-a2", "10.0.2.0/24"),
                     ("subnet-t1", "10.0.11.0/24"), ("subnet-t2", "10.0.12.0/24"))],
        "network_acls": [copy.deepcopy(DEFAULT_ACL)],
        "ecs_services": [{"serviceName": "web", "desiredCount": 2, "runningCount": 2,
                          "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "app", "containerPort": 80}],
                          "networkConfiguration": {"awsvpcConfiguration": {"securityGroups": ["sg-ecs"],
                                                                           "subnets": ["subnet-t1", "subnet-t2"]}}}],
    }


def fixed() -> Dict[str, Any]:
    """Seed 003 after the article's fix: sg-ecs admits port 80 from sg-cf, the group the ALB has."""
    inv = seed003()
    inv["security_groups"][2] = group("sg-ecs", "ecs-existing", [perm(80, group="sg-cf")])
    for d in inv["target_health"][TG_ARN]:
        d["TargetHealth"] = {"State": "healthy"}
    return inv


def sg(inv: Dict[str, Any], gid: str) -> Dict[str, Any]:
    return next(g for g in inv["security_groups"] if g["GroupId"] == gid)


def ids(analysis) -> List[str]:
    return [h.id for h in analysis.hits]


def hit(analysis, fid: str):
    found = [h for h in analysis.hits if h.id == fid]
    assert found, f"{fid} not raised; got {ids(analysis)}"
    return found[0]


def edge(analysis, src: str, dst: str):
    return next(e for e in analysis.graph.edges if e.src == src and e.dst == dst)


# The seed-003 story ------------------------------------------------------------------------------

def test_ghost_reference_is_named_as_the_stale_group():
    """Seed 003: the ECS group admits port 80 only from the detached sg-old, and the finding says so."""
    analysis = analyze_origin_path(seed003(), [("https", 443)])
    h = hit(analysis, "sg.target-ingress-stale-reference")
    assert h.params["target_sg"] == "sg-ecs"
    assert h.params["stale_group"] == "sg-old"
    assert h.params["alb_sg"] == "sg-cf"
    assert h.params["port"] == "80"
    text = " ".join(h.evidence)
    assert "sg-ecs (ecs-existing) allows tcp/80 only from sg-old (alb-allow-all)" in text
    assert "not attached to the load balancer alb-x" in text
    assert "the ALB has sg-cf (alb-cloudfront-only)" in text


def test_ghost_reference_blocks_the_alb_to_target_edges():
    """Seed 003: each ALB → target edge is blocked by the rule that references sg-old."""
    analysis = analyze_origin_path(seed003(), [("https", 443)])
    for target in ("target:10.0.11.10:80", "target:10.0.12.10:80"):
        e = edge(analysis, "tg:web", target)
        assert e.status == "blocked"
        assert "sg-ecs (ecs-existing) ingress tcp/80 from sg-old (alb-allow-all)" in e.rule
    assert edge(analysis, "cloudfront", "alb").status == "ok"
    assert analysis.blocked_edges()[0].src == "tg:web"


def test_ghost_reference_says_where_the_stale_group_is_still_attached():
    """The evidence says the detached group is attached to nothing the scan sees (or where it is)."""
    inv = seed003()
    text = " ".join(hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-stale-reference").evidence)
    assert "sg-old (alb-allow-all) is attached to nothing" in text
    inv["network_interfaces"].append({"NetworkInterfaceId": "eni-bastion", "PrivateIpAddress": "10.0.1.99",
                                      "SubnetId": "subnet-a1", "Description": "bastion",
                                      "Groups": [{"GroupId": "sg-old"}]})
    text = " ".join(hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-stale-reference").evidence)
    assert "still attached to eni-bastion (bastion)" in text


def test_deleted_stale_group_is_reported_as_gone():
    """A referenced group that no longer exists (moto lets it be deleted) is named as deleted."""
    inv = seed003()
    inv["security_groups"] = [g for g in inv["security_groups"] if g["GroupId"] != "sg-old"]
    inv["missing_groups"] = ["sg-old"]
    h = hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-stale-reference")
    assert "sg-old no longer exists" in " ".join(h.evidence)


def test_unhealthy_targets_are_explained_by_the_security_group():
    """Seed 003: all targets time out, and the evidence ties it to the blocked health-check port."""
    analysis = analyze_origin_path(seed003(), [("https", 443)])
    h = hit(analysis, "elb.targets-unhealthy")
    assert h.params["target_group"] == "web"
    assert "Target.Timeout" in h.params["reason"]
    text = " ".join(h.evidence)
    assert "health checks go from the load balancer to each target on tcp/80" in text
    assert "sg.target-ingress-stale-reference" in h.params["health_fix"]


def test_stale_reference_is_raised_before_target_health():
    """Hits come in the order the request meets them: the group rule, then target health."""
    assert ids(analyze_origin_path(seed003(), [("https", 443)])) == [
        "sg.target-ingress-stale-reference", "elb.targets-unhealthy"]


def test_fixed_seed_has_no_hits_and_every_edge_ok():
    """After the fix (sg-ecs references sg-cf) the whole path is open."""
    analysis = analyze_origin_path(fixed(), [("https", 443)])
    assert analysis.hits == []
    assert {e.status for e in analysis.graph.edges} == {"ok"}
    assert {n.status for n in analysis.graph.nodes} == {"ok"}
    assert "sg-ecs (ecs-existing) ingress tcp/80 from sg-cf (alb-cloudfront-only)" in \
        edge(analysis, "tg:web", "target:10.0.11.10:80").rule


def test_graph_follows_the_request_in_order():
    """The graph reads cloudfront → alb → listener:443 → tg:web → targets, with the ALB's groups shown."""
    analysis = analyze_origin_path(fixed(), [("https", 443)])
    assert [n.id for n in analysis.graph.nodes][:4] == ["cloudfront", "alb", "listener:443", "tg:web"]
    assert "sg-cf (alb-cloudfront-only)" in analysis.graph.node("alb").detail
    assert "sg-ecs (ecs-existing)" in analysis.graph.node("target:10.0.11.10:80").detail
    assert "pl-58a04531 (com.amazonaws.global.cloudfront.origin-facing)" in edge(analysis, "cloudfront", "alb").rule
    assert analysis.nx.number_of_edges() == len(analysis.graph.edges)


def test_inventory_round_trips_through_a_dict():
    """The probe journals as_dict(); reading it back gives the same verdicts."""
    inv = inventory_from_dict(seed003())
    again = analyze_origin_path(inventory_from_dict(inv.as_dict()), [("https", 443)])
    assert ids(again) == ids(analyze_origin_path(inv, [("https", 443)]))


# CloudFront → ALB ------------------------------------------------------------------------------

def test_origin_port_plan_follows_the_protocol_policy():
    """https-only uses the HTTPS port, http-only the HTTP port, match-viewer both (custom ports kept)."""
    cfg = {"HTTPPort": 8080, "HTTPSPort": 8443}
    assert origin_port_plan(dict(cfg, OriginProtocolPolicy="https-only")) == [("https", 8443)]
    assert origin_port_plan(dict(cfg, OriginProtocolPolicy="http-only")) == [("http", 8080)]
    assert sorted(origin_port_plan(dict(cfg, OriginProtocolPolicy="match-viewer"))) == [("http", 8080), ("https", 8443)]
    assert origin_port_plan({}) == []


def test_https_only_needs_the_prefix_list_on_443():
    """https-only: an ALB group that admits the prefix list only on 80 leaves 443 closed."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissions"] = [perm(80, pl=CF_PL)]
    plan = origin_port_plan(inv["origin"]["CustomOriginConfig"])
    analysis = analyze_origin_path(inv, plan)
    h = hit(analysis, "sg.alb-ingress-missing-cloudfront")
    assert (h.params["port"], h.params["prefix_list_id"], h.params["alb_sg"]) == ("443", CF_PL, "sg-cf")
    assert edge(analysis, "cloudfront", "alb").status == "blocked"
    assert "sg-cf (alb-cloudfront-only) ingress tcp/80 from pl-58a04531" in " ".join(h.evidence)


def test_match_viewer_needs_both_ports():
    """match-viewer with HTTP viewers allowed: CloudFront uses 80 and 443, and 80 is not admitted."""
    inv = fixed()
    inv["origin"]["CustomOriginConfig"]["OriginProtocolPolicy"] = "match-viewer"
    inv["viewer_protocol_policies"] = ["allow-all"]
    inv["listeners"].append({"ListenerArn": "l80", "Port": 80, "Protocol": "HTTP",
                             "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG_ARN}]})
    plan = origin_port_plan(inv["origin"]["CustomOriginConfig"], inv["viewer_protocol_policies"])
    assert sorted(plan) == [("http", 80), ("https", 443)]
    analysis = analyze_origin_path(inv, plan)
    assert [h.params["port"] for h in analysis.hits if h.id == "sg.alb-ingress-missing-cloudfront"] == ["80"]


def test_match_viewer_with_https_viewers_only_uses_443():
    """match-viewer behind redirect-to-https never reaches the origin on 80: no finding about port 80."""
    inv = fixed()
    inv["origin"]["CustomOriginConfig"]["OriginProtocolPolicy"] = "match-viewer"
    both = origin_port_plan(inv["origin"]["CustomOriginConfig"])
    assert analyze_origin_path(inv, both).hits == []


def test_open_cidr_admits_cloudfront():
    """A 0.0.0.0/0 rule on 443 admits CloudFront as well as the prefix list does."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissions"] = [perm(443, cidr="0.0.0.0/0")]
    assert analyze_origin_path(inv, [("https", 443)]).hits == []


def test_cidr_covering_part_of_cloudfront_is_blocked():
    """A hand-made CIDR list that misses some CloudFront ranges leaves those edges out."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissions"] = [perm(443, cidr="130.176.0.0/16")]
    h = hit(analyze_origin_path(inv, [("https", 443)]), "sg.alb-ingress-missing-cloudfront")
    assert "15.158.0.0/16" in " ".join(h.evidence)


def test_protocol_all_admits_every_port():
    """IpProtocol -1 (all traffic) from the prefix list admits CloudFront on any port."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissions"] = [perm(0, proto="-1", pl=CF_PL)]
    assert analyze_origin_path(inv, [("https", 443)]).hits == []


def test_no_listener_on_the_origin_port():
    """CloudFront uses 443 but the ALB listens only on 80: the listener finding names both."""
    inv = fixed()
    inv["listeners"][0].update(Port=80, Protocol="HTTP")
    sg(inv, "sg-cf")["IpPermissions"] = [perm(80, 443, pl=CF_PL)]
    analysis = analyze_origin_path(inv, [("https", 443)])
    h = hit(analysis, "elb.no-listener-for-origin-port")
    assert h.params["port"] == "443"
    assert h.params["listener_ports"] == "HTTP:80"
    assert h.params["target_group_arn"] == TG_ARN
    assert edge(analysis, "alb", "listener:443").status == "blocked"


# ALB → targets ---------------------------------------------------------------------------------

def test_locked_down_alb_egress_is_blocked():
    """The ALB's groups allow outbound only 443 to the internet: targets on 80 cannot be reached."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissionsEgress"] = [perm(443, cidr="0.0.0.0/0")]
    analysis = analyze_origin_path(inv, [("https", 443)])
    h = hit(analysis, "sg.alb-egress-blocked")
    assert (h.params["alb_sg"], h.params["target_sg"], h.params["port"]) == ("sg-cf", "sg-ecs", "80")
    assert edge(analysis, "tg:web", "target:10.0.11.10:80").status == "blocked"


def test_egress_to_the_target_group_is_enough():
    """An egress rule that names the targets' group on 80 lets the ALB reach them."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissionsEgress"] = [perm(80, group="sg-ecs")]
    assert analyze_origin_path(inv, [("https", 443)]).hits == []


def test_target_group_with_no_rule_for_the_alb_is_missing():
    """Nothing in the targets' group mentions the ALB: the finding is 'missing', not 'stale'."""
    inv = fixed()
    sg(inv, "sg-ecs")["IpPermissions"] = [perm(22, cidr="10.0.0.0/8")]
    h = hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-missing")
    assert (h.params["target_sg"], h.params["alb_sg"], h.params["port"]) == ("sg-ecs", "sg-cf", "80")


def test_self_reference_is_not_a_stale_reference():
    """The default group's rule that names itself is not a ghost of the ALB's group."""
    inv = fixed()
    sg(inv, "sg-ecs")["IpPermissions"] = [perm(0, proto="-1", group="sg-ecs")]
    assert ids(analyze_origin_path(inv, [("https", 443)])) == ["sg.target-ingress-missing"]


def test_cidr_covering_the_alb_subnets_counts_as_allowed():
    """A target rule from 10.0.0.0/16 covers both ALB subnets, so the ALB is admitted."""
    inv = fixed()
    sg(inv, "sg-ecs")["IpPermissions"] = [perm(80, cidr="10.0.0.0/16")]
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert analysis.hits == []
    assert "from 10.0.0.0/16" in edge(analysis, "tg:web", "target:10.0.11.10:80").rule


def test_cidr_covering_one_alb_subnet_is_not_enough():
    """A rule for one ALB subnet leaves the ALB node in the other zone out."""
    inv = fixed()
    sg(inv, "sg-ecs")["IpPermissions"] = [perm(80, cidr="10.0.1.0/24")]
    h = hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-missing")
    assert "10.0.2.0/24" in " ".join(h.evidence)


def test_separate_health_check_port_is_checked():
    """Traffic on 80 is admitted but the health-check port 8080 is not: that port is named."""
    inv = fixed()
    inv["target_groups"][0]["HealthCheckPort"] = "8080"
    h = hit(analyze_origin_path(inv, [("https", 443)]), "sg.target-ingress-missing")
    assert h.params["port"] == "8080"
    assert "health-check port" in " ".join(h.evidence)


def test_unknown_target_interface_is_unknown_not_ok():
    """A registered IP with no interface and no ECS service leaves that hop unknown."""
    inv = fixed()
    inv["network_interfaces"], inv["ecs_services"] = [], []
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert edge(analysis, "tg:web", "target:10.0.11.10:80").status == "unknown"
    assert any("security groups of 2 target(s)" in u.what for u in analysis.unknowns)


def test_ecs_service_stands_in_when_no_targets_are_registered():
    """No registered targets: the ECS service's groups are checked, and no healthy target is reported."""
    inv = seed003()
    inv["target_health"][TG_ARN] = []
    inv["ecs_services"][0]["runningCount"] = 0
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert edge(analysis, "tg:web", "ecs-service:web").status == "blocked"
    assert ids(analysis) == ["sg.target-ingress-stale-reference", "elb.targets-unhealthy"]
    assert "runs 0 of 2 tasks" in " ".join(hit(analysis, "elb.targets-unhealthy").evidence)


# Network ACLs ----------------------------------------------------------------------------------

def custom_acl(entries, subnets) -> Dict[str, Any]:
    """A custom ACL as moto returns it: no `*` entries."""
    return {"NetworkAclId": "acl-app", "VpcId": "vpc-1", "IsDefault": False, "Entries": entries,
            "Associations": [{"SubnetId": s, "NetworkAclId": "acl-app"} for s in subnets]}


def test_acl_dropping_ephemeral_return_traffic_is_blocked():
    """The targets' ACL admits 80 but allows outbound only 443: replies to the ALB are dropped."""
    inv = fixed()
    inv["network_acls"].append(custom_acl(
        [acl_entry(100, False, "allow", "10.0.0.0/16", (80, 80), "6"),
         acl_entry(100, True, "allow", "0.0.0.0/0", (443, 443), "6")], ["subnet-t1", "subnet-t2"]))
    analysis = analyze_origin_path(inv, [("https", 443)])
    h = hit(analysis, "nacl.blocked")
    assert (h.params["nacl_id"], h.params["direction"], h.params["rule_number"]) == ("acl-app", "outbound", "*")
    assert h.params["ports"] == "tcp/1024-65535"
    assert h.params["cidr"] == "10.0.0.0/22"  # the smallest block that covers both ALB subnets
    assert edge(analysis, "tg:web", "target:10.0.11.10:80").status == "blocked"


def test_acl_is_not_crossed_inside_one_subnet():
    """A target in an ALB subnet is reached from that subnet without its ACL; only the other zone's
    ALB node crosses the ACLs."""
    inv = fixed()
    inv["network_interfaces"][0]["SubnetId"] = "subnet-a1"
    inv["network_interfaces"][0]["PrivateIpAddress"] = "10.0.1.10"
    inv["target_health"][TG_ARN] = inv["target_health"][TG_ARN][:1]
    inv["target_health"][TG_ARN][0]["Target"]["Id"] = "10.0.1.10"
    inv["network_acls"].append(custom_acl(
        [acl_entry(100, False, "allow", "0.0.0.0/0", (443, 443), "6"),
         acl_entry(110, False, "allow", "0.0.0.0/0", (1024, 65535), "6"),
         acl_entry(100, True, "allow", "0.0.0.0/0", (1024, 65535), "6")], ["subnet-a1", "subnet-a2"]))
    analysis = analyze_origin_path(inv, [("https", 443)])
    text = " ".join(e for h in analysis.hits if h.id == "nacl.blocked" for e in h.evidence)
    assert "in subnet subnet-a2" in text and "in subnet subnet-a1" in text
    assert "load balancer subnet subnet-a1" not in text  # a1 → a1 never meets the ACL


def test_acl_explicit_deny_names_the_rule_number():
    """A deny numbered before the allow wins, and the finding names it."""
    inv = fixed()
    inv["network_acls"].append(custom_acl(
        [acl_entry(90, False, "deny", "0.0.0.0/0", (443, 443), "6"), acl_entry(100, False, "allow"),
         acl_entry(100, True, "allow")], ["subnet-a1", "subnet-a2"]))
    h = hit(analyze_origin_path(inv, [("https", 443)]), "nacl.blocked")
    assert (h.params["rule_number"], h.params["direction"], h.params["ports"]) == ("90", "inbound", "tcp/443")
    assert int(h.params["suggested_rule"]) < 90


def test_acl_that_allows_both_ways_is_ok():
    """A custom ACL with the recommended rules (listener, target port, ephemeral) keeps the path open."""
    inv = fixed()
    inv["network_acls"].append(custom_acl(
        [acl_entry(100, False, "allow", "0.0.0.0/0", (443, 443), "6"),
         acl_entry(110, False, "allow", "10.0.0.0/16", (1024, 65535), "6"),
         acl_entry(100, True, "allow", "10.0.0.0/16", (80, 80), "6"),
         acl_entry(110, True, "allow", "0.0.0.0/0", (1024, 65535), "6")], ["subnet-a1", "subnet-a2"]))
    assert analyze_origin_path(inv, [("https", 443)]).hits == []


# Target health ---------------------------------------------------------------------------------

def test_all_targets_unhealthy_without_a_network_cause():
    """Every target fails the health check with open groups: the reason code leads the fix."""
    inv = fixed()
    for d in inv["target_health"][TG_ARN]:
        d["TargetHealth"] = {"State": "unhealthy", "Reason": "Target.ResponseCodeMismatch",
                             "Description": "Health checks failed with these codes: [404]"}
    analysis = analyze_origin_path(inv, [("https", 443)])
    h = hit(analysis, "elb.targets-unhealthy")
    assert "Target.ResponseCodeMismatch" in h.params["reason"]
    assert "/health" in h.params["health_fix"]
    assert "2 target(s) unhealthy (Target.ResponseCodeMismatch" in " ".join(h.evidence)
    assert ids(analysis) == ["elb.targets-unhealthy"]


def test_one_healthy_target_is_enough():
    """With at least one healthy target there is no target-health finding."""
    inv = fixed()
    inv["target_health"][TG_ARN][1]["TargetHealth"] = {"State": "unhealthy", "Reason": "Target.Timeout"}
    assert analyze_origin_path(inv, [("https", 443)]).hits == []


# Unknowns --------------------------------------------------------------------------------------

def test_no_load_balancer_is_unknown_not_ok():
    """When no ALB matched the origin, the path past CloudFront is unknown and says why."""
    inv = fixed()
    inv["load_balancer"] = None
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert edge(analysis, "cloudfront", "alb").status == "unknown"
    assert analysis.unknowns and "alb-x-123" in analysis.unknowns[0].reason


def test_unreadable_prefix_list_entries_of_a_customer_list_are_unknown():
    """An ALB rule from a prefix list that is not CloudFront's and cannot be read is unknown, not missing."""
    inv = fixed()
    sg(inv, "sg-cf")["IpPermissions"] = [perm(443, pl="pl-custom")]
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert "sg.alb-ingress-missing-cloudfront" not in ids(analysis)
    assert edge(analysis, "cloudfront", "alb").status == "unknown"


def test_collector_unknowns_are_passed_on():
    """A read the collector could not make reaches the analysis' unknowns."""
    inv = fixed()
    inv["unknowns"] = [{"layer": "network", "what": "ec2:DescribeNetworkAcls (network ACLs)",
                        "reason": "denied: the caller lacks ec2:DescribeNetworkAcls"}]
    inv["network_acls"] = []
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert any("DescribeNetworkAcls" in u.what for u in analysis.unknowns)


def test_failed_load_balancer_read_is_not_reported_as_missing():
    """When describe-load-balancers failed, the edge says so instead of 'no load balancer has that name'."""
    inv = fixed()
    inv["load_balancer"] = None
    inv["unknowns"] = [{"layer": "network", "what": "elbv2:DescribeLoadBalancers (the load balancer behind x)",
                        "reason": "elbv2:DescribeLoadBalancers was denied: the caller lacks "
                                  "elasticloadbalancing:DescribeLoadBalancers."}]
    analysis = analyze_origin_path(inv, [("https", 443)])
    assert "was denied" in edge(analysis, "cloudfront", "alb").rule
    assert len(analysis.unknowns) == 1


# The lab ---------------------------------------------------------------------------------------

def _lab():
    try:
        from wizard.lab import aws_server
    except ImportError:
        return None
    return aws_server


@pytest.mark.lab
@pytest.mark.skipif(_lab() is None, reason="wizard/lab/aws_server.py is not there yet")
def test_collector_reads_the_seed_003_ghost_reference_from_the_lab():
    """Against the lab's AWS API: the collector finds the ALB by its dualstack name, with read-only
    calls only, and the analysis names the ghost reference and the unhealthy targets."""
    from wizard.aws.network import collect_alb_inventory
    from wizard.aws.session import AwsAccess
    from wizard.lab.moto_patches import set_target_health

    server = _lab().start_aws_server()
    try:
        region = "ap-northeast-1"
        ec2, elb = server.client("ec2", region=region), server.client("elbv2", region=region)
        pl = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [CF_NAME]},
                                                        {"Name": "owner-id", "Values": ["AWS"]}])
        pl_id = pl["PrefixLists"][0]["PrefixListId"]
        vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24",
                                     AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"]
                   for i, z in ((1, "a"), (2, "c"))]
        old = ec2.create_security_group(GroupName="alb-allow-all", Description="sg1", VpcId=vpc)["GroupId"]
        cf = ec2.create_security_group(GroupName="alb-cloudfront-only", Description="sg2", VpcId=vpc)["GroupId"]
        ecs = ec2.create_security_group(GroupName="ecs-existing", Description="ecs", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=cf, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": pl_id}]}])
        ec2.authorize_security_group_ingress(GroupId=ecs, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": old}]}])
        ec2.create_network_interface(SubnetId=subnets[0], Groups=[ecs], PrivateIpAddress="10.9.1.10")
        lb = elb.create_load_balancer(Name="alb-x", Subnets=subnets, SecurityGroups=[cf])["LoadBalancers"][0]
        tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc,
                                     TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "10.9.1.10", "Port": 80}])
        set_target_health(tg, "10.9.1.10", 80, "unhealthy", "Target.Timeout")
        cert = server.client("acm", region=region).request_certificate(DomainName="origin.example.com")
        elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                            Certificates=[{"CertificateArn": cert["CertificateArn"]}],
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
        origin = {"Id": "alb", "DomainName": "dualstack." + lb["DNSName"].upper(),
                  "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}}
        access = AwsAccess(endpoint_url=server.endpoint, credentials=server.credentials())
        inv = collect_alb_inventory(access, {"Origins": {"Items": [origin]}}, "alb")

        assert inv.region == region and inv.unknowns == []
        assert all(op.startswith(("Describe", "List", "Get")) for _, op in access.calls)
        analysis = analyze_origin_path(inv.as_dict())
        h = hit(analysis, "sg.target-ingress-stale-reference")
        assert (h.params["stale_group"], h.params["target_sg"], h.params["alb_sg"]) == (old, ecs, cf)
        assert ids(analysis) == ["sg.target-ingress-stale-reference", "elb.targets-unhealthy"]
        assert [e.status for e in analysis.graph.edges] == ["ok", "ok", "ok", "blocked"]
    finally:
        server.stop()

