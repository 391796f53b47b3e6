"""A probe that is denied or comes back truncated never adds a root cause and always adds an unknown
(issue 10 item 2): property-tested over the real probe names of wizard/probes/specs.py, on the facts
real lab runs recorded (the production probes against the lab), replayed through the production
playbook, checks and runner rules with one probe's result replaced."""

from __future__ import annotations

from typing import Dict, List, Sequence

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.aws.errors import explain
from wizard.diagnose import diagnose
from wizard.engine.facts import Facts
from wizard.lab.scenario import load_scenario
from wizard.model import ProbeOutcome
from wizard.playbooks import load
from wizard.probes.runner import blocked_needs, incomplete_outcome
from wizard.probes.specs import PROBES

# S3 (OAC, OAI, website), CORS, cross-account owner, KMS, WAF, ALB network and custom origin walks.
SCENARIOS = ["asset-403-object-missing", "oac-403-key-case", "oai-cross-account-object-owner", "oac-403-kms-key-policy",
             "asset-cors-origin-not-allowed", "website-403-block-public-access-bucket", "waf-403-ip-set-rule",
             "alb-504-ghost-sg-reference", "origin-502-tls-name-mismatch",
             "apigw-403-origin-path-missing-stage", "lambda-url-403-oac-permission-missing",
             "ec2-504-sg-missing-cloudfront", "vpc-origin-504-sg-missing"]
KINDS = ("denied", "truncated")


def _denied(name: str) -> ProbeOutcome:
    """What the runner records when AWS refuses the probe's first call (explain() of an AccessDenied)."""
    operations = PROBES[name].operations
    service, _, operation = (operations[0] if operations else "http:GET").partition(":")
    failure = explain(ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"},
                                   "ResponseMetadata": {"HTTPStatusCode": 403}}, operation), service, operation)
    return ProbeOutcome(name, failure.status, error=failure.message, missing_action=failure.missing_action)


def _replaced(name: str, kind: str) -> ProbeOutcome:
    if kind == "denied":
        return _denied(name)
    return incomplete_outcome(name, "the listing stopped at its cap; more pages were not read")


class Replay:
    """Answers probe nodes with the outcomes a real lab run recorded, one replaced; a probe whose
    needs now have no data is skipped, by the runner's own rule."""

    aws = None

    def __init__(self, recorded: Dict[str, ProbeOutcome], target: str, outcome: ProbeOutcome) -> None:
        self.recorded, self.target, self.outcome = recorded, target, outcome

    def run(self, facts: Facts, names: Sequence[str], listener=None) -> List[ProbeOutcome]:
        out = []
        for name in sorted(names, key=lambda n: _depth(n)):
            if name == self.target:
                outcome = self.outcome
            elif blocked_needs(facts, name):
                outcome = ProbeOutcome(name, "skipped", error="needs a probe that has no data")
            else:
                outcome = self.recorded.get(name) or ProbeOutcome(name, "skipped", error="not recorded")
            facts.outcomes[name] = outcome
            out.append(outcome)
        return [o for n in names for o in out if o.name == n]


def _depth(name: str) -> int:
    return 1 + max((_depth(d) for d in PROBES[name].needs), default=0)


class Recorded(dict):
    """Scenario -> (its probe outcomes by name, its Diagnosis); a short repr for failure reports."""

    def __repr__(self) -> str:
        return f"Recorded({sorted(self)})"


@pytest.fixture(scope="module")
def recorded(trust_lab_runs):
    out = Recorded()
    for name in SCENARIOS:
        diagnosis = trust_lab_runs(load_scenario(name)).diagnosis
        out[name] = ({p.name: p for p in diagnosis.probes}, diagnosis)
    return out


def _cases(recorded) -> List[tuple]:
    return [(scenario, probe) for scenario, (outcomes, _) in sorted(recorded.items())
            for probe in sorted(PROBES) if probe in outcomes and outcomes[probe].ok]


def _key(unknown) -> tuple:
    return (unknown.layer, unknown.what, unknown.reason)


@pytest.mark.lab
def test_the_recorded_runs_cover_the_aws_probes(recorded):
    """The property below is exercised on most probes: every one a built-in walk of these scenarios reaches."""
    covered = {probe for _, probe in _cases(recorded)}
    assert len(covered) >= 15, sorted(set(PROBES) - covered)


@pytest.mark.lab
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_denied_or_truncated_probe_never_adds_a_root_cause_and_always_adds_an_unknown(recorded, data):
    scenario, probe = data.draw(st.sampled_from(_cases(recorded)), label="scenario, probe")
    kind = data.draw(st.sampled_from(KINDS), label="replaced by")
    outcomes, before = recorded[scenario]
    after = diagnose(load(), before.symptom, Replay(outcomes, probe, _replaced(probe, kind)))
    added = {f.id for f in after.root_causes} - {f.id for f in before.root_causes}
    assert not added, f"{probe} {kind} in {scenario} added root causes {added}"
    assert {_key(u) for u in after.unknowns} - {_key(u) for u in before.unknowns}, \
        f"{probe} {kind} in {scenario} added no unknown (root causes {[f.id for f in after.root_causes]})"
