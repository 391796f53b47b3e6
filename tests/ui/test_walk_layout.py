"""The walk screen reads like a map at every size (issue 12): titled panes that say which one has the
focus without colour, side by side when wide and stacked at 60×20, the blocked hop's rule visible or
reachable by scrolling, a numbered steps list whose past lines show what those steps saw without
probing again. (The snapshots are in test_snapshots_504.py / test_snapshots_403.py.)"""

from __future__ import annotations

import re

import pytest

from wizard.probes.specs import PROBES
from wizard.tui.app import EdgewizApp
from wizard.tui.widgets.path_graph_view import PathGraphView
from wizard.tui.widgets.step_list import StepList

from .screen import idle_walk, screen_text, until
from .walk_drive import pane_text, screen_rows
from .walk_drive import walk_to_step

SCENARIO = "alb-504-ghost-sg-reference"
pytestmark = pytest.mark.lab
NODE = "alb_probes"  # the load balancer step: its probes draw the ALB, its groups and the targets


def _top_border(app, pane: str) -> str:
    """The pane's top border row as drawn (its title is in it), cut to the pane's columns."""
    region = app.screen.query_one(f"#{pane}").region
    return screen_rows(app)[region.y][region.x:region.x + region.width]


async def test_at_60x20_the_panes_stack_and_the_blocked_rule_is_reachable(lab):
    """At 60×20 the three panes stack full width, each titled; the blocked hop leads the path pane and
    its rule, down to the group attached to nothing, comes into view by scrolling that pane."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(60, 20)) as pilot:
        await walk_to_step(pilot, NODE)
        screen = app.screen
        path, steps, step = (screen.query_one(f"#{i}") for i in ("path-pane", "steps-pane", "step"))
        assert path.region.x == steps.region.x == step.region.x == 0
        assert path.region.width == step.region.width == 60
        assert path.region.y < steps.region.y < step.region.y
        text = screen_text(app)
        assert "Path ✓ allowed ✗ blocked ? unknown" in text and "Steps" in text
        assert re.search(r"Step \d+ · now", text)
        assert "next step" in text  # the hint: what Enter does
        assert "✗ blocked: target group web-tg →" in text
        while not screen.query_one("#graph-scroll").has_focus:
            await pilot.press("tab")
        for _ in range(30):
            if "attached to nothing" in " ".join(screen_text(app).split()):
                break
            await pilot.press("down")
        words = " ".join(screen_text(app).split())
        assert "(alb-allow-all) · attached to nothing" in words
        assert "↳ rule tcp/80 from → SG ✗" in words


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_wide_terminals_give_the_graph_room(lab, size):
    """From 120 columns the distribution's hostname and the blocked hop's rule are on screen whole;
    at 200×60 every line of the graph and every step of the list fits without being cut."""
    app = EdgewizApp(lab)
    async with app.run_test(size=size) as pilot:
        await walk_to_step(pilot, NODE)
        view = app.screen.query_one(PathGraphView)
        text = screen_text(app)
        host = next(row.strip() for row in view.text.splitlines() if "cloudfront.net" in row)
        assert host in text and "…" not in host
        assert "(alb-allow-all) · attached to nothing" in text
        if size == (200, 60):
            for row in view.text.splitlines():
                assert "…" not in row and row.strip() in text
            steps = app.screen.query_one(StepList)
            for n, step in enumerate(steps.steps, 1):
                assert f"{n:>2} " in text and step.title in text


async def test_the_focused_pane_shows_without_colour(lab):
    """The focused pane's border is heavy and its title starts with ▶; Tab moves both."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk_to_step(pilot, NODE)
        assert _top_border(app, "step").startswith("┏━ ▶ Step")
        assert _top_border(app, "path-pane").startswith("╭─ Path")
        while not app.screen.query_one("#graph-scroll").has_focus:
            await pilot.press("tab")
        await pilot.pause()
        assert _top_border(app, "path-pane").startswith("┏━ ▶ Path")
        assert _top_border(app, "step").startswith("╭─ Step")


async def test_a_past_step_shows_what_it_saw_and_enter_comes_back(lab):
    """In the steps list, moving to a past probe step shows that step's probes and results from the
    walk's records (nothing is probed or journaled again); Enter comes back to the current step
    without advancing, and Enter again advances. The step pane's number is its line in the list."""
    app = EdgewizApp(lab)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk_to_step(pilot, NODE)
        screen = app.screen
        steps = screen.query_one(StepList)
        number = screen.number
        assert steps.steps[number - 1].node == NODE
        assert f"Step {number} · now" in screen_text(app)
        events, journal = len(screen.session.walk.events), screen.session.journal.path.read_text()
        past = next(i for i, s in enumerate(steps.steps) if s.kind == "probe" and s.node != NODE)
        while not steps.has_focus:  # the list grows when it has the focus (at 80×24 it keeps 3 lines)
            await pilot.press("tab")
        await pilot.pause()
        text = screen_text(app)
        assert f"Step {number} · now" in text  # focus moved, nothing else changed
        assert re.search(rf"^\W*{number} • {re.escape(steps.steps[number - 1].title)}", text, re.M)
        while steps.highlighted != past:
            await pilot.press("up")
        await pilot.pause()
        text = screen_text(app)
        assert f"Step {past + 1} · done, as recorded" in text
        assert f"back to step {number} (the current one)" in pane_text(app, "#hint")
        recorded = screen.query_one("#review-probes")
        assert recorded.order  # the probes of that step, with their recorded states
        shown = pane_text(app, "#review")
        assert PROBES[recorded.order[0]].title in shown  # the step's first probe, with its recorded state
        assert "nothing is probed again" in shown or len(recorded.order) > 1
        assert len(screen.session.walk.events) == events
        assert screen.session.journal.path.read_text() == journal

        await pilot.press("enter")
        await pilot.pause()
        assert screen.action_now.node.id == NODE and screen.reviewing is None
        assert f"Step {number} · now" in screen_text(app)
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "VerdictScreen"
                    or (idle_walk(app) and app.screen.action_now.node.id != NODE), what="the walk to advance")
