"""`edgewiz --lab NAME`: the lab builds in the background from the start, the intake is usable while
it does (a visible "building the lab" state), a walk asked for meanwhile starts once the lab is
ready, and a lab that cannot start says so and what to do."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Input, RadioSet

from wizard.front import Backend, LaunchOptions
from wizard.tui.app import EdgewizApp

from .screen import idle_walk, screen_text, until

SIZE = (80, 24)


class SlowStartBackend(Backend):
    """The real Backend on a machine slow enough that the test decides when the build goes on:
    the build thread waits for `go_on`, then builds the lab exactly as begin_lab() always does."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.go_on = threading.Event()

    def _start_lab_now(self) -> None:
        self.go_on.wait(120)
        super()._start_lab_now()


@pytest.mark.lab
async def test_the_intake_takes_input_while_the_lab_builds_and_the_walk_starts_when_it_is_ready(tmp_path):
    """Held before it starts, the build leaves the intake usable: the person picks what they see
    and asks for the walk; it starts, on the lab's URL, as soon as the build is let go."""
    backend = SlowStartBackend(LaunchOptions(lab="asset-403-stacked", journal_dir=tmp_path))
    go_on = backend.go_on
    backend.begin_lab()  # as `edgewiz --lab` does, before the app starts
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "building the lab" in screen_text(app), what="the building state")
            assert backend.lab_building and backend.lab_env is None
            screen = app.screen
            # The form answers: choose "CORS error" (the scenario says 403) and type a page.
            saw = screen.query_one("#saw", RadioSet)
            saw.focus()
            await pilot.press("down", "enter")
            assert screen.saw == "cors"
            screen.query_one("#page", Input).focus()
            await pilot.press(*"https://shop.example.com/")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "walk starts when the lab is ready" in screen_text(app),
                        what="the queued start to show")
            assert type(app.screen).__name__ == "IntakeScreen" and backend.lab_building
            go_on.set()
            await until(pilot, lambda: idle_walk(app), timeout=120, what="the walk to start on the ready lab")
            symptom = app.screen.session.walk.facts.symptom
            assert symptom.url == backend.lab_env.symptom.url  # filled from the lab: the field was empty
            assert symptom.complaint == "cors"  # what the person chose stayed
            assert symptom.page_url == "https://shop.example.com/"
    finally:
        go_on.set()
        backend.close()


async def test_a_lab_that_cannot_start_says_so_and_what_to_do(tmp_path):
    """An unknown scenario: the intake shows the error with what to do next, and Start does nothing."""
    backend = Backend(LaunchOptions(lab="no-such-scenario", journal_dir=tmp_path))
    backend.begin_lab()
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "could not start" in screen_text(app), what="the lab error")
            text = " ".join(screen_text(app).split())
            assert "no-such-scenario" in text and "edgewiz lab list" in text
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            assert type(app.screen).__name__ == "IntakeScreen"
    finally:
        backend.close()
