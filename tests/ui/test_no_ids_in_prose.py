"""No line a person reads STARTS with an internal finding id (s3.cors.missing): findings are named by
their titles and sentences; the id may follow in brackets or backticks (for search and JSON). On
asset-403-stacked (three root causes, an info finding): the text report, the Markdown report, every
step of the TUI walk and every entry of the TUI verdict, pane by pane."""

from __future__ import annotations

import re
from typing import Iterable, List

import pytest

from wizard.diagnose import auto_answer
from wizard.playbooks import load
from wizard.report import markdown_report, text_report
from wizard.tui.app import EdgewizApp
from wizard.tui.screens.verdict import VerdictScreen

from .screen import idle_walk, screen_text, start_walk, until

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-stacked"
IDS = load().catalog.ids()
# Pane borders and list marks a line may start with before its words.
_LEAD = re.compile(r"^[\s│┃║|╭╮╰╯─━═┌┐└┘├┤▏▕•\-*#>0-9.✓✗?!i→▶●·]*")


def _starting_with_an_id(lines: Iterable[str]) -> List[str]:
    """The lines (or pane segments) whose first word is a finding id."""
    bad = []
    for line in lines:
        for segment in re.split(r"[│┃║▕▏▎▍]", line):  # panes side by side: each starts a line of its own
            words = _LEAD.sub("", segment).lstrip("`[")
            if any(words.startswith(fid) for fid in IDS):
                bad.append(segment.strip())
    return bad


@pytest.fixture(scope="module")
def finished(lab):
    session = lab.new_session(lab.lab_env.symptom)
    return session, session.run_to_end(auto_answer)


def test_the_text_and_markdown_reports_name_findings_by_title(finished):
    session, diagnosis = finished
    assert len(diagnosis.root_causes) == 3
    text = text_report.render(diagnosis, redactor=session.redactor, width=100)
    assert _starting_with_an_id(text.splitlines()) == []
    md = markdown_report.render(diagnosis, session.redactor)
    assert _starting_with_an_id(md.splitlines()) == []


async def test_the_tui_verdict_names_findings_by_title(lab, finished):
    session, diagnosis = finished
    app = EdgewizApp(lab)
    async with app.run_test(size=(120, 60)) as pilot:
        screen = VerdictScreen(session, diagnosis)
        await app.push_screen(screen)
        await pilot.pause()
        entries = [i for i, item in enumerate(screen._items) if item is not None]
        assert len(entries) >= 4  # three root causes and what else is worth knowing
        for index in entries:
            screen.query_one("#findings").highlighted = index
            await pilot.pause()
            assert _starting_with_an_id(screen_text(app).splitlines()) == [], index


async def test_every_walk_step_names_findings_by_title(lab):
    app = EdgewizApp(lab)
    async with app.run_test(size=(120, 60)) as pilot:
        await start_walk(pilot)
        for _ in range(40):
            if type(app.screen).__name__ == "VerdictScreen":
                break
            await until(pilot, lambda: idle_walk(app) or type(app.screen).__name__ == "VerdictScreen",
                        what="the walk to wait for Enter")
            if type(app.screen).__name__ == "VerdictScreen":
                break
            assert _starting_with_an_id(screen_text(app).splitlines()) == []
            await _review_past_checks(pilot)
            await pilot.press("enter")
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == "VerdictScreen"
        assert REVIEWED  # a past check that found something was reopened


REVIEWED: List[str] = []


async def _review_past_checks(pilot) -> None:
    """Reopen each past check step (before the current one) that found a fault (once per walk): the step pane names what it
    found by its title, filled with the names (never the id, never a raw {template})."""
    app = pilot.app
    screen, steps = app.screen, app.screen.query_one("#steps")
    for index, step in enumerate(list(steps.steps)):
        if index >= screen.number - 1 or step.kind != "check" or not step.hits or step.node in REVIEWED:
            continue
        REVIEWED.append(step.node)
        steps.focus()
        steps.highlighted = index
        await pilot.pause()
        assert screen.reviewing == index
        text = screen_text(app)
        assert _starting_with_an_id(text.splitlines()) == []
        assert "{" not in " ".join(text.split()).split("done, as recorded", 1)[1]
        await pilot.press("enter")  # back to the current step, without advancing
        await pilot.pause()
