"""Provides ManualRouteScreen: for a probe AWS refused (or that failed), the command to look by hand,
why it is needed, and a line to note what you saw (it goes into the journal and the report)."""

from __future__ import annotations

from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ...model import ProbeOutcome
from ...probes.specs import PROBES
from ...redact import Redactor
from ..display import line, plain, toast
from ...report.probe_words import found


class ManualRouteScreen(ModalScreen[Optional[str]]):
    """Look by hand; dismisses with what the person saw (None when they just close it)."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("ctrl+y", "copy", "Copy command")]

    def __init__(self, probe: str, command: str, outcome: Optional[ProbeOutcome],
                 redactor: Optional[Redactor] = None) -> None:
        super().__init__()
        self.probe, self.command, self.outcome, self.redactor = probe, command, outcome, redactor

    def compose(self) -> ComposeResult:
        spec = PROBES.get(self.probe)
        with Vertical(id="dialog"):
            yield Static(line(("Look by hand: ", "bold"), spec.title if spec else self.probe))
            if self.outcome is not None:
                yield Static(plain(found(self.outcome), "$text-error", self.redactor))
            yield Static(plain("Run this with credentials that may read it (or find the same in the console):",
                               "$text-muted"))
            yield Static(plain(self.command, "bold $text-warning", self.redactor), id="command")
            yield Static(plain("What did you see? (optional: it goes into the journal and the incident report)",
                               "$text-muted"))
            yield Input(placeholder="e.g. the policy allows only distribution E2ABC…", id="note")
            with Horizontal(classes="buttons"):
                yield Button("Copy command", id="copy", compact=True)
                yield Button("Done", id="done", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.redactor.scrub(self.command) if self.redactor else self.command)
        toast(self, "Copied (OSC 52).")

    @on(Input.Submitted)
    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        self.dismiss(self.query_one("#note", Input).value.strip() or None)

    def action_close(self) -> None:
        self.dismiss(None)
