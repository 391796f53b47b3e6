"""The finding-id contract lives in the repository: docs/findings.md is generated from
flows/findings.yaml and the built-in scenarios' `expect`, and must not drift from them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.shared_lab import builtin_scenarios
from wizard.playbooks import load

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "findings.md"

@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_findings", ROOT / "docs" / "make_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scenarios():
    return builtin_scenarios()


def test_the_findings_page_is_up_to_date(generator, scenarios):
    """docs/findings.md is exactly what `python docs/make_findings.py` writes from today's catalogue
    and scenarios (run it after changing either)."""
    assert PAGE.read_text(encoding="utf-8") == generator.render(load().catalog, scenarios), \
        "docs/findings.md is stale: run python docs/make_findings.py"


def test_every_finding_id_is_on_the_page_with_its_scenarios():
    """Each id of the catalogue has a row in docs/findings.md, and the row names a scenario."""
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `([a-z0-9.-]+)` \| [a-z-]+ \| .* \| (.*) \|$", PAGE.read_text(), re.M)}
    catalog = load().catalog
    assert sorted(set(catalog.ids()) - set(rows)) == []
    unproved = {finding_id for finding_id in catalog.ids() if "**none yet**" in rows[finding_id]}
    assert unproved == set()


def test_every_finding_is_proved_by_a_built_in_scenario(scenarios):
    """Each root-cause finding of the catalogue is the expected root cause of at least one built-in
    scenario (so the e2e test has seen the diagnosis raise it, from lab state); an info finding,
    which by its declared severity is never a root cause, is expected beside one. No exceptions:
    a new finding comes with its scenario."""
    catalog = load().catalog
    root_causes = {i for s in scenarios for i in s.expect.get("root_causes") or []}
    beside = {i for s in scenarios for i in s.expect.get("also") or []}
    unproved = sorted(i for i in catalog.ids()
                      if i not in (beside | root_causes if catalog.specs[i].severity == "info" else root_causes))
    assert unproved == []


def test_scenarios_expect_only_catalogued_ids(scenarios):
    """A scenario's expect names only ids the catalogue defines (a typo would prove nothing)."""
    ids = set(load().catalog.ids())
    named = {(s.name, i) for s in scenarios for key in ("root_causes", "also") for i in s.expect.get(key) or []}
    assert sorted((name, i) for name, i in named if i not in ids) == []
