"""The training catalogue (`edgewiz train` on a terminal) on the smallest terminal we promise, 80x24:
one line per exercise, so every exercise shows without scrolling, and Enter on the first one (the
seed-000 story) opens its brief."""

from __future__ import annotations

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.training.catalogue import exercises
from wizard.tui.train_app import TrainingApp

from .screen import screen_text, until


@pytest.fixture
def backend(tmp_path):
    backend = Backend(LaunchOptions(journal_dir=tmp_path))
    yield backend
    backend.close()


async def test_the_catalogue_fits_80x24_one_line_per_exercise(backend):
    app = TrainingApp(backend)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "TrainPickScreen", what="the catalogue")
        await pilot.pause(0.1)
        rows = screen_text(app).splitlines()
        for exercise in exercises():
            row = next((r for r in rows if f"  {exercise.name} " in r), None)
            assert row is not None, f"{exercise.name} is not on the 80x24 screen"
            assert f"{exercise.minutes} min" in row  # name, time and the brief's start on the same line
        assert app.screen.query_one("#exercises").highlighted_option.id == "asset-403-stacked"
