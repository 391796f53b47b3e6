"""Provides TrainCheckScreen: after the answer, the check over the lab as it is now (wizard/training/
check.py: the symptom over HTTP through the edge, no root cause left, a safe fix) — "solved", the
faults that remain, or "works, but unsafe: why" — and the answer against the faults the lab started
with. k checks again after more fixes."""

from __future__ import annotations

from typing import List

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from ..display import line, plain

HEADLINE = {"solved": ("✓ SOLVED", "$text-success bold"),
            "works, but unsafe": ("✗ WORKS, BUT UNSAFE", "$text-warning bold"),
            "not yet": ("✗ NOT YET", "$text-error bold")}


def check_parts(result) -> List:
    """The check as (text, style) parts: the headline, the symptom, what remains, what is unsafe."""
    head, style = HEADLINE[result.verdict]
    parts: List = [(head, style), "\n", ("symptom: ", "bold"),
                   ("fixed" if result.symptom_ok else "still failing", "$text-success" if result.symptom_ok else "$text-error"),
                   f" ({result.symptom_said})\n"]
    if result.remaining:
        parts.append((f"faults remaining ({len(result.remaining)}):", "bold"))
        parts += [f"\n  ✗ {fid}: {title}" for fid, title in result.remaining]
        parts.append("\n")
    else:
        parts += [("faults remaining: ", "bold"), "none\n"]
    for c in result.unsafe:
        lead = "works, but " if result.symptom_ok else "unsafe: "
        parts += [(lead, "$text-warning bold"), c.why, (f" [{c.rule}]", "$text-muted"), "\n"]
    for c in result.unchecked:
        parts += [("not checked: ", "$text-warning"), c.why, (f" [{c.rule}]", "$text-muted"), "\n"]
    return parts


def grade_parts(attempt) -> List:
    """The committed answer against the faults the lab started with (the verdict, shown after the answer)."""
    grade = attempt.grade()
    parts: List = [("Your answer", "bold"), "\n"]
    for fid in grade.named:
        parts += [("  ✓ ", "$text-success"), fid, "\n"]
    for fid in grade.missed:
        parts += [("  ✗ missed ", "$text-error"), fid, "\n"]
    for fid in grade.wrong:
        parts += [("  ? not a fault here: ", "$text-warning"), fid, "\n"]
    if attempt.answer.text:
        parts += [("  in your words: ", "$text-muted"), attempt.answer.text, "\n"]
    parts += [("The lab started with: ", "bold"), ", ".join(attempt.faults()) or "no root cause", "\n",
              (f"{attempt.hints_used} hint(s) used, {attempt.minutes():.0f} of {attempt.exercise.minutes} min"
               + (", walked with the wizard" if attempt.walked else ""), "$text-muted")]
    return parts


class TrainCheckScreen(Screen):
    """The check (and the verdict) after the answer."""

    DEFAULT_CSS = """
    #train-check { padding: 1 2; }
    #train-check Static { margin-bottom: 1; }
    """

    BINDINGS = [Binding("k", "check", "Check again"), Binding("escape", "back", "Brief"),
                Binding("L", "app.lab_panel", "Lab")]

    def __init__(self, attempt) -> None:
        super().__init__()
        self.attempt = attempt
        self.checking = False
        self.result = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="train-check"):
            yield Static(id="check-result")
            yield Static(id="check-grade")
            yield Static(plain("k check again after more fixes · L lab (story shown now) · w on the brief walks "
                               "with the verdict · Esc back to the brief", "$text-muted"))
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"training: {self.attempt.exercise.name} — check"
        self.query_one("#check-grade", Static).update(line(*grade_parts(self.attempt)))
        self.action_check()

    def action_check(self) -> None:
        if self.checking:
            return
        self.checking = True
        self.query_one("#check-result", Static).update(
            plain("⠋ checking the lab (read-only): the symptom over HTTP, the diagnosis, the fix's safety…", "$text-accent"))
        self.run_check()

    @work(thread=True, exclusive=True, group="train-check", exit_on_error=False)
    def run_check(self) -> None:
        result = self.attempt.check()
        self.app.call_from_thread(self._show, result)

    def _show(self, result) -> None:
        self.checking = False
        self.result = result
        self.query_one("#check-result", Static).update(line(*check_parts(result)))
        recorder = getattr(self.attempt, "recorder", None)
        if recorder is not None and recorder.error:  # the exercise goes on; the instructor's summary will lack it
            from ..display import toast

            toast(self, recorder.error, severity="warning")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == "train-check":
            self.checking = False
            self.query_one("#check-result", Static).update(
                line(("✗ the check could not run: ", "$text-error bold"), str(event.worker.error)))

    def action_back(self) -> None:
        self.app.pop_screen()
