"""A 504 in the app (seed 003 when the lab has it): CloudFront → ALB → targets, the walk names the
security-group rule that admits nobody and the path picture shows where the request stops."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import BUILTIN_DIR, load_scenario
from wizard.tui.app import EdgewizApp
from wizard.tui.widgets.path_picture import PathPicture

from .screen import screen_text, start_walk, walk_to_verdict

_CANDIDATES = sorted(p.stem for p in BUILTIN_DIR.glob("alb-504-*.yaml"))
SCENARIO = "alb-504-ghost-sg-reference" if "alb-504-ghost-sg-reference" in _CANDIDATES else \
    (_CANDIDATES[0] if _CANDIDATES else None)
pytestmark = [pytest.mark.lab, pytest.mark.skipif(SCENARIO is None, reason="no alb-504-* lab scenario yet")]


async def test_504_walk_reaches_its_root_cause_and_blocks_a_network_hop(lab):
    """Intake to verdict with Enter only: the scenario's root causes, and a blocked hop past the origin."""
    expected = load_scenario(SCENARIO).expected_root_causes
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        diagnosis = app.screen.diagnosis
        assert [f.id for f in diagnosis.root_causes] == expected
        assert any(e.status == "blocked" for e in diagnosis.path.edges)
        text = screen_text(app)
        assert "◉" not in text  # not the intake any more
        assert f"1 ✗ [{diagnosis.root_causes[0].layer}]" in text
        picture = app.screen.query_one(PathPicture)
        assert picture.rule_text.startswith("✗ blocked")
