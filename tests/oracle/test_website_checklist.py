"""The Knowledge Center's website-endpoint 403 checklist (website_checklist_cases.yaml): the lab's S3
simulator gives the documented status for each item, and each item names a built-in scenario whose
expected root causes hold the finding the diagnosis must report for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from wizard.analysis.edge.cloudfront_config import classify_origin
from wizard.lab.edge import s3_origin

from .conftest import cases
from .fake_view import SiteState

FILE = "website_checklist_cases.yaml"
SCENARIOS = Path(__file__).resolve().parents[2] / "wizard" / "lab" / "scenarios"
ORIGIN = classify_origin({"Id": "site", "DomainName": "docs-bucket.s3-website-us-east-1.amazonaws.com"})


@pytest.mark.parametrize("case", cases(FILE))
def test_the_lab_s3_website_answers_each_checklist_item_as_documented(case):
    """The simulator's website endpoint gives the documented status for the bucket state."""
    state = dict(case["state"])
    if "policy" in state:
        state["policy"] = json.dumps(state["policy"])
    view = SiteState(**state)
    call = s3_origin.OriginCall("GET", "page.html", case.get("headers") or {},
                                "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE", "111122223333")
    status, _, _ = s3_origin.answer(view, ORIGIN, call)
    assert status == case["expect"], case["rule"]


@pytest.mark.parametrize("case", cases(FILE))
def test_each_checklist_item_is_a_built_in_scenario_the_diagnosis_must_solve(case):
    """The item's scenario exists and expects the item's finding (none for the healthy baseline)."""
    scenario = yaml.safe_load((SCENARIOS / f"{case['scenario']}.yaml").read_text(encoding="utf-8"))
    expected = scenario["expect"]["root_causes"]
    if case["finding"] is None:
        assert expected == []
    else:
        assert case["finding"] in expected
