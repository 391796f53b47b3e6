"""A 504 in the app (seed 003 when the lab has it): CloudFront → ALB → targets, the walk names the
security-group rule that admits nobody and the traffic graph shows where the request stops."""

from __future__ import annotations

import pytest

from wizard.lab.scenario import BUILTIN_DIR, load_scenario
from wizard.tui.app import EdgewizApp
from wizard.tui.widgets.path_graph_view import PathGraphView

from .screen import idle_walk, screen_text, start_walk, until, walk_to_verdict

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
        graph = app.screen.query_one(PathGraphView)  # the verdict draws the walk screen's graph
        assert graph.text.startswith("✗ blocked: target group web-tg →")
        assert "✗ blocked: target group web-tg →" in text


async def test_walk_screen_draws_the_graph_as_the_walk_narrows(lab):
    """At 80×24 the walk screen's path pane is the graph: before the network step nothing is blocked;
    once the load balancer step has run, the blocked hop to the targets leads the pane with its rule,
    and the group the targets' rule points at shows as attached to nothing."""
    if SCENARIO != "alb-504-ghost-sg-reference":
        pytest.skip("the seed-003 scenario is not in this lab")
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        view = app.screen.query_one(PathGraphView)
        assert "✗" not in view.text and "[✓] viewer →" in view.text
        for _ in range(20):
            if "✗ blocked" in view.text:
                break
            await pilot.press("enter")
            await pilot.pause(0.05)
            await until(pilot, lambda: idle_walk(app), what="the walk to wait for Enter")
        text = screen_text(app)
        assert "Path ✓ allowed ✗ blocked ? unknown" in text
        assert "✗ blocked: target group web-tg →" in text  # on screen, not only in the widget
        assert "(ecs-existing) ingress tcp/80 from" in view.text
        words = " ".join(view.text.split())
        assert "(alb-allow-all) · attached to nothing" in words
        assert "at web-alb (internet-facing): ◂ SG ✓ sg-" in words and "(alb-cloudfront-only)" in words
        assert "[✗] 10.0." in view.text
