"""The training data stays usable: every exercise names a built-in scenario and climbs a hint ladder, the
catalogue covers the seed stories and every level, and safety.yaml names only real findings and rules."""

from __future__ import annotations

import pytest

from tests.shared_lab import builtin_scenarios
from wizard.playbooks import load
from wizard.training.catalogue import CatalogueError, LEVELS, exercises, find, parse
from wizard.training.safety import KNOWN_RULES, load_rules


def test_every_exercise_runs_a_builtin_scenario_with_a_hint_ladder():
    names = {s.name for s in builtin_scenarios()}
    for ex in exercises():
        assert ex.scenario in names, ex.name
        assert len(ex.hints) >= 3 and ex.minutes > 0 and ex.brief, ex.name


def test_the_catalogue_covers_the_seed_stories_and_every_level():
    by_level = {level: [e.name for e in exercises() if e.level == level] for level in LEVELS}
    assert {"asset-403-stacked", "website-403-kms-requester-pays", "alb-504-ghost-sg-reference"} <= set(by_level["seed"])
    assert len(by_level["single"]) >= 5 and by_level["stacked"]


def test_a_brief_tells_the_complaint_not_the_finding():
    """The brief must not give the answer away: no finding id, and not the scenario's own story."""
    stories = {s.name: s.story for s in builtin_scenarios()}
    ids = load().catalog.ids()
    for ex in exercises():
        assert not [fid for fid in ids if fid in ex.brief], ex.name
        assert ex.brief.strip() not in stories[ex.scenario]


def test_safety_rules_are_keyed_by_real_findings_and_known_rules():
    rules = load_rules()
    catalog = load().catalog
    assert set(rules.rules) == set(KNOWN_RULES)
    for fid, names in rules.findings.items():
        assert fid in catalog, fid
        assert names and set(names) <= set(KNOWN_RULES), fid


def test_a_broken_catalogue_is_a_one_line_error():
    with pytest.raises(CatalogueError, match="exercise 1: hints"):
        parse({"exercises": [{"name": "x", "level": "seed", "scenario": "s", "minutes": 5, "brief": "b",
                              "hints": [{"a": "b"}]}]})
    with pytest.raises(CatalogueError, match="no exercise named"):
        find("no-such-exercise")
