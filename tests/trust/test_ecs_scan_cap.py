"""The ECS read behind app.asset-host-cloudfront follows the evidence (a load balancer's target group
to the service that registers with it) and stops at 20 clusters / 200 services: a search cut short
that found nothing is unknown, never "the task definitions do not set the asset host"; a big account
costs a handful of calls, not one per service; secrets and environment files are named, never read."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from wizard.aws.ecs import env_mentions
from wizard.aws.facts import EdgeFacts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome
from wizard.probes.aws_probes import ecs_env
from wizard.probes.context import ProbeContext, ProbeIncomplete, ProbeSkip

DOMAIN = "d111111abcdef8.cloudfront.net"
LB_DNS = "web-alb-1234567890.us-east-1.elb.amazonaws.com"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef"
ALB_ORIGIN = {"Id": "alb", "DomainName": LB_DNS, "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}}


class _Pages:
    def __init__(self, pages: List[Dict[str, Any]]) -> None:
        self.pages = pages

    def paginate(self, **_kwargs):
        yield from self.pages


class FakeAws:
    """ELBv2 and ECS answering as AWS would for `clusters` clusters of `services` services each; the
    service `owner` (cluster index, service index) registers with the ALB's target group, and its task
    definition's environment names the distribution when `mentions` is true."""

    def __init__(self, clusters: int, services: int, mentions: bool, owner=None) -> None:
        self.clusters = [f"arn:aws:ecs:us-east-1:123456789012:cluster/team-{i}" for i in range(clusters)]
        self.services = services
        self.owner = owner
        self.mentions = mentions
        self.calls: List[str] = []

    def client(self, name: str, region=None):
        assert name in ("ecs", "elbv2")
        return self

    def get_paginator(self, name: str) -> _Pages:
        self.calls.append(name)
        if name == "describe_load_balancers":
            return _Pages([{"LoadBalancers": [{"LoadBalancerName": "web-alb", "DNSName": LB_DNS,
                                               "LoadBalancerArn": "arn:lb"}]}])
        assert name == "list_services"
        return _Pages([{"serviceArns": []}])

    def describe_target_groups(self, LoadBalancerArn: str) -> Dict[str, Any]:
        self.calls.append("describe_target_groups")
        return {"TargetGroups": [{"TargetGroupArn": TG, "TargetGroupName": "web-tg"}]}

    def list_clusters(self) -> Dict[str, Any]:
        self.calls.append("list_clusters")
        return {"clusterArns": self.clusters[:100], **({"nextToken": "more"} if len(self.clusters) > 100 else {})}

    def _service_arns(self, cluster: str) -> List[str]:
        i = self.clusters.index(cluster)
        return [f"arn:aws:ecs:us-east-1:123456789012:service/team-{i}/" +
                ("web" if (i, j) == self.owner else f"batch-{i}-{j}") for j in range(self.services)]

    def describe_services(self, cluster: str, services: List[str]) -> Dict[str, Any]:
        self.calls.append("describe_services")
        out = []
        for arn in services:
            lbs = [{"targetGroupArn": TG}] if arn.endswith("/web") else []
            out.append({"serviceName": arn.rsplit("/", 1)[-1], "loadBalancers": lbs,
                        "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/"
                                          + arn.rsplit("/", 1)[-1] + ":1"})
        return {"services": out}

    def describe_task_definition(self, taskDefinition: str) -> Dict[str, Any]:
        self.calls.append("describe_task_definition")
        value = f"https://{DOMAIN}" if self.mentions else "https://assets.example.com"
        return {"taskDefinition": {"family": "web", "revision": 1, "containerDefinitions": [
            {"name": "app", "environment": [{"name": "RAILS_ASSET_HOST", "value": value}],
             "secrets": [{"name": "DATABASE_URL", "valueFrom": "arn:aws:secretsmanager:us-east-1:1:secret:db-XYZ"}],
             "environmentFiles": [{"value": "arn:aws:s3:::cfg-bucket/web/prod.env", "type": "s3"}]}]}}


class _ServicesPaged(FakeAws):
    def get_paginator(self, name: str) -> _Pages:
        if name == "list_services":
            self.calls.append(name)
            return _PagesFor(self)
        return super().get_paginator(name)


class _PagesFor:
    def __init__(self, aws: FakeAws) -> None:
        self.aws = aws

    def paginate(self, cluster: str):
        yield {"serviceArns": self.aws._service_arns(cluster)}


def _ctx(aws: FakeAws, origin=ALB_ORIGIN) -> ProbeContext:
    dist = ProbeOutcome("aws.distribution", "ok", data={
        "found": True, "id": "E1", "domain": DOMAIN, "aliases": [],
        "config": {"Origins": {"Items": [origin]}, "DefaultCacheBehavior": {"TargetOriginId": origin["Id"]}}})
    return ProbeContext(EdgeFacts(Symptom(f"https://{DOMAIN}/a.js"), {"aws.distribution": dist}), aws=aws)


@pytest.mark.parametrize("clusters, services", [(21, 1), (1, 201), (150, 1)])
def test_a_search_cut_short_without_a_match_is_incomplete(clusters, services):
    """Past either cap without the service, finding nothing is not evidence: the probe says it read only part."""
    aws = _ServicesPaged(clusters, services, False)
    assert env_mentions(aws, [DOMAIN], [LB_DNS])["cut_short"] is True
    with pytest.raises(ProbeIncomplete):
        ecs_env(_ctx(_ServicesPaged(clusters, services, False)))


def test_a_match_is_evidence_whatever_else_was_left_unread():
    found = ecs_env(_ctx(_ServicesPaged(25, 10, True, owner=(3, 4))))
    assert found["matches"][0]["name"] == "RAILS_ASSET_HOST" and found["services"] == ["web"]


def test_the_service_without_a_match_is_an_answer_and_names_its_secrets_not_their_values():
    found = ecs_env(_ctx(_ServicesPaged(3, 5, False, owner=(1, 2))))
    assert found["matches"] == [] and found["cut_short"] is False and found["task_definitions_scanned"] == 1
    assert found["unread"] == [{"task_definition": "web:1", "container": "app", "secrets": ["DATABASE_URL"],
                                "environment_files": ["prod.env"]}]
    assert "secretsmanager" not in repr(found) and "valueFrom" not in repr(found)


def test_a_big_account_costs_a_listing_per_cluster_not_a_read_per_service():
    """20 clusters of 10 services, each with its own task definition: the service named like the target
    group is described first and only its task definition is read. The old scan described all 200
    services (20 calls) and read all 200 task definitions: 241 calls; this is one listing per cluster
    plus a handful."""
    aws = _ServicesPaged(20, 10, True, owner=(13, 7))
    found = ecs_env(_ctx(aws))
    assert found["services"] == ["web"]
    assert aws.calls.count("describe_services") == 1 and aws.calls.count("describe_task_definition") == 1
    assert len(aws.calls) <= 20 + 5, aws.calls


def test_without_a_load_balancer_in_the_evidence_it_asks_instead_of_scanning():
    s3_origin = {"Id": "s3", "DomainName": "assets.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
    aws = _ServicesPaged(20, 10, True, owner=(13, 7))
    with pytest.raises(ProbeSkip):
        ecs_env(_ctx(aws, s3_origin))
    assert aws.calls == []


def test_a_service_whose_settings_come_from_secrets_says_so_by_name():
    """No environment value names the distribution, but the container takes secrets and env files: the
    asset host is unknown, and the unknown names them (never a value)."""
    from wizard.checks.application import asset_host

    ctx = _ctx(_ServicesPaged(3, 5, False, owner=(1, 2)))
    ctx.facts.outcomes["aws.ecs_env"] = ProbeOutcome("aws.ecs_env", "ok", data=ecs_env(ctx))
    hits, unknowns = asset_host(ctx.facts)
    assert hits == []
    assert [u.reason for u in unknowns] == [
        "it also takes secret DATABASE_URL, environment file prod.env, whose values edgewiz does not read"]
