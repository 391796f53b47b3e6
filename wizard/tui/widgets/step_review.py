"""Provides StepReview: a past step of the walk shown again from what the walk recorded — a probe
step's probes with their results, a check's findings, a branch's way or a question's answer —
without running anything; and recorded_outcomes(), which finds a probe step's recorded outcomes."""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model import ProbeOutcome
from ...redact import Redactor
from ..display import line, plain
from .probe_status import ProbeStatus


def recorded_outcomes(steps: Sequence[Any], events: Sequence[Mapping[str, Any]], index: int) -> List[ProbeOutcome]:
    """The outcomes the probe step `steps[index]` recorded. The walk journals one "probes" event per
    probe step, in the same order, so the k-th probe step owns the k-th probes event."""
    if not 0 <= index < len(steps) or steps[index].kind != "probe":
        return []
    k = sum(1 for s in steps[:index] if s.kind == "probe")
    batches = [e for e in events if e.get("type") == "probes"]
    if k >= len(batches) or batches[k].get("node") != steps[index].node:
        return []
    return [o if isinstance(o, ProbeOutcome) else ProbeOutcome(**o) for o in batches[k].get("outcomes", ())]


class StepReview(VerticalScroll):
    """What one past step saw, read from the walk's records."""

    DEFAULT_CSS = """
    StepReview { height: 1fr; }
    StepReview > #review-title { text-style: bold; }
    StepReview > #review-why { color: $text-muted; margin-bottom: 1; }
    StepReview > #review-probes { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="review-title")
        yield Static(id="review-why")
        yield ProbeStatus(id="review-probes")
        yield Static(id="review-detail")

    def show(self, step: Any, why: str, outcomes: Sequence[ProbeOutcome], manual: Callable[[str], str],
             findings: Sequence[Any] = (), redactor: Optional[Redactor] = None) -> None:
        """Show `step` (a finished walk Step): `outcomes` for a probe step, `findings` as (title,
        severity) pairs for a check step."""
        self.query_one("#review-title", Static).update(plain(step.title, "bold", redactor))
        self.query_one("#review-why", Static).update(plain(why, "italic", redactor))
        probes = self.query_one("#review-probes", ProbeStatus)
        probes.display = step.kind == "probe"
        if step.kind == "probe":
            probes.start([o.name for o in outcomes], manual, redactor, outcomes)
        self.query_one("#review-detail", Static).update(self._detail(step, outcomes, findings, redactor))
        self.scroll_home(animate=False)

    @staticmethod
    def _detail(step: Any, outcomes, findings, redactor):
        note = ("(recorded when the step ran; nothing is probed again)", "$text-muted")
        if step.kind == "probe":
            return line("" if outcomes else "No probe results were recorded for this step. ", note,
                        redactor=redactor)
        if step.kind == "check":
            if not findings:
                return line(("✓ ", "$text-success"), "found nothing wrong here", "\n", note, redactor=redactor)
            parts: List = []
            for title, severity in findings:
                symbol, style = ("i ", "$text-accent") if severity == "info" else ("✗ ", "$text-error bold")
                parts += [(symbol, style), title, "\n"]
            return line(*parts, note, redactor=redactor)
        if step.kind == "branch":
            return line(("→ ", "bold"), "went the way of: ", (step.detail.split(" = ")[-1], "bold"), "\n", note,
                        redactor=redactor)
        if step.kind == "question":
            return line(("? ", "bold"), "answered: ", (step.detail, "bold"), "\n", note, redactor=redactor)
        return line(note, redactor=redactor)
