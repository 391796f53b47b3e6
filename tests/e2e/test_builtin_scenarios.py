"""Every built-in scenario, diagnosed in the lab, reports exactly the root causes its story has."""

from __future__ import annotations

import pytest

from wizard.aws.guard import is_allowed
from tests.shared_lab import builtin_scenarios

SCENARIOS = builtin_scenarios()


@pytest.mark.lab
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_reports_its_root_causes(scenario, lab_runs):
    """The diagnosis names exactly the expected root causes (no more, no fewer) and the extra findings."""
    run = lab_runs(scenario)
    found = [f.id for f in run.diagnosis.root_causes]
    assert sorted(found) == sorted(scenario.expected_root_causes), run.diagnosis.unknowns
    others = {f.id for f in run.diagnosis.findings if f.severity != "root-cause"}
    assert set(scenario.expect.get("also") or []) <= others


@pytest.mark.lab
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_diagnosis_sends_only_reads(scenario, lab_runs):
    """Every AWS operation a diagnosis sends is a read (the guard would refuse anything else)."""
    run = lab_runs(scenario)
    assert run.operations, "a diagnosis that sends no AWS call proves nothing here"
    assert [op for op in run.operations if not is_allowed(*op)] == []


@pytest.mark.lab
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_every_fix_names_real_resources(scenario, lab_runs):
    """No root cause's fix is left with an unfilled <placeholder> for a name the diagnosis knew."""
    run = lab_runs(scenario)
    for finding in run.diagnosis.root_causes:
        for name in ("<bucket>", "<distribution_id>", "<key>", "<alb_sg>", "<target_sg>", "<port>"):
            assert name not in finding.fix, (finding.id, name)
