"""The walk's read-ahead (wizard/probes/prefetch.py) warms the read cache with the next step's reads
and changes nothing a user sees: the same root causes, probe statuses and per-probe call counts,
and no more AWS requests than without it (counted where they leave the process, at botocore's
`before-send`, against the real lab). A denied read still leaves its part unknown."""

from __future__ import annotations

import collections
import datetime
import threading
from dataclasses import dataclass
from typing import Dict, List, Tuple

import pytest

from tests.shared_lab import shared_aws_server
from wizard.aws.facts import EdgeFacts
from wizard.aws.session import AwsAccess
from wizard.diagnose import Diagnosis, diagnose
from wizard.engine.facts import Symptom
from wizard.http.client import HttpProber
from wizard.lab.lab import Lab
from wizard.lab.scenario import load_scenario
from wizard.model import ProbeOutcome
from wizard.playbooks import load
from wizard.probes import prefetch
from wizard.probes.runner import ProbeRunner


class CountingAccess(AwsAccess):
    """AwsAccess that counts every request its clients send (retries included)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sent: collections.Counter = collections.Counter()

    def client(self, service: str, region=None):
        client = super().client(service, region)
        client.meta.events.register("before-send", self._on_send, unique_id="test-read-ahead-count")
        return client

    def _on_send(self, request=None, **_kwargs) -> None:
        self.sent[(request.method, request.url.split("?")[0])] += 1


@dataclass
class Run:
    diagnosis: Diagnosis
    sent: int
    saved: int

    def probes(self) -> Dict[str, Tuple[str, int]]:
        return {p.name: (p.status, p.aws_calls) for p in self.diagnosis.probes}


def _diagnose(env, read_ahead: bool, credentials=None) -> Run:
    access = CountingAccess(region=env.region, endpoint_url=env.aws_endpoint,
                            credentials=credentials or env.credentials)
    runner = ProbeRunner(access, HttpProber(connect_to={"*": env.edge_address}), read_ahead=read_ahead)
    try:
        diagnosis = diagnose(load(), env.symptom, runner)
    finally:
        runner.close()
    return Run(diagnosis, sum(access.sent.values()), access.calls_saved)


SCENARIOS = ["asset-403-stacked", "alb-504-ghost-sg-reference", "website-403-stacked-bpa-referer",
             "oai-403-kms-encrypted"]


@pytest.fixture(scope="module")
def both_ways():
    """Each scenario diagnosed without and with read-ahead, each in a lab built afresh: the lab's
    log bucket grows with every request a diagnosis makes, so a second diagnosis in one lab reads more."""
    runs: Dict[str, Tuple[Run, ...]] = {}
    for name in SCENARIOS:
        pair = []
        for read_ahead in (False, True):
            with Lab(load_scenario(name), aws_server=shared_aws_server()) as env:
                pair.append(_diagnose(env, read_ahead=read_ahead))
        runs[name] = tuple(pair)
    return runs


@pytest.mark.lab
@pytest.mark.parametrize("name", SCENARIOS)
def test_the_verdict_and_every_probe_read_the_same_with_read_ahead(both_ways, name):
    without, with_ahead = both_ways[name]
    assert [f.id for f in with_ahead.diagnosis.root_causes] == [f.id for f in without.diagnosis.root_causes]
    assert [u.what for u in with_ahead.diagnosis.unknowns] == [u.what for u in without.diagnosis.unknowns]
    # Status and AWS calls per probe: a probe served by its read-ahead is credited with its calls.
    assert with_ahead.probes() == without.probes()
    assert with_ahead.diagnosis.aws_calls == without.diagnosis.aws_calls


@pytest.mark.lab
@pytest.mark.parametrize("name", SCENARIOS)
def test_read_ahead_sends_no_more_requests(both_ways, name):
    without, with_ahead = both_ways[name]
    assert with_ahead.sent == without.sent


@pytest.mark.lab
@pytest.mark.parametrize("name", ["asset-403-stacked", "alb-504-ghost-sg-reference"])
def test_the_next_step_is_answered_from_what_was_read_ahead(both_ways, name):
    """The bucket (or load balancer) step finds its reads already in the cache: more reads are
    answered from memory than without read-ahead, for the same requests sent."""
    without, with_ahead = both_ways[name]
    assert with_ahead.saved > without.saved


@pytest.mark.lab
def test_a_denied_read_ahead_still_leaves_its_part_unknown():
    """s3:GetBucketPolicy refused: the read-ahead's refusal is the real probe's answer: denied,
    the bucket policy unknown, no verdict claimed."""
    from tests.trust.iam_mode import iam_enforced
    from wizard.aws.iam_policy import policy_actions

    lab = Lab(load_scenario("asset-403-oac-wrong-distribution"), aws_server=shared_aws_server())
    env = lab.start()
    try:
        with iam_enforced(lab) as iam:
            partial = iam.user("oncall-no-policy-read", [a for a in policy_actions() if a != "s3:GetBucketPolicy"])
            run = _diagnose(env, read_ahead=True, credentials=partial)
    finally:
        lab.stop()
    probe = next(p for p in run.diagnosis.probes if p.name == "aws.bucket_policy")
    assert probe.status == "denied" and probe.missing_action == "s3:GetBucketPolicy"
    assert any("bucket policy" in u.what for u in run.diagnosis.unknowns)
    assert not run.diagnosis.root_causes or {f.id for f in run.diagnosis.root_causes} <= {
        "s3.policy.oac-sourcearn-mismatch"}


# Which step is certain: pure, on the real playbook ------------------------------------------------

def _facts_with_distribution(domain: str) -> EdgeFacts:
    facts = EdgeFacts(Symptom(url="https://assets.example.com/app.js"))
    config = {"Origins": {"Items": [{"Id": "o1", "DomainName": domain, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
              "DefaultCacheBehavior": {"TargetOriginId": "o1"}}
    facts.outcomes["aws.distribution"] = ProbeOutcome(
        "aws.distribution", "ok", data={"found": True, "id": "E1", "domain": "d1.cloudfront.net", "aliases": [],
                                         "config": config})
    return facts


def test_the_origin_step_is_read_ahead_during_the_edge_step():
    flow = load().flows["edge"]
    facts = _facts_with_distribution("assets.s3.us-east-1.amazonaws.com")
    node = flow.nodes["edge_config"]
    ahead = prefetch.probes_ahead(flow, "edge_config", facts, node.probes)
    assert [n.id for n in prefetch.probe_nodes_ahead(flow, "edge_config", facts, node.probes)] == ["s3_rest_probes"]
    # aws.encryption reads what aws.object finds; aws.scp is ahead too (the account is known).
    assert set(ahead) == {"aws.bucket_policy", "aws.bucket_cors", "aws.object", "aws.object_owner", "aws.scp"}


def test_once_the_distribution_is_found_the_edge_and_origin_steps_are_read_ahead_during_the_ecs_search():
    flow = load().flows["edge"]
    facts = _facts_with_distribution("assets.s3.us-east-1.amazonaws.com")
    nodes = prefetch.probe_nodes_ahead(flow, "locate", facts, ["aws.ecs_env"])
    assert [n.id for n in nodes] == ["edge_config", "s3_rest_probes"]
    ahead = prefetch.probes_ahead(flow, "locate", facts, ["aws.ecs_env"])
    assert {"aws.origin_policies", "aws.bucket_policy", "aws.object"} <= set(ahead)
    assert "aws.waf" not in ahead and "aws.encryption" not in ahead


def test_nothing_is_read_ahead_past_a_branch_the_running_step_decides():
    flow = load().flows["edge"]
    facts = EdgeFacts(Symptom(url="https://assets.example.com/app.js"))
    # reproduce -> what_answered (decided by the HTTP probes now running); locate -> found (by the
    # distribution probe now running): no next step is certain.
    assert prefetch.probes_ahead(flow, "reproduce", facts, flow.nodes["reproduce"].probes) == ()
    assert prefetch.probes_ahead(flow, "locate", facts, flow.nodes["locate"].probes) == ()


def test_a_cancelled_runner_reads_nothing_ahead():
    sent: List[str] = []

    class Access:
        reads = object()  # a read cache is there: read-ahead is on

        def add_listener(self, listener):
            pass

        def client(self, *_args, **_kwargs):
            sent.append("client")
            raise AssertionError("no read may start")

    runner = ProbeRunner(Access())
    try:
        facts = _facts_with_distribution("assets.s3.us-east-1.amazonaws.com")
        runner.read_ahead(facts, lambda unfinished: ["aws.bucket_policy"])
        runner.cancelled.set()
        runner.run(facts, [])
        runner._ahead._pool.shutdown(wait=True)
    finally:
        runner.close()
    assert sent == []


# The logging bucket's listing: read ahead, its objects not ---------------------------------------

def _facts_with_logged_alb() -> EdgeFacts:
    facts = EdgeFacts(Symptom(url="https://app.example.com/"))
    config = {"Origins": {"Items": [{"Id": "alb", "DomainName": "web-1.us-east-1.elb.amazonaws.com",
                                     "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}}]},
              "DefaultCacheBehavior": {"TargetOriginId": "alb"},
              "Logging": {"Enabled": True, "Bucket": "edge-logs.s3.amazonaws.com", "Prefix": "cf/"}}
    facts.outcomes["aws.distribution"] = ProbeOutcome(
        "aws.distribution", "ok", data={"found": True, "id": "E1", "domain": "d1.cloudfront.net", "aliases": [],
                                         "config": config})
    return facts


def test_the_logging_buckets_listing_is_read_ahead_with_the_load_balancer_during_the_ecs_search():
    flow = load().flows["edge"]
    facts = _facts_with_logged_alb()
    assert [n.id for n in prefetch.probe_nodes_ahead(flow, "locate", facts, ["aws.ecs_env"])] == [
        "edge_config", "alb_probes"]
    ahead = prefetch.probes_ahead(flow, "locate", facts, ["aws.ecs_env"])
    assert {"aws.alb_inventory", "aws.cloudfront_logs"} <= set(ahead)
    assert "aws.alb_metrics" not in ahead  # a time window ending now: never read twice


def test_reading_the_logs_ahead_lists_the_bucket_and_fetches_no_log_object():
    """The read-ahead of aws.cloudfront_logs sends only its listing (remembered by the read cache);
    the objects, streamed and never remembered, are fetched by the probe itself."""
    asked: List[Tuple[str, dict]] = []

    class S3:
        def list_objects_v2(self, **kwargs):
            asked.append(("ListObjectsV2", kwargs))
            return {"IsTruncated": False, "Contents": [
                {"Key": "cf/E1.2026-12-03-12.a.gz", "Size": 10,
                 "LastModified": datetime.datetime.now(datetime.timezone.utc)}]}

        def get_paginator(self, _name):
            raise AssertionError("one listing holds a day of a quiet distribution")

        def get_object(self, **kwargs):
            asked.append(("GetObject", kwargs))
            raise AssertionError("no log object is read ahead")

    class Access:
        region = "us-east-1"

        def client(self, service, region=None):
            assert service == "s3"
            return S3()

    class Runner:
        aws, http, deadline = Access(), None, None
        cancelled = threading.Event()

    prefetch.ReadAhead._one(Runner(), _facts_with_logged_alb(), "aws.cloudfront_logs")
    assert [name for name, _ in asked] == ["ListObjectsV2"]
    assert asked[0][1]["Bucket"] == "edge-logs" and asked[0][1]["Prefix"] == "cf/E1."
