"""The ALB's metrics and certificate need only the load balancer, its listeners and target groups (the
ALB inventory's first reads), not the security groups, interfaces and ACLs behind the targets: they
start with the inventory instead of after it (one round trip less), read those with the inventory's
own requests (so the diagnosis's read cache sends each once), and find the same load balancer.

"Start with" is shown without timing: the inventory's stand-in waits (up to a few seconds) for both to
have started; had they waited for it, they never would have."""

from __future__ import annotations

import collections
import threading
from urllib.parse import parse_qs

import pytest

from tests.shared_lab import shared_aws_server
from wizard.aws.cloudwatch import load_balancer_dimension
from wizard.aws.session import AwsAccess
from wizard.diagnose import diagnose
from wizard.engine.facts import Facts, Symptom
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.model import ProbeOutcome
from wizard.playbooks import load
from wizard.probes import registry
from wizard.probes.runner import ProbeRunner

_WAIT_S = 5.0  # a bound on waiting, not a measured time
ALB_STEP = ["aws.alb_inventory", "aws.alb_metrics", "aws.alb_certificate"]


def test_the_metrics_and_certificate_start_while_the_inventory_still_reads(monkeypatch):
    started = {"aws.alb_metrics": threading.Event(), "aws.alb_certificate": threading.Event()}
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.alb_inventory",
                        lambda ctx: {"others_started": all(e.wait(_WAIT_S) for e in started.values())})
    for name, event in started.items():
        monkeypatch.setitem(registry.IMPLEMENTATIONS, name, lambda ctx, event=event: (event.set(), {})[1])
    facts = Facts(Symptom("https://app.example.com/"))
    facts.outcomes["aws.distribution"] = ProbeOutcome("aws.distribution", "ok", data={"found": True})
    facts.outcomes["aws.origin_policies"] = ProbeOutcome("aws.origin_policies", "ok", data={})
    runner = ProbeRunner()
    try:
        outcomes = {o.name: o for o in runner.run(facts, ALB_STEP)}
    finally:
        runner.close()
    assert outcomes["aws.alb_inventory"].data == {"others_started": True}
    assert [o.status for o in outcomes.values()] == ["ok", "ok", "ok"]


class _CountingAccess(AwsAccess):
    """AwsAccess that counts each ELB request its clients send, by action (retries included)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sent: collections.Counter = collections.Counter()

    def client(self, service: str, region=None):
        client = super().client(service, region)
        client.meta.events.register("before-send", self._on_send, unique_id="test-alb-front-count")
        return client

    def _on_send(self, request=None, **_kwargs) -> None:
        body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
        self.sent[(parse_qs(body).get("Action") or [""])[0]] += 1


@pytest.mark.lab
@pytest.mark.parametrize("read_ahead", [True, False])
def test_the_metrics_and_certificate_read_the_inventorys_load_balancer_with_its_own_requests(read_ahead):
    with Lab(load_scenario("alb-504-ghost-sg-reference"), aws_server=shared_aws_server()) as env:
        access = _CountingAccess(region=env.region, endpoint_url=env.aws_endpoint, credentials=env.credentials)
        runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}), read_ahead=read_ahead)
        try:
            diagnosis = diagnose(load(), env.symptom, runner)
        finally:
            runner.close()
    probes = {p.name: p for p in diagnosis.probes}
    assert {probes[n].status for n in ALB_STEP} == {"ok"}
    inventory = probes["aws.alb_inventory"].data
    lb_arn = inventory["load_balancer"]["LoadBalancerArn"]
    dimensions = {s["dimension"] for s in probes["aws.alb_metrics"].data["series"]}
    assert load_balancer_dimension(lb_arn) in dimensions
    assert probes["aws.alb_certificate"].data["load_balancer"] == inventory["load_balancer"]["LoadBalancerName"]
    # Asked by three probes, sent once: the read cache answers the others (or makes them wait for it).
    for action in ("DescribeLoadBalancers", "DescribeListeners", "DescribeTargetGroups"):
        assert access.sent[action] == 1, action
