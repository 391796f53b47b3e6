"""Draws one Textual screen in a headless app and returns the characters that reach the terminal."""

from __future__ import annotations

from textual.app import App
from textual.geometry import Region
from textual.widgets import Static


class _Host(App):
    """A bare app that shows one screen."""

    def __init__(self, screen) -> None:
        super().__init__()
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


async def draw(screen, size=(200, 80)) -> str:
    """Every line each Static on `screen` draws (scrolled-off parts included), as plain text."""
    app = _Host(screen)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = []
        for widget in app.screen.query(Static):
            width, height = widget.size
            for strip in widget.render_lines(Region(0, 0, width, height)):
                lines.append("".join(segment.text for segment in strip))
    return "\n".join(lines)
