"""The finding-id contract lives in the repository: docs/findings.md is generated from
flows/findings.yaml and the built-in scenarios' `expect`, and must not drift from them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from wizard.lab.scenario import builtin_scenarios
from wizard.playbooks import load

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "findings.md"

# Findings no built-in scenario proves today, each with the reason; remove an id once a scenario names it.
NOT_PROVED_BY_A_SCENARIO = {
    # The targets' groups admit nothing from the ALB: tested on the reachability analysis
    # (tests/analysis/test_reachability.py); the 504 scenarios so far have a stale reference instead.
    "sg.target-ingress-missing",
}


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
    """Each id of the catalogue has a row in docs/findings.md, and the row names a scenario unless
    the id is one of the listed exceptions."""
    rows = {m[1]: m[2] for m in re.finditer(r"^\| `([a-z0-9.-]+)` \| [a-z-]+ \| .* \| (.*) \|$", PAGE.read_text(), re.M)}
    catalog = load().catalog
    assert sorted(set(catalog.ids()) - set(rows)) == []
    unproved = {finding_id for finding_id in catalog.ids() if "**none yet**" in rows[finding_id]}
    assert unproved == NOT_PROVED_BY_A_SCENARIO


def test_scenarios_expect_only_catalogued_ids(scenarios):
    """A scenario's expect names only ids the catalogue defines (a typo would prove nothing)."""
    ids = set(load().catalog.ids())
    named = {(s.name, i) for s in scenarios for key in ("root_causes", "also") for i in s.expect.get(key) or []}
    assert sorted((name, i) for name, i in named if i not in ids) == []
