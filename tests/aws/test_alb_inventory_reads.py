"""The ALB inventory reads each thing once and still finds everything on the path when it reads ahead
of what it has: a task's interface already read by its target address is not read again, and a
listener rule forwarding to a target group the first ECS search did not look for (the search starts
with the load balancer's own groups, while the rules are read) still gets that group's service."""

from __future__ import annotations

from typing import Any, Dict, List

from wizard.aws.network import collect_alb_inventory

from .test_one_ecs_search import LB_ARN, ORIGIN, TG, FakeAccount

TG2 = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-tg/fedcba9876543210"


class PathAccount(FakeAccount):
    """FakeAccount with one HTTPS listener (default: web-tg; a rule: `rule_group`), one ip target
    10.0.0.5 whose interface eni-1 (group sg-1) is also the web service's task's, and an `api`
    service in cluster team-2 registered with TG2."""

    def __init__(self, rule_group: str = TG) -> None:
        super().__init__(clusters=3, services=2, owner=(1, 0))
        self.rule_group = rule_group

    def describe_listeners(self, **kwargs) -> Dict[str, Any]:
        self._log("describe_listeners", **kwargs)
        return {"Listeners": [{"ListenerArn": "listener-1", "Port": 443, "Protocol": "HTTPS", "LoadBalancerArn": LB_ARN,
                               "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}]}]}

    def describe_rules(self, **kwargs) -> Dict[str, Any]:
        self._log("describe_rules", **kwargs)
        return {"Rules": [{"RuleArn": "rule-1", "Actions": [{"Type": "forward", "TargetGroupArn": self.rule_group}]}]}

    def describe_target_health(self, TargetGroupArn: str) -> Dict[str, Any]:
        self._log("describe_target_health", TargetGroupArn=TargetGroupArn)
        return {"TargetHealthDescriptions": [{"Target": {"Id": "10.0.0.5", "Port": 80},
                                              "TargetHealth": {"State": "healthy"}}]}

    def describe_network_interfaces(self, Filters: List[Dict[str, Any]], **kwargs) -> Dict[str, Any]:
        self._log("describe_network_interfaces", Filters=Filters, **kwargs)
        if Filters[0]["Name"] in ("addresses.private-ip-address", "network-interface-id"):
            return {"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "VpcId": "vpc-1", "SubnetId": "subnet-1",
                                           "PrivateIpAddress": "10.0.0.5", "Groups": [{"GroupId": "sg-1"}]}]}
        return {"NetworkInterfaces": []}

    def list_services(self, cluster: str) -> Dict[str, Any]:
        out = super().list_services(cluster)
        if cluster.endswith("/team-2"):
            out["serviceArns"].append("arn:aws:ecs:us-east-1:123456789012:service/team-2/api")
        return out

    def describe_services(self, cluster: str, services: List[str]) -> Dict[str, Any]:
        out = super().describe_services(cluster, services)
        for svc in out["services"]:
            if svc["serviceName"] == "api":
                svc["loadBalancers"] = [{"targetGroupArn": TG2}]
        return out

    def list_tasks(self, **kwargs) -> Dict[str, Any]:
        self._log("list_tasks", **kwargs)
        return {"taskArns": [f"task-of-{kwargs.get('serviceName')}"]}

    def describe_tasks(self, cluster: str, tasks: List[str]) -> Dict[str, Any]:
        self._log("describe_tasks", cluster=cluster, tasks=tasks)
        return {"tasks": [{"taskArn": t, "group": "service:" + t[len("task-of-"):],
                           "attachments": [{"details": [{"name": "networkInterfaceId", "value": "eni-1"}]}]}
                          for t in tasks]}

    def describe_security_groups(self, Filters: List[Dict[str, Any]], **kwargs) -> Dict[str, Any]:
        self._log("describe_security_groups", Filters=Filters, **kwargs)
        return {"SecurityGroups": [{"GroupId": g, "OwnerId": "123456789012", "IpPermissions": []}
                                   for g in Filters[0]["Values"]]}


def _interface_reads(aws: PathAccount) -> List[str]:
    return [c[1] for c in aws.calls if c[0] == "describe_network_interfaces"]


def test_a_task_interface_already_read_by_its_target_address_is_not_read_again():
    aws = PathAccount()
    inv = collect_alb_inventory(aws, None, ORIGIN)
    assert [s["serviceName"] for s in inv.ecs_services] == ["web"]
    assert [e["NetworkInterfaceId"] for e in inv.network_interfaces] == ["eni-1"]
    assert [g["GroupId"] for g in inv.security_groups] == ["sg-1"]
    assert len(_interface_reads(aws)) == 1 and "addresses.private-ip-address" in _interface_reads(aws)[0]
    assert not inv.unknowns


def test_a_rule_forwarding_to_another_target_group_still_gets_that_group_s_service():
    aws = PathAccount(rule_group=TG2)
    inv = collect_alb_inventory(aws, None, ORIGIN)
    assert sorted(s["serviceName"] for s in inv.ecs_services) == ["api", "web"]
    assert not inv.unknowns
