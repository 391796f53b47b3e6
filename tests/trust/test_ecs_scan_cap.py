"""The ECS scan behind app.asset-host-cloudfront stops at 20 clusters / 200 services: a scan cut
short that found nothing is unknown, never "the task definitions do not set the asset host"."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from wizard.aws.ecs import env_mentions
from wizard.aws.facts import EdgeFacts
from wizard.engine.facts import Symptom
from wizard.model import ProbeOutcome
from wizard.probes.aws_probes import ecs_env
from wizard.probes.context import ProbeContext, ProbeIncomplete

DOMAIN = "d111111abcdef8.cloudfront.net"


class _Pages:
    def __init__(self, services: List[str]) -> None:
        self.services = services

    def paginate(self, cluster: str):
        yield {"serviceArns": self.services}


class FakeEcs:
    """An ECS API answering as AWS would for `clusters` clusters of `services` services each; one
    task definition, whose environment names the distribution when `mentions` is true."""

    def __init__(self, clusters: int, services: int, mentions: bool) -> None:
        self.clusters = [f"arn:aws:ecs:us-east-1:123456789012:cluster/c{i}" for i in range(clusters)]
        self.services = [f"svc-{i}" for i in range(services)]
        self.mentions = mentions

    def list_clusters(self) -> Dict[str, Any]:
        return {"clusterArns": self.clusters[:100], **({"nextToken": "more"} if len(self.clusters) > 100 else {})}

    def get_paginator(self, name: str) -> _Pages:
        assert name == "list_services"
        return _Pages(self.services)

    def describe_services(self, cluster: str, services: List[str]) -> Dict[str, Any]:
        return {"services": [{"taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1"}]}

    def describe_task_definition(self, taskDefinition: str) -> Dict[str, Any]:
        value = f"https://{DOMAIN}" if self.mentions else "https://assets.example.com"
        return {"taskDefinition": {"family": "web", "revision": 1, "containerDefinitions": [
            {"name": "app", "environment": [{"name": "RAILS_ASSET_HOST", "value": value}]}]}}


class FakeAccess:
    def __init__(self, ecs: FakeEcs) -> None:
        self.ecs = ecs

    def client(self, name: str) -> FakeEcs:
        assert name == "ecs"
        return self.ecs


def _ctx(ecs: FakeEcs) -> ProbeContext:
    dist = ProbeOutcome("aws.distribution", "ok", data={"found": True, "id": "E1", "domain": DOMAIN,
                                                         "aliases": [], "config": {}})
    return ProbeContext(EdgeFacts(Symptom(f"https://{DOMAIN}/a.js"), {"aws.distribution": dist}),
                        aws=FakeAccess(ecs))


@pytest.mark.parametrize("clusters, services", [(21, 1), (1, 201), (150, 1)])
def test_a_scan_cut_short_without_a_match_is_incomplete(clusters, services):
    """Past either cap, finding nothing is not evidence: the probe says it read only part."""
    assert env_mentions(FakeAccess(FakeEcs(clusters, services, False)), [DOMAIN])["cut_short"] is True
    with pytest.raises(ProbeIncomplete):
        ecs_env(_ctx(FakeEcs(clusters, services, False)))


def test_a_match_in_a_cut_scan_is_still_evidence():
    """A task definition that names the distribution is shown even when the scan stopped early."""
    found = ecs_env(_ctx(FakeEcs(21, 1, True)))
    assert found["cut_short"] is True and found["matches"][0]["name"] == "RAILS_ASSET_HOST"


def test_a_complete_scan_without_a_match_is_an_answer():
    """Within the caps, no match means no task definition sets the asset host."""
    found = ecs_env(_ctx(FakeEcs(3, 5, False)))
    assert found == {"matches": [], "task_definitions_scanned": 1, "cut_short": False}
