"""The 504-family checks as the walk runs them: from probe outcomes (synthetic, in boto3 shapes) to the
findings a person reads, including the severities that keep "exactly one root cause" honest."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from wizard.checks.network import access_logs, alb_path
from wizard.aws.facts import EdgeFacts as Facts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome

CF_PL = "pl-3b927c52"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef"
ALB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/0123456789abcdef"
DOMAIN = "web-alb-1.us-east-1.elb.amazonaws.com"


def perm(port: int, **peer: str) -> Dict[str, Any]:
    p: Dict[str, Any] = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [], "PrefixListIds": [],
                         "UserIdGroupPairs": []}
    if "cidr" in peer:
        p["IpRanges"].append({"CidrIp": peer["cidr"]})
    if "group" in peer:
        p["UserIdGroupPairs"].append({"GroupId": peer["group"], "UserId": "123456789012"})
    if "pl" in peer:
        p["PrefixListIds"].append({"PrefixListId": peer["pl"]})
    return p


def group(gid: str, name: str, ingress: List[Dict[str, Any]]) -> Dict[str, Any]:
    out = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "PrefixListIds": [], "UserIdGroupPairs": []}]
    return {"GroupId": gid, "GroupName": name, "VpcId": "vpc-1", "IpPermissions": ingress, "IpPermissionsEgress": out}


def inventory(ecs_peer: str = "sg-old", health: str = "unhealthy", scheme: str = "internet-facing",
              policy: str = "https-only", listener: str = "HTTPS") -> Dict[str, Any]:
    """Seed 003 after the "hardening" (the ECS group admits 80 only from sg-old, detached from the ALB)."""
    state = {"State": health}
    if health == "unhealthy":
        state.update(Reason="Target.Timeout", Description="Request timed out")
    return {
        "region": "us-east-1",
        "origin": {"Id": "web-alb", "DomainName": DOMAIN,
                   "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy}},
        "viewer_protocol_policies": ["redirect-to-https"],
        "load_balancer": {"LoadBalancerArn": ALB, "LoadBalancerName": "web-alb", "Scheme": scheme, "DNSName": DOMAIN,
                          "VpcId": "vpc-1", "Type": "application", "SecurityGroups": ["sg-cf"],
                          "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-a"}]},
        "listeners": [{"ListenerArn": ALB.replace("loadbalancer", "listener") + "/l1", "Port": 443,
                       "Protocol": listener, "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}]}],
        "target_groups": [{"TargetGroupArn": TG, "TargetGroupName": "web-tg", "TargetType": "ip", "Port": 80,
                           "Protocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckPath": "/health"}],
        "target_health": {TG: [{"Target": {"Id": "10.0.10.5", "Port": 80}, "TargetHealth": state}]},
        "security_groups": [group("sg-old", "alb-allow-all", [perm(80, cidr="0.0.0.0/0")]),
                            group("sg-cf", "alb-cloudfront-only", [perm(443, pl=CF_PL)]),
                            group("sg-ecs", "ecs-existing", [perm(80, group=ecs_peer)])],
        "prefix_lists": [{"PrefixListId": CF_PL, "PrefixListName": "com.amazonaws.global.cloudfront.origin-facing",
                          "OwnerId": "AWS"}],
        "prefix_list_entries": {CF_PL: ["130.176.0.0/18"]},
        "network_interfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.10.5",
                                "SubnetId": "subnet-t", "Groups": [{"GroupId": "sg-ecs"}]}],
        "subnets": [{"SubnetId": "subnet-a", "CidrBlock": "10.0.0.0/24", "VpcId": "vpc-1"},
                    {"SubnetId": "subnet-t", "CidrBlock": "10.0.10.0/24", "VpcId": "vpc-1"}],
        "network_acls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": True, "Associations": [],
                          "Entries": [{"RuleNumber": 100, "Egress": e, "RuleAction": "allow", "Protocol": "-1",
                                       "CidrBlock": "0.0.0.0/0"} for e in (True, False)]}],
    }


def facts(inv: Optional[Dict[str, Any]] = None, *outcomes: ProbeOutcome) -> Facts:
    origin = dict((inv or inventory())["origin"])
    config = {"Origins": {"Quantity": 1, "Items": [origin]},
              "DefaultCacheBehavior": {"TargetOriginId": "web-alb", "ViewerProtocolPolicy": "redirect-to-https"}}
    found = {"aws.distribution": ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": "E2EXAMPLE", "domain": "d111.cloudfront.net", "config": config})}
    if inv is not None:
        found["aws.alb_inventory"] = ProbeOutcome("aws.alb_inventory", "ok", data=inv)
    found.update({o.name: o for o in outcomes})
    return Facts(Symptom("https://d111.cloudfront.net/company/30"), found)


def by_id(hits) -> Dict[str, Any]:
    return {h.id: h for h in hits}


def test_ghost_reference_is_the_one_root_cause_and_unhealthy_targets_follow_from_it():
    """Seed 003: the stale reference is the root cause; "no healthy targets" is demoted to contributing."""
    hits, _ = alb_path(facts(inventory()))
    found = by_id(hits)
    assert found["sg.target-ingress-stale-reference"].severity is None  # the catalogue's root-cause
    assert found["sg.target-ingress-stale-reference"].params["stale_group"] == "sg-old"
    assert found["elb.targets-unhealthy"].severity == "contributing"


def test_unhealthy_targets_with_an_open_network_stay_a_root_cause():
    """When the network lets health checks through, unhealthy targets are the finding itself."""
    hits, _ = alb_path(facts(inventory(ecs_peer="sg-cf")))
    assert [(h.id, h.severity) for h in hits] == [("elb.targets-unhealthy", None)]


def test_healthy_path_raises_nothing():
    """The fixed seed-003 path (ECS admits the ALB's real group, targets healthy) has no hit."""
    hits, unknowns = alb_path(facts(inventory(ecs_peer="sg-cf", health="healthy")))
    assert hits == [] and unknowns == []


def test_internal_load_balancer_is_named():
    """An internal ALB behind a custom origin raises elb.internal-scheme with its ARN for the fix."""
    hits, _ = alb_path(facts(inventory(ecs_peer="sg-cf", health="healthy", scheme="internal")))
    hit = by_id(hits)["elb.internal-scheme"]
    assert hit.params["alb_arn"] == ALB and hit.params["distribution_id"] == "E2EXAMPLE"


def test_https_to_a_plain_http_listener_is_a_protocol_mismatch():
    """https-only to port 443 where the listener is HTTP raises elb.listener-protocol-mismatch."""
    hits, _ = alb_path(facts(inventory(ecs_peer="sg-cf", health="healthy", listener="HTTP")))
    hit = by_id(hits)["elb.listener-protocol-mismatch"]
    assert (hit.params["origin_protocol"], hit.params["listener_protocol"], hit.params["port"]) == ("HTTPS", "HTTP", "443")


def test_denied_inventory_is_unknown_not_ok():
    """Without the inventory the check raises nothing and says what it could not check."""
    denied = ProbeOutcome("aws.alb_inventory", "denied", error="not authorized to DescribeLoadBalancers")
    hits, unknowns = alb_path(facts(None, denied))
    assert hits == [] and "DescribeLoadBalancers" in unknowns[0].reason


def _metrics(**totals: float) -> ProbeOutcome:
    series = [{"namespace": "AWS/ApplicationELB", "metric": name, "stat": "Sum", "dimension": "app/web-alb/1",
               "points": [{"time": "t0", "value": value / 2}, {"time": "t1", "value": value / 2}]}
              for name, value in totals.items()]
    return ProbeOutcome("aws.alb_metrics", "ok", data={"hours": 3, "series": series, "unknowns": []})


def test_metrics_alone_are_evidence_of_origin_errors():
    """With logging off, ALB 504s and failed target connections in CloudWatch still make logs.origin-errors."""
    hits, _ = access_logs(facts(inventory(), _metrics(HTTPCode_ELB_504_Count=12, TargetConnectionErrorCount=12)))
    (hit,) = hits
    assert hit.id == "logs.origin-errors" and hit.params["summary"].startswith("CloudWatch, last 3 h: 12 ALB 504s")
    assert any("TargetConnectionErrorCount" in e and "Sum" in e for e in hit.evidence)


def test_quiet_logs_and_empty_metrics_are_not_a_finding():
    """A log without errors and metrics without datapoints raise nothing (healthy twin stays clean)."""
    logs = ProbeOutcome("aws.cloudfront_logs", "ok", data={"summary": "0 of 3 ...", "evidence": ["x"],
                                                           "triage": {"by_status": {"200": 3}, "origin_errors": 0}})
    empty = ProbeOutcome("aws.alb_metrics", "ok", data={"hours": 3, "series": [
        {"namespace": "AWS/ApplicationELB", "metric": "HTTPCode_ELB_504_Count", "stat": "Sum", "points": []}]})
    hits, unknowns = access_logs(facts(inventory(), logs, empty))
    assert hits == [] and unknowns == []


def test_denied_metrics_become_an_unknown():
    """A CloudWatch read that was refused is reported as not checked, next to what the logs show."""
    denied = ProbeOutcome("aws.alb_metrics", "denied", error="not authorized to perform cloudwatch:GetMetricData")
    hits, unknowns = access_logs(facts(inventory(), denied))
    assert hits == [] and "GetMetricData" in unknowns[0].reason


def test_log_errors_keep_the_log_summary_as_title():
    """When the logs show origin errors their headline is the title, and metrics add evidence."""
    logs = ProbeOutcome("aws.cloudfront_logs", "ok", data={
        "summary": "2 of 2 CloudFront requests ended in an origin error (100.0%)", "evidence": ["OriginError ×2."],
        "athena": None, "triage": {"by_status": {"504": 2}, "origin_errors": 2}})
    hits, _ = access_logs(facts(inventory(), logs, _metrics(HTTPCode_ELB_504_Count=2)))
    (hit,) = hits
    assert hit.params["summary"].startswith("2 of 2") and hit.evidence[0] == "OriginError ×2."
    assert any("HTTPCode_ELB_504_Count" in e for e in hit.evidence)
