"""Provides what the layout and snapshot tests share: driving a walk with Enter to a chosen step
(its probes run), and masking what differs from run to run before a snapshot is taken (the
journal's temporary path, probe timings) so the SVGs compare byte for byte."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

from tests.shared_lab import shared_aws_server
from wizard.front import Backend, LaunchOptions
from wizard.tui.widgets.probe_status import ProbeStatus

from .screen import _TEXT, idle_walk, screen_text, start_walk, until, walk_to_verdict

MASKED_JOURNAL = "journal (path masked for the snapshot)"


def fresh_backend(scenario: str, journal_dir: Path) -> Backend:
    """A Backend on a lab built for this one snapshot: walking a lab leaves traces in it (the edge's
    access logs count every request), so a second walk on the same lab would draw other numbers.
    Built in the process's shared lab AWS server, which a Lab resets before it builds (stopping a
    server of its own would wait 0.5 s for werkzeug's poll)."""
    backend = Backend(LaunchOptions(lab=scenario, journal_dir=journal_dir), aws_server=shared_aws_server())
    backend.start_lab()
    return backend


async def walk_to_step(pilot, node: str, max_steps: int = 40) -> None:
    """From the intake, press Enter step after step until `node`'s probes have run."""
    app = pilot.app
    await start_walk(pilot)
    for _ in range(max_steps):
        await until(pilot, lambda: idle_walk(app), what="the walk to wait for Enter")
        screen = app.screen
        if screen.action_now.node.id == node and screen.probed:
            return
        await pilot.press("enter")
        await pilot.pause(0.05)
    raise AssertionError(f"the walk did not reach {node}\n{screen_text(app)}")


async def drive_to_verdict(pilot) -> None:
    """From the intake to the verdict screen, with Enter only."""
    await start_walk(pilot)
    await walk_to_verdict(pilot)
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "VerdictScreen", what="the verdict")


async def mask_run_specifics(pilot) -> None:
    """Replace what changes from run to run with fixed text: the journal path in the header and
    each probe's duration (the rest of what is drawn comes from the seeded lab and is the same)."""
    app = pilot.app
    for screen in app.screen_stack:
        if screen.sub_title:
            screen.sub_title = MASKED_JOURNAL
        for status in screen.query(ProbeStatus):
            for probe, (state, outcome) in list(status.states.items()):
                if outcome is not None:
                    status.update_probe(probe, state, dataclasses.replace(outcome, ms=0.0))
    # Where a pane's scrollbar sits depends on when the last probe row arrived: start every pane
    # at its top, and let the layout settle before the picture is taken.
    # The thumb's size also depends on what lies below the fold (e.g. a metric count the lab publishes
    # per request, so it varies with how the walk was scheduled): the pictures leave scrollbars out.
    for scroller in app.screen.query("#step-body, #graph-scroll, #review, #detail"):
        scroller.scroll_home(animate=False)
        scroller.styles.scrollbar_size_vertical = 0
    await pilot.pause(0.3)
    await pilot.wait_for_scheduled_animations()


def screen_rows(app) -> dict:
    """The screen as {row number: text}, each character at its column (screen_text keeps only the
    text, so columns shift where a row has gaps). Textual's SVG puts a cell every 12.2 px."""
    rows: dict = {}
    for match in _TEXT.finditer(app.export_screenshot()):
        row = rows.setdefault(int(match.group(2)), {})
        column = round(float(match.group(1)) / 12.2)
        for i, char in enumerate(html.unescape(match.group(3)).replace("\xa0", " ")):
            row[column + i] = char
    return {n: "".join(cells.get(c, " ") for c in range(max(cells) + 1)) for n, cells in rows.items()}


def pane_text(app, selector: str) -> str:
    """The text drawn inside one widget's region, words joined by single spaces (what a person
    reads in that pane, without the panes beside it)."""
    region = app.screen.query_one(selector).region
    rows = screen_rows(app)
    cut = [rows.get(y, "")[region.x:region.x + region.width] for y in range(region.y, region.bottom)]
    return " ".join(" ".join(cut).split())
