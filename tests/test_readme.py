"""The README's quickstart is what CI runs, so it cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command():
    """.ci/run executes exactly the test command the README's quickstart shows."""
    ci = (ROOT / ".ci" / "run").read_text()
    command = [line for line in ci.splitlines() if line.startswith("python3 -m venv")][0]
    assert command in (ROOT / "README.md").read_text()


def test_readme_quickstart_runs_the_lab():
    """The README's first quickstart command installs and runs the main job on the embedded lab."""
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"pip install -q -e '\.\[lab\]' && \.venv/bin/edgewiz lab run asset-403-stacked", readme)
