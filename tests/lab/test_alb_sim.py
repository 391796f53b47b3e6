"""The lab's ALB side answers like AWS from the AWS state alone: CloudFront's own 504 when it cannot reach
the load balancer, the ALB's awselb/2.0 504 when the load balancer cannot reach a target, 200 when every
hop lets the request through; and target health follows from the same state."""

from __future__ import annotations

import datetime
import gzip
from typing import Any, Dict, List, Optional

import pytest

from wizard.aws.cloudwatch import edge_metrics
from wizard.aws.session import AwsAccess
from wizard.lab.edge import alb_origin, health
from wizard.lab.edge.alb_network import LabNetwork
from wizard.lab.edge.alb_origin import decide
from wizard.lab.edge.cloudfront import CloudFrontEdge
from wizard.lab.edge.view import LabView

pytestmark = pytest.mark.lab

PL_NAME = "com.amazonaws.global.cloudfront.origin-facing"


class World:
    """A small CloudFront → ALB → one ip target setup, built with ordinary boto3 calls."""

    def __init__(self, aws, alb_ingress: List[Dict[str, Any]], target_port_from_alb: int = 80,
                 health_check_port: str = "traffic-port", scheme: str = "internet-facing",
                 listener: str = "HTTPS") -> None:
        self.aws = aws
        ec2, elbv2 = aws.client("ec2"), aws.client("elbv2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        self.vpc = vpc
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=c, AvailabilityZone=z)["Subnet"]["SubnetId"]
                   for c, z in (("10.0.0.0/24", "us-east-1a"), ("10.0.1.0/24", "us-east-1b"),
                                ("10.0.10.0/24", "us-east-1a"))]
        self.public, self.private = subnets[:2], subnets[2]
        self.pl = ec2.describe_managed_prefix_lists(Filters=[
            {"Name": "owner-id", "Values": ["AWS"]}, {"Name": "prefix-list-name", "Values": [PL_NAME]}])[
            "PrefixLists"][0]["PrefixListId"]
        self.alb_sg = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
        ingress = [dict(p, PrefixListIds=[{"PrefixListId": self.pl}]) if p.pop("cloudfront", False) else p
                   for p in [dict(p) for p in alb_ingress]]
        if ingress:
            ec2.authorize_security_group_ingress(GroupId=self.alb_sg, IpPermissions=ingress)
        self.other_sg = ec2.create_security_group(GroupName="detached", Description="x", VpcId=vpc)["GroupId"]
        self.task_sg = ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=self.task_sg, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": target_port_from_alb, "ToPort": target_port_from_alb,
            "UserIdGroupPairs": [{"GroupId": self.alb_sg}]}])
        eni = ec2.create_network_interface(SubnetId=self.private, Groups=[self.task_sg],
                                           PrivateIpAddress="10.0.10.20")["NetworkInterface"]
        self.target_ip = eni["PrivateIpAddress"]
        lb = elbv2.create_load_balancer(Name="web-alb", Subnets=self.public, SecurityGroups=[self.alb_sg],
                                        Scheme=scheme, Type="application")["LoadBalancers"][0]
        self.lb = lb
        self.tg = elbv2.create_target_group(Name="web-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip",
                                            HealthCheckPort=health_check_port)["TargetGroups"][0]["TargetGroupArn"]
        kwargs: Dict[str, Any] = {}
        if listener == "HTTPS":
            cert = aws.client("acm").request_certificate(DomainName="www.example.com")["CertificateArn"]
            kwargs["Certificates"] = [{"CertificateArn": cert}]
        elbv2.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol=listener,
                              Port=443 if listener == "HTTPS" else 80,
                              DefaultActions=[{"Type": "forward", "TargetGroupArn": self.tg}], **kwargs)
        elbv2.register_targets(TargetGroupArn=self.tg, Targets=[{"Id": self.target_ip, "Port": 80}])

    def origin(self, policy: str = "https-only") -> Dict[str, Any]:
        return {"Id": "alb", "DomainName": self.lb["DNSName"],
                "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy}}

    def request(self, policy: str = "https-only", viewer: str = "https") -> alb_origin.Decision:
        net = LabNetwork(lambda service: self.aws.client(service), "us-east-1")
        return decide(net, self.origin(policy), "GET", "/company/30", {"x-forwarded-proto": viewer}, "cf-id")

    def health(self) -> List[health.TargetVerdict]:
        return health.inject_target_health(lambda service, _account, region: self.aws.client(service), "us-east-1")


def cloudfront(port: int) -> Dict[str, Any]:
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "cloudfront": True}


def header(decision: alb_origin.Decision, name: str) -> Optional[str]:
    return next((v for k, v in decision.headers if k.lower() == name.lower()), None)


def test_every_hop_open_answers_200_from_the_target(fresh_aws):
    """CloudFront prefix list on 443, the target admits the ALB's group: the application answers."""
    d = World(fresh_aws, [cloudfront(443)]).request()
    assert (d.status, d.answered_by, d.hop) == (200, "target", "")
    assert header(d, "Server") is None and b"It works" in d.body


def test_alb_group_without_cloudfront_on_443_gets_cloudfronts_own_504(fresh_aws):
    """https-only while the ALB admits CloudFront only on 80: CloudFront's page, after 3 × 10 s attempts."""
    d = World(fresh_aws, [cloudfront(80)]).request()
    assert (d.status, d.answered_by, d.hop) == (504, "cloudfront", "cloudfront-alb")
    assert header(d, "Server") == "CloudFront" and b"could not be satisfied" in d.body
    assert d.taken_s == pytest.approx(30.0)


def test_match_viewer_follows_the_viewers_scheme(fresh_aws):
    """match-viewer with CloudFront admitted on 80 only: HTTP viewers get through, HTTPS viewers get 504."""
    world = World(fresh_aws, [cloudfront(80), cloudfront(443)], listener="HTTP")
    fresh_aws.client("ec2").revoke_security_group_ingress(GroupId=world.alb_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": world.pl}]}])
    assert world.request("match-viewer", viewer="http").status == 200
    assert world.request("match-viewer", viewer="https").answered_by == "cloudfront"


def test_target_admitting_only_a_detached_group_gets_the_albs_504(fresh_aws):
    """Seed 003: the target's rule names a group the ALB does not carry: awselb/2.0 504 after 10 s."""
    world = World(fresh_aws, [cloudfront(443)])
    ec2 = fresh_aws.client("ec2")
    ec2.revoke_security_group_ingress(GroupId=world.task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": world.alb_sg}]}])
    ec2.authorize_security_group_ingress(GroupId=world.task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": world.other_sg}]}])
    d = world.request()
    assert (d.status, d.answered_by, d.hop) == (504, "alb", "alb-target")
    assert header(d, "Server") == "awselb/2.0" and d.taken_s == pytest.approx(10.0)
    assert world.task_sg in d.reason


def test_target_group_admitting_nothing_from_the_alb_gets_the_albs_504(fresh_aws):
    """The tasks' group has no rule for the ALB's group or subnets on 80 (only a metrics port for a
    monitoring range): the ALB's connection times out, awselb/2.0 504 after 10 s."""
    world = World(fresh_aws, [cloudfront(443)])
    ec2 = fresh_aws.client("ec2")
    ec2.revoke_security_group_ingress(GroupId=world.task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": world.alb_sg}]}])
    ec2.authorize_security_group_ingress(GroupId=world.task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 9100, "ToPort": 9100, "IpRanges": [{"CidrIp": "10.0.200.0/24"}]}])
    d = world.request()
    assert (d.status, d.answered_by, d.hop) == (504, "alb", "alb-target")
    assert header(d, "Server") == "awselb/2.0" and d.taken_s == pytest.approx(10.0)
    assert world.task_sg in d.reason


def test_alb_egress_locked_to_443_cannot_reach_targets_on_80(fresh_aws):
    """Replacing the ALB group's egress with tcp/443 only stops its connections to targets on 80."""
    world = World(fresh_aws, [cloudfront(443)])
    ec2 = fresh_aws.client("ec2")
    ec2.revoke_security_group_egress(GroupId=world.alb_sg, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.authorize_security_group_egress(GroupId=world.alb_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    d = world.request()
    assert (d.status, d.hop) == (504, "alb-target") and "outbound" in d.reason


def test_nacl_that_drops_replies_to_ephemeral_ports_blocks_the_target(fresh_aws):
    """A target-subnet ACL with requests allowed in but no outbound ephemeral rule: the ALB gets no reply."""
    world = World(fresh_aws, [cloudfront(443)])
    ec2 = fresh_aws.client("ec2")
    acl = ec2.create_network_acl(VpcId=world.vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                                 CidrBlock="10.0.0.0/16", PortRange={"From": 80, "To": 80})
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=True,
                                 CidrBlock="0.0.0.0/0", PortRange={"From": 443, "To": 443})
    assoc = next(a["NetworkAclAssociationId"] for a in ec2.describe_network_acls(Filters=[
        {"Name": "association.subnet-id", "Values": [world.private]}])["NetworkAcls"][0]["Associations"]
        if a["SubnetId"] == world.private)
    ec2.replace_network_acl_association(AssociationId=assoc, NetworkAclId=acl)
    d = world.request()
    assert (d.status, d.hop) == (504, "alb-target") and "reply" in d.reason and acl in d.reason


def test_no_listener_on_the_origin_port_is_cloudfronts_504(fresh_aws):
    """https-only to an ALB that listens only on HTTP:80: nothing accepts on 443."""
    d = World(fresh_aws, [cloudfront(80), cloudfront(443)], listener="HTTP").request()
    assert (d.status, d.answered_by) == (504, "cloudfront") and "no listener on port 443" in d.reason


def test_internal_load_balancer_is_unreachable_for_cloudfront(fresh_aws):
    """An internal ALB has only private addresses: CloudFront's own 504."""
    d = World(fresh_aws, [cloudfront(443)], scheme="internal").request()
    assert (d.status, d.answered_by) == (504, "cloudfront") and "internal" in d.reason


def test_blocked_health_check_port_marks_targets_timed_out(fresh_aws):
    """Health checks on 8080, which the target's group does not admit: Target.Timeout in describe_target_health."""
    world = World(fresh_aws, [cloudfront(443)], health_check_port="8080")
    (verdict,) = world.health()
    assert (verdict.state, verdict.reason) == ("unhealthy", "Target.Timeout")
    described = fresh_aws.client("elbv2").describe_target_health(TargetGroupArn=world.tg)["TargetHealthDescriptions"]
    assert described[0]["TargetHealth"]["State"] == "unhealthy"
    assert described[0]["TargetHealth"]["Reason"] == "Target.Timeout"


def test_all_targets_unhealthy_fails_open(fresh_aws):
    """With every target unhealthy the ALB still sends traffic to them; an open traffic port answers 200."""
    world = World(fresh_aws, [cloudfront(443)], health_check_port="8080")
    world.health()
    d = world.request()
    assert d.status == 200 and "fails open" in d.reason


def test_a_fixed_target_turns_healthy_on_the_next_request(fresh_aws):
    """Health checks keep running: once the target's group admits the ALB, the next request finds it healthy."""
    world = World(fresh_aws, [cloudfront(443)], target_port_from_alb=8080)
    assert [v.reason for v in world.health()] == ["Target.Timeout"]
    fresh_aws.client("ec2").authorize_security_group_ingress(GroupId=world.task_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": world.alb_sg}]}])
    assert world.request().status == 200
    described = fresh_aws.client("elbv2").describe_target_health(TargetGroupArn=world.tg)["TargetHealthDescriptions"]
    assert described[0]["TargetHealth"]["State"] == "healthy"


def test_reachable_targets_stay_healthy(fresh_aws):
    """A target the ALB reaches on its health-check port keeps moto's healthy state."""
    world = World(fresh_aws, [cloudfront(443)])
    assert [v.state for v in world.health()] == ["healthy"]


def test_alb_answers_publish_the_metrics_elb_would(fresh_aws):
    """A 504 from the ALB is counted in CloudWatch, and the wizard's reader sums it (Sum, not percentiles;
    Maximum only for TargetResponseTime)."""
    world = World(fresh_aws, [cloudfront(443)], target_port_from_alb=8080)
    net = LabNetwork(lambda service: fresh_aws.client(service), "us-east-1")
    for _ in range(3):
        alb_origin.publish_metrics(net, world.request())
    access = AwsAccess(region="us-east-1", endpoint_url=fresh_aws.endpoint,
                       credentials=fresh_aws.credentials())
    data = edge_metrics(access, "us-east-1", world.lb["LoadBalancerArn"], [world.tg], "E2EXAMPLE")
    totals = {s["metric"]: sum(p["value"] for p in s["points"]) for s in data["series"]}
    assert totals["HTTPCode_ELB_504_Count"] == 3 and totals["TargetConnectionErrorCount"] == 3
    assert {s["stat"] for s in data["series"] if s["metric"] != "TargetResponseTime"} <= {"Sum", "Average"}
    assert [op for _, op in access.calls] == ["GetMetricData", "GetMetricData"]


def test_metrics_reader_tolerates_an_account_with_no_data(fresh_aws):
    """No datapoints is an empty series, not an error and not zero."""
    access = AwsAccess(region="us-east-1", endpoint_url=fresh_aws.endpoint,
                       credentials=fresh_aws.credentials())
    lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/none/0123456789abcdef"
    data = edge_metrics(access, "us-east-1", lb, [], None, now=datetime.datetime.now(datetime.timezone.utc))
    assert data["series"] and all(s["points"] == [] for s in data["series"]) and data["unknowns"] == []


def test_cloudfront_timeout_through_the_edge_writes_an_origin_error_log_line(fresh_aws):
    """Through the lab's CloudFront: its own 504 (X-Cache Error) and a log line with ~30 s and OriginError."""
    world = World(fresh_aws, [cloudfront(80)])
    fresh_aws.client("s3").create_bucket(Bucket="edge-logs")
    dist = fresh_aws.client("cloudfront").create_distribution(DistributionConfig={
        "CallerReference": "alb-sim", "Comment": "", "Enabled": True,
        "Logging": {"Enabled": True, "IncludeCookies": False, "Bucket": "edge-logs.s3.amazonaws.com", "Prefix": "cf/"},
        "Origins": {"Quantity": 1, "Items": [world.origin()]},
        "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}})["Distribution"]
    edge = CloudFrontEdge(LabView(lambda service, _account, region: fresh_aws.client(service, region=region)), {})
    found, how = edge.find(dist["DomainName"])
    status, headers, _ = edge.handle(found, how, "GET", "/company/31", "", {"host": dist["DomainName"]})
    got = dict(headers)
    assert (status, got["Server"], got["X-Cache"]) == (504, "CloudFront", "Error from cloudfront")
    s3 = fresh_aws.client("s3")
    (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket="edge-logs")["Contents"]]
    lines = gzip.decompress(s3.get_object(Bucket="edge-logs", Key=key)["Body"].read()).decode().splitlines()
    fields = next(line for line in lines if line.startswith("#Fields")).split()[1:]
    record = dict(zip(fields, lines[-1].split("\t")))
    assert record["x-edge-detailed-result-type"] == "OriginError" and float(record["time-taken"]) == pytest.approx(30.0)


def test_a_slow_target_is_cloudfronts_504_after_the_read_timeout_with_its_response_time_published(fresh_aws):
    """Targets that take 1.5 s behind an origin response timeout of 1 s: CloudFront's own 504, after the
    timeout, and TargetResponseTime 1.5 s in CloudWatch; within the timeout the app's 200 stands."""
    from wizard.lab.edge import alb_latency

    world = World(fresh_aws, [cloudfront(443)])
    net = LabNetwork(lambda service: fresh_aws.client(service), "us-east-1")
    raw = {"CustomOriginConfig": {"OriginReadTimeout": 1}}
    decision = world.request()
    assert decision.status == 200 and decision.answered_by == "target"
    late = alb_latency.delayed(net, decision, raw, 1.5, "cf-id")
    assert late is not None and late[0] == 504 and late[3] == 1.0
    assert ("Server", "CloudFront") in late[1]
    assert alb_latency.delayed(net, world.request(), {"CustomOriginConfig": {"OriginReadTimeout": 5}}, 0.2,
                               "cf-id") is None
    access = AwsAccess(region="us-east-1", endpoint_url=fresh_aws.endpoint, credentials=fresh_aws.credentials())
    data = edge_metrics(access, "us-east-1", world.lb["LoadBalancerArn"])
    (times,) = [s for s in data["series"] if s["metric"] == "TargetResponseTime"]
    assert max(p["value"] for p in times["points"]) == 1.5
