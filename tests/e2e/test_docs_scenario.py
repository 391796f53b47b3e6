"""A scenario written by someone else, by following docs/scenarios.md, runs without code changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wizard.lab.scenario import load_scenario

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenarios.md"


@pytest.mark.lab
def test_the_documented_example_runs_and_is_diagnosed(tmp_path, lab_runs):
    """The complete example in docs/scenarios.md loads, builds in the lab and gets its expected verdict."""
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", DOC.read_text(), re.S).group(1)
    path = tmp_path / "my-oac-typo.yaml"
    path.write_text(example)
    scenario = load_scenario(str(path))
    run = lab_runs(scenario)
    assert [f.id for f in run.diagnosis.root_causes] == scenario.expected_root_causes
