"""One request through the lab's edge reads each piece of state it does not change once: the route's
DNS, the load balancer's listeners and rules, the network path's groups, ACLs and interfaces, the
behavior's policies (each lab read is a round trip through moto, and an ALB story's request repeated
a dozen). Target health is read again after the simulator's own health check sets it."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest

from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario

pytestmark = pytest.mark.lab


def test_one_edge_request_sends_each_unchanging_read_once_and_answers_as_before(lab_aws):
    lab = Lab(load_scenario("alb-504-ghost-sg-reference"), aws_server=lab_aws)
    env = lab.start()
    sent: Counter = Counter()

    def count(model=None, params=None, **_kwargs):
        what = {k: params.get(k) for k in ("url_path", "query_string", "body")}  # the read and its arguments
        sent[(model.service_model.service_name, model.name, json.dumps(what, sort_keys=True, default=str))] += 1

    clients = list(lab._clients.values())
    try:
        for client in clients:
            client.meta.events.register("before-call", count)
        host = env.symptom.url.split("://", 1)[1].split("/", 1)[0]
        answer = httpx.get(f"http://{env.edge_address}/company/30", headers={"Host": host}, timeout=30)
    finally:
        for client in clients:
            client.meta.events.unregister("before-call", count)
        lab.stop()
    assert answer.status_code == 504  # the ALB cannot reach its targets: the scenario's symptom
    repeated = {key: n for key, n in sent.items() if n > 1 and key[1] != "DescribeTargetHealth"}
    assert repeated == {}
    assert any(key[1] == "DescribeNetworkAcls" for key in sent)  # the network path was walked
