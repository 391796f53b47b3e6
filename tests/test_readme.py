"""The README's quickstart is what CI runs, so it cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_test_command() -> str:
    """The README's second quickstart command: install with the test extra and run the suite."""
    readme = (ROOT / "README.md").read_text()
    (command,) = [line for line in readme.splitlines()
                  if line.startswith("python3 -m venv") and "'.[test]'" in line and "pytest" in line]
    return command


def test_ci_runs_the_readme_test_command():
    """.ci/run executes exactly the test command the README's quickstart shows, before anything else."""
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in ci if line.strip() and not line.lstrip().startswith("#")
                and not line.startswith(("set ", "cd ", "ROOT=", "START=", "step()", "WORK=", "trap ", "step "))]
    assert commands[0] == readme_test_command()


def test_ci_checks_the_wheel_from_outside_the_checkout():
    """.ci/run builds the wheel, installs it with the lab extra in a fresh venv and runs the three
    commands a new user runs, from another directory, checking the three seed-000 root causes."""
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip wheel -q --no-deps" in ci and '"$WHEEL[lab]"' in ci
    assert 'cd "$WORK/elsewhere"' in ci
    for command in ('"$EDGEWIZ" --version', '"$EDGEWIZ" lab run asset-403-stacked --json', '"$EDGEWIZ" iam-policy'):
        assert command in ci
    assert '["s3.policy.oac-sourcearn-mismatch", "s3.object-missing", "s3.cors.missing"]' in ci


def test_readme_quickstart_runs_the_lab():
    """The README's first quickstart command installs and runs the main job on the embedded lab."""
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"pip install -q -e '\.\[lab\]' && \.venv/bin/edgewiz lab run asset-403-stacked", readme)


def test_readme_states_the_python_floor_pyproject_declares():
    """The README's install section names the same minimum Python as requires-python."""
    floor = re.search(r'^requires-python = ">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text(), re.M)[1]
    readme = (ROOT / "README.md").read_text()
    assert f"Python {floor} or newer" in readme
    assert "pipx install" in readme
