"""Provides what the UI tests share: the screen's text as a person reads it (from the SVG
screenshot Textual renders), waiting for a condition while the app keeps running, and driving a
walk with the keyboard until the verdict."""

from __future__ import annotations

import html
import re
import time
from typing import Callable

_TEXT = re.compile(r'<text[^>]*\sx="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>([^<]*)</text>')


def screen_text(app) -> str:
    """The visible text of the current screen, one line per terminal row (what a person reads)."""
    rows = {}
    for match in _TEXT.finditer(app.export_screenshot()):
        rows.setdefault(int(match.group(2)), []).append(
            (float(match.group(1)), html.unescape(match.group(3)).replace("\xa0", " ")))
    return "\n".join("".join(text for _, text in sorted(parts)) for _, parts in sorted(rows.items()))


async def until(pilot, condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    """Let the app run until `condition()` holds (AssertionError after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}\n{screen_text(pilot.app)}")
        await pilot.pause(0.05)


def idle_walk(app) -> bool:
    """The walk screen is waiting for the person (no worker running, a step shown)."""
    screen = app.screen
    return type(screen).__name__ == "WalkScreen" and not screen.busy and screen.action_now is not None


async def start_walk(pilot) -> None:
    """From the intake (prefilled), start the walk and wait for its first step."""
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "IntakeScreen" and not pilot.app.screen.waiting,
                what="the intake to be ready")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: idle_walk(pilot.app), what="the first step")


async def walk_to_verdict(pilot, max_steps: int = 40) -> None:
    """Press Enter, step after step, until the verdict screen shows (keyboard only)."""
    app = pilot.app
    for _ in range(max_steps):
        if type(app.screen).__name__ == "VerdictScreen":
            return
        await until(pilot, lambda: idle_walk(app) or type(app.screen).__name__ == "VerdictScreen",
                    what="the walk to wait for Enter")
        if type(app.screen).__name__ == "VerdictScreen":
            return
        await pilot.press("enter")
        await pilot.pause(0.05)
    raise AssertionError("the walk did not reach a verdict\n" + screen_text(app))
