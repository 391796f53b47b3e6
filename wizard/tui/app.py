"""Provides EdgewizApp: the full-screen wizard. It gets its Backend through its constructor and
opens on the intake (or on a resumed walk); the screens do the rest. Help (F1), the command
palette (Ctrl+P, with each screen's own commands), light/dark themes (Ctrl+T); NO_COLOR is left to
Textual, which then draws in monochrome (the ✓ ✗ ? marks carry the meaning)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Iterable, Optional

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .screens.intake import IntakeScreen

DARK, LIGHT = "textual-dark", "textual-light"


class EdgewizApp(App[int]):
    """The edgewiz wizard."""

    CSS_PATH = "app.tcss"
    TITLE = "edgewiz"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit", "Quit"),
        Binding("L", "lab_panel", "Lab", show=False),  # endpoints, exports, story, reset (screens/lab_panel.py)
    ]

    def __init__(self, backend, resume_path: Optional[Path] = None) -> None:
        super().__init__()
        self.backend = backend
        self.resume_path = resume_path
        self.theme = DARK

    def on_mount(self) -> None:
        self.push_screen(IntakeScreen(self.resume_path))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_lab_panel(self) -> None:
        from .screens.lab_panel import open_lab_panel

        open_lab_panel(self)

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_quit(self) -> None:
        # Probes not started yet are skipped, so the process is not kept waiting for them at exit.
        for screen in self.screen_stack:
            for session in (getattr(screen, "session", None), getattr(screen, "recheck_session", None)):
                if session is not None:
                    session.cancel("the app was closed")
        self.exit(0)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands: help, theme, then the current screen's own (its PALETTE)."""
        yield SystemCommand("Help", "Keys, marks and how the walk works", self.action_help)
        yield SystemCommand("Toggle light / dark theme", "Switch between textual-dark and textual-light",
                            self.action_toggle_theme)
        for title, help_text, action in getattr(screen, "PALETTE", ()):
            yield SystemCommand(title, help_text, partial(screen.run_action, action))
        yield from super().get_system_commands(screen)
