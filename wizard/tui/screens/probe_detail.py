"""Provides ProbeDetailScreen: everything one probe brought back (status, timing, error, data as
JSON), redacted and shown as text, for the engineer who wants the raw evidence."""

from __future__ import annotations

import json
from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...model import ProbeOutcome
from ...probes.specs import PROBES
from ...redact import Redactor
from ..display import line, plain


class ProbeDetailScreen(ModalScreen[None]):
    """One probe's outcome in full."""

    BINDINGS = [Binding("escape,q,o", "close", "Close")]

    def __init__(self, probe: str, outcome: Optional[ProbeOutcome], redactor: Optional[Redactor] = None) -> None:
        super().__init__()
        self.probe, self.outcome, self.redactor = probe, outcome, redactor

    def compose(self) -> ComposeResult:
        spec = PROBES.get(self.probe)
        with Vertical(id="dialog", classes="wide"):
            yield Static(line((self.probe, "bold"), "  ", (spec.title if spec else "", "$text-muted")))
            with VerticalScroll(id="raw"):
                yield Static(self._body())
            yield Static(plain("Esc closes", "$text-muted"))

    def _body(self):
        o = self.outcome
        if o is None:
            return plain("Not run yet.", "$text-muted")
        data = self.redactor.redact_obj(o.data) if self.redactor else o.data
        head = f"status {o.status} · {o.ms:.0f} ms · {o.aws_calls} AWS read(s)"
        if o.error:
            head += f"\nerror: {o.error}"
        if o.missing_action:
            head += f"\nmissing IAM action: {o.missing_action}"
        body = json.dumps(data, indent=2, ensure_ascii=False, default=str) if data is not None else "(no data)"
        return line((head, "bold"), "\n\n", body, redactor=self.redactor)

    def action_close(self) -> None:
        self.dismiss(None)
