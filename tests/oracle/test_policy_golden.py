"""Golden bucket-policy cases from AWS's documentation (policy_cases.yaml): the diagnosis's evaluator
and the lab's own decision code must both give the documented answer."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from wizard.analysis.s3 import bucket_policy as bp
from wizard.analysis.s3 import policy_public as pp
from wizard.lab.edge import policy_oracle

from .conftest import cases, load

FILE = "policy_cases.yaml"
DEFAULTS: Dict[str, Any] = load(FILE).get("defaults", {})


def _field(case: Dict[str, Any], name: str) -> Any:
    return case.get(name, DEFAULTS.get(name))


def _diagnosis(case: Dict[str, Any]) -> str:
    who = case["principal"]
    if who == "anonymous":
        principal = bp.Principal.anonymous()
    elif "service" in who:
        principal = bp.Principal("service", who["service"])
    elif "oai" in who:
        principal = bp.Principal.oai(who["oai"], who.get("canonical", ""))
    else:
        principal = bp.Principal.aws(who["aws"])
    request = bp.Request(_field(case, "action"), _field(case, "resource"), principal, case.get("context") or {})
    return bp.evaluate(case["policy"], request).decision


def _lab(case: Dict[str, Any]) -> str:
    who = case["principal"]
    if who == "anonymous":
        caller = policy_oracle.Caller("anonymous")
    elif "service" in who:
        caller = policy_oracle.Caller("service", who["service"])
    elif "oai" in who:
        caller = policy_oracle.Caller("aws", policy_oracle.OAI_PREFIX + who["oai"], who.get("canonical", ""))
    else:
        caller = policy_oracle.Caller("aws", who["aws"])
    return policy_oracle.decide(case["policy"], _field(case, "action"), _field(case, "resource"), caller,
                                case.get("context") or {})


@pytest.mark.parametrize("case", cases(FILE))
def test_the_diagnosis_evaluator_gives_the_documented_decision(case):
    """wizard.analysis's bucket_policy.evaluate answers each documented case as AWS does."""
    assert _diagnosis(case) == case["expect"], case["rule"]


@pytest.mark.parametrize("case", cases(FILE))
def test_the_lab_decision_gives_the_documented_decision(case):
    """The lab's own policy_oracle.decide answers each documented case as AWS does."""
    assert _lab(case) == case["expect"], case["rule"]


@pytest.mark.parametrize("case", cases("public_cases.yaml"))
def test_the_diagnosis_judges_public_policies_as_documented(case):
    """bucket_policy.is_public_policy agrees with S3's "meaning of public"."""
    assert pp.is_public_policy(case["policy"]).public is case["expect"], case["rule"]


@pytest.mark.parametrize("case", cases("public_cases.yaml"))
def test_the_lab_judges_public_policies_as_documented(case):
    """The lab's policy_oracle.is_public agrees with S3's "meaning of public"."""
    assert policy_oracle.is_public(case["policy"]) is case["expect"], case["rule"]
