"""The probe runner starts each probe as soon as what it needs is done (not when a whole wave is),
records outcomes in the node's declared order whatever finishes first, and a failed probe still
leaves the probes that need it without data (skipped, so every check on them says unknown)."""

from __future__ import annotations

import threading

from botocore.exceptions import ClientError

from wizard.engine.facts import Facts, Symptom
from wizard.probes import registry
from wizard.probes.runner import ProbeRunner

STEP = ["http.viewer", "aws.distribution", "aws.ecs_env"]  # aws.ecs_env needs aws.distribution


def _facts() -> Facts:
    return Facts(Symptom("https://assets.example.com/app.js"))


def test_a_probe_starts_when_its_need_is_done_not_when_unrelated_probes_are(monkeypatch):
    dependant_ran = threading.Event()
    # The slow, unrelated probe finishes only once the dependant has run: with waves it would wait
    # for the whole first wave (itself) and the dependant would never start in time.
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "http.viewer",
                        lambda ctx: {"dependant_ran_meanwhile": dependant_ran.wait(10)})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.distribution", lambda ctx: {"id": "E1"})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.ecs_env",
                        lambda ctx: (dependant_ran.set(), {"saw": ctx.facts.data("aws.distribution")})[1])
    runner = ProbeRunner()
    try:
        outcomes = runner.run(_facts(), STEP)
    finally:
        runner.close()
    by_name = {o.name: o for o in outcomes}
    assert by_name["http.viewer"].data == {"dependant_ran_meanwhile": True}
    assert by_name["aws.ecs_env"].data == {"saw": {"id": "E1"}}  # it ran on its need's data


def test_outcomes_are_recorded_in_declared_order_whatever_finishes_first(monkeypatch):
    first_may_finish = threading.Event()
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "http.viewer", lambda ctx: {"late": first_may_finish.wait(10)})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.distribution", lambda ctx: {"id": "E1"})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.ecs_env", lambda ctx: (first_may_finish.set(), {})[1])
    facts = _facts()
    runner = ProbeRunner()
    try:
        outcomes = runner.run(facts, STEP)
    finally:
        runner.close()
    assert [o.name for o in outcomes] == STEP
    assert list(facts.outcomes) == STEP  # the report's and the journal's order, not the finishing order


def test_a_failed_probe_leaves_its_dependants_unknown_under_concurrency(monkeypatch):
    def denied(ctx):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, "ListDistributions")

    ran = []
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "http.viewer", lambda ctx: {"status": 403})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.distribution", denied)
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.ecs_env", lambda ctx: ran.append("ecs") or {})
    monkeypatch.setitem(registry.IMPLEMENTATIONS, "aws.bucket_policy", lambda ctx: ran.append("policy") or {})
    runner = ProbeRunner()
    try:
        outcomes = {o.name: o for o in runner.run(_facts(), STEP + ["aws.bucket_policy"])}
    finally:
        runner.close()
    assert outcomes["aws.distribution"].status == "denied"
    for dependant in ("aws.ecs_env", "aws.bucket_policy"):
        assert outcomes[dependant].status == "skipped"
        assert "needs aws.distribution" in outcomes[dependant].error
    assert ran == []  # never run on a guess
    assert outcomes["http.viewer"].ok
