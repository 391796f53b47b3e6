"""The lab panel (L) in lab mode (`edgewiz --lab NAME`): the AWS endpoint and the edge address, the
exports `lab up` prints (the lab's own keys, not redacted, so they paste), the scenario's story for the
instructor, and how to get a fresh lab. Without a lab, L says what the panel is for."""

from __future__ import annotations

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.tui.app import EdgewizApp

from .screen import screen_text, until

pytestmark = pytest.mark.lab
SCENARIO = "asset-403-object-missing"


async def test_l_shows_the_labs_endpoints_exports_story_and_reset(lab):
    env = lab.lab_env
    app = EdgewizApp(lab)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "IntakeScreen" and not app.screen.waiting,
                    what="the intake")
        app.set_focus(None)  # L typed into a form field is a letter, not the panel
        await pilot.press("L")
        await until(pilot, lambda: type(app.screen).__name__ == "LabPanelScreen", what="the lab panel")
        text = screen_text(app)
        assert env.aws_endpoint in text and env.edge_address in text
        assert app.screen.exports == env.shell_exports()  # exactly what `lab up` prints
        assert "Story (for instructors)" in text and "not in the bucket" in text
        assert f"edgewiz --lab {SCENARIO}" in text
        await pilot.press("escape")
        await until(pilot, lambda: type(app.screen).__name__ == "IntakeScreen", what="the intake again")


async def test_l_without_a_lab_says_what_the_panel_is_for(tmp_path):
    backend = Backend(LaunchOptions(journal_dir=tmp_path))
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause(0.2)
            app.set_focus(None)
            await pilot.press("L")
            await pilot.pause(0.1)
            assert type(app.screen).__name__ == "IntakeScreen"
            assert any("No lab here" in n.message for n in app._notifications)
    finally:
        backend.close()
