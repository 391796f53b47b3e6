"""The ALB inventory finds the ECS service behind its target groups with the same ranked, capped search
as the asset-host read (wizard/aws/ecs_search.py): in a big account it describes the service named
like the target group first instead of every service of every cluster, a search cut short says so as
an unknown, and with the asset-host read before it every ECS read is answered from the same reads."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Dict, List

from wizard.aws.ecs import env_mentions
from wizard.aws.network import collect_alb_inventory

LB_DNS = "web-alb-1234567890.us-east-1.elb.amazonaws.com"
LB_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/1"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef"
ORIGIN = {"Id": "alb", "DomainName": LB_DNS, "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}


class _Pages:
    def __init__(self, client: "FakeAccount", method: str) -> None:
        self.client, self.method = client, method

    def paginate(self, **kwargs):
        yield getattr(self.client, self.method)(**kwargs)


class FakeAccount:
    """ELBv2, EC2 and ECS of an account with `clusters` clusters of `services` services each; service
    (13, 7) registers with the load balancer's target group. Records every call as (operation, params)."""

    meta = SimpleNamespace(method_to_api_mapping={})

    def __init__(self, clusters: int = 20, services: int = 10, owner=(13, 7)) -> None:
        self.clusters = [f"arn:aws:ecs:us-east-1:123456789012:cluster/team-{i}" for i in range(clusters)]
        self.services, self.owner = services, owner
        self.calls: List[tuple] = []

    # AwsAccess ---------------------------------------------------------------------------------
    region = "us-east-1"

    def client(self, _service: str, region=None):
        return self

    def can_paginate(self, _method: str) -> bool:
        return True

    def get_paginator(self, method: str) -> _Pages:
        return _Pages(self, method)

    def __getattr__(self, method: str):
        if method.startswith(("describe_", "get_", "list_")):  # every read nobody here cares about: empty
            def empty(**kwargs):
                self.calls.append((method, repr(sorted(kwargs.items()))))
                return {}
            return empty
        raise AttributeError(method)

    def _log(self, method: str, **kwargs) -> None:
        self.calls.append((method, repr(sorted(kwargs.items()))))

    # ELBv2 ----------------------------------------------------------------------------------------
    def describe_load_balancers(self, **kwargs) -> Dict[str, Any]:
        self._log("describe_load_balancers", **kwargs)
        return {"LoadBalancers": [{"LoadBalancerName": "web-alb", "DNSName": LB_DNS, "LoadBalancerArn": LB_ARN,
                                   "VpcId": "vpc-1"}]}

    def describe_target_groups(self, **kwargs) -> Dict[str, Any]:
        self._log("describe_target_groups", **kwargs)
        return {"TargetGroups": [{"TargetGroupArn": TG, "TargetGroupName": "web-tg", "TargetType": "ip"}]}

    # ECS ------------------------------------------------------------------------------------------
    def list_clusters(self, **kwargs) -> Dict[str, Any]:
        self._log("list_clusters", **kwargs)
        return {"clusterArns": self.clusters}

    def list_services(self, cluster: str) -> Dict[str, Any]:
        self._log("list_services", cluster=cluster)
        i = self.clusters.index(cluster)
        return {"serviceArns": [f"arn:aws:ecs:us-east-1:123456789012:service/team-{i}/"
                                + ("web" if (i, j) == self.owner else f"batch-{i}-{j}") for j in range(self.services)]}

    def describe_services(self, cluster: str, services: List[str]) -> Dict[str, Any]:
        self._log("describe_services", cluster=cluster, services=services)
        return {"services": [{"serviceName": arn.rsplit("/", 1)[-1], "clusterArn": cluster,
                              "taskDefinition": f"arn:aws:ecs:us-east-1:1:task-definition/{arn.rsplit('/', 1)[-1]}:1",
                              "loadBalancers": [{"targetGroupArn": TG}] if arn.endswith("/web") else []}
                             for arn in services]}

    def describe_task_definition(self, taskDefinition: str) -> Dict[str, Any]:
        self._log("describe_task_definition", taskDefinition=taskDefinition)
        return {"taskDefinition": {"family": "web", "revision": 1, "containerDefinitions": []}}


def _ecs_reads(calls) -> List[tuple]:
    return [c for c in calls if c[0] in ("list_clusters", "list_services", "describe_services")]


def test_the_inventory_describes_the_service_named_like_the_target_group_not_every_service():
    """20 clusters of 10 services: the old inventory scan described all 200 (20 DescribeServices)."""
    aws = FakeAccount()
    inv = collect_alb_inventory(aws, None, ORIGIN)
    assert [s["serviceName"] for s in inv.ecs_services] == ["web"]
    assert [c[0] for c in aws.calls].count("describe_services") == 1
    assert not [u for u in inv.unknowns if "ecs" in u.what.lower()]


def test_a_search_cut_short_without_the_service_is_an_unknown_in_the_inventory():
    aws = FakeAccount(clusters=25, services=1, owner=None)
    inv = collect_alb_inventory(aws, None, ORIGIN)
    assert inv.ecs_services == []
    assert [u.what for u in inv.unknowns] == ["ecs:ListServices (the ECS service behind the targets)"]
    assert "stopped at its limit" in inv.unknowns[0].reason


def test_the_inventory_and_the_asset_host_read_ask_the_same_ecs_reads():
    """Same reads, same parameters: the diagnosis's read cache answers the second search from the first."""
    first, second = FakeAccount(), FakeAccount()
    env_mentions(first, ["d111.cloudfront.net"], [LB_DNS])
    collect_alb_inventory(second, None, ORIGIN)
    assert sorted(_ecs_reads(first.calls)) == sorted(_ecs_reads(second.calls))
