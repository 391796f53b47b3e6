"""Provides ExportScreen: where to write the incident report (Markdown, JSON and the graph as SVG side by side); the
current directory by default."""

from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..display import plain


class ExportScreen(ModalScreen[Optional[str]]):
    """Ask for the report's base path; dismisses with it (None when cancelled)."""

    BINDINGS = [Binding("escape", "close", "Cancel")]

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(plain("Export the incident report", "bold"))
            yield Static(plain("Writes BASE.md (timeline, evidence, findings, fixes, the path as Mermaid), "
                               "BASE.json and BASE.svg (the traffic graph, for incident docs). Edit the path, ⏎ to write, Esc to cancel.", "$text-muted"))
            yield Input(value=self.default, id="base")

    def on_mount(self) -> None:
        self.query_one("#base", Input).focus()

    @on(Input.Submitted)
    def _write(self) -> None:
        value = self.query_one("#base", Input).value.strip()
        self.dismiss(value or None)

    def action_close(self) -> None:
        self.dismiss(None)
