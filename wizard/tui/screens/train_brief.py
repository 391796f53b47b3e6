"""Provides TrainBriefScreen: an exercise's brief (the complaint, never the cause), its time budget
and the time spent, the hints taken so far (h: the next one), the lab's state. From here the trainee
fixes the lab in another shell (L: the exports), may run the wizard's own walk (w: an optional hint,
its verdict held back), and commits an answer (a), after which the check runs."""

from __future__ import annotations

from typing import List

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState

from ..display import line, plain, toast


class TrainBriefScreen(Screen):
    """The running exercise."""

    DEFAULT_CSS = """
    #train-brief { padding: 1 2; }
    #train-brief Static { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("h", "hint", "Hint"),
        Binding("w", "walk", "Walk"),
        Binding("a", "answer", "Answer"),
        Binding("L", "app.lab_panel", "Lab"),
    ]
    PALETTE = [
        ("Next hint", "The next hint of the ladder (counted)", "hint"),
        ("Walk with the wizard", "Run the wizard's own walk (its verdict stays hidden until you answer)", "walk"),
        ("Commit an answer", "Say what is wrong; then the check runs", "answer"),
    ]

    def __init__(self, attempt) -> None:
        super().__init__()
        self.attempt = attempt
        self.lab_state = "starting"  # starting | reading | ready | failed
        self.lab_said = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="train-brief"):
            yield Static(id="brief-head")
            yield Static(id="brief-text")
            yield Static(id="brief-lab")
            yield Static(id="brief-hints")
            yield Static(id="brief-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"training: {self.attempt.exercise.name}"
        self.query_one("#brief-text", Static).update(plain(self.attempt.exercise.brief))
        self.set_interval(1.0, self.refresh_brief)
        self.refresh_brief()
        backend = self.app.backend
        backend.progress = lambda message: self.app.call_from_thread(self._lab_progress, message)
        self.prepare()

    # The lab (built in the background; then read once as it starts, for the check) -------------

    @work(thread=True, exclusive=True, group="train-lab", exit_on_error=False)
    def prepare(self) -> None:
        backend = self.app.backend
        backend.begin_lab()
        backend.start_lab()
        self.app.call_from_thread(self._set_lab, "reading", "reading the lab as it starts (the verdict stays hidden)")
        self.attempt.attach(backend.lab_env)
        self.app.call_from_thread(self._set_lab, "ready", "")

    def _lab_progress(self, message: str) -> None:
        if self.lab_state == "starting":
            self.lab_said = message
            self.refresh_brief()

    def _set_lab(self, state: str, said: str) -> None:
        self.lab_state, self.lab_said = state, said
        self.refresh_brief()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group == "train-lab":
            self._set_lab("failed", f"{type(event.worker.error).__name__}: {event.worker.error}")
        elif event.state == WorkerState.ERROR and event.worker.group == "train-walk":
            toast(self, f"The walk could not start: {event.worker.error}", severity="error")

    # What is shown ------------------------------------------------------------------------------

    def refresh_brief(self) -> None:
        attempt = self.attempt
        ex = attempt.exercise
        spent = attempt.minutes()
        over = attempt.over_time()
        self.query_one("#brief-head", Static).update(line(
            (f"Exercise {ex.name}", "bold"), (f"  ({ex.level})", "$text-muted"), "\n",
            ("time: ", "bold"), (f"{spent:.0f} of {ex.minutes} min", "$text-error bold" if over else ""),
            (" — over the budget" if over else "", "$text-error"),
            ("   hints: ", "bold"), f"{attempt.hints_used} of {len(ex.hints)} used",
            ("   answer: ", "bold"), ("committed" if attempt.answered else "not yet", "$text-muted")))
        env = self.app.backend.lab_env
        parts: List = [("Lab: ", "bold")]
        if self.lab_state == "ready" and env is not None:
            parts += [("✓ running", "$text-success"), "  failing URL: ", env.symptom.url]
            if env.symptom.page_url:
                parts += ["\n  loaded by the page: ", env.symptom.page_url]
            parts += ["\n  L shows its endpoints and the exports for your shell (fix it with the aws CLI)."]
        elif self.lab_state == "failed":
            parts += [("✗ could not start: ", "$text-error bold"), self.lab_said]
        else:
            parts += [("⠋ ", "$text-accent"), self.lab_said or "starting"]
        self.query_one("#brief-lab", Static).update(line(*parts))
        hints = attempt.hints_taken
        self.query_one("#brief-hints", Static).update(
            line(("Hints taken:", "bold"), *[f"\n  {i}. {h}" for i, h in enumerate(hints, 1)]) if hints
            else plain("No hints taken (h: the first one says where to look).", "$text-muted"))
        keys = "h hint · L lab (endpoints, exports) · w walk with the wizard (verdict hidden) · a commit your answer"
        if attempt.answered:
            keys = "h hint · L lab · w walk (verdict shown now) · a the check again"
        self.query_one("#brief-keys", Static).update(plain(keys, "$text-muted"))

    # Actions ------------------------------------------------------------------------------------

    def action_hint(self) -> None:
        hint = self.attempt.next_hint()
        if hint is None:
            toast(self, "No more hints. Commit your answer (a): the check says what remains.")
        self.refresh_brief()
        self.query_one("#brief-hints", Static).scroll_visible()

    def _ready(self) -> bool:
        if self.lab_state != "ready":
            toast(self, "The lab is still starting." if self.lab_state != "failed" else "The lab could not start.")
            return False
        return True

    def action_walk(self) -> None:
        if self._ready():
            self.open_walk()

    @work(thread=True, exclusive=True, group="train-walk", exit_on_error=False)
    def open_walk(self) -> None:
        backend = self.app.backend
        session = backend.new_session(backend.lab_env.symptom)
        self.attempt.walked = True
        self.app.call_from_thread(self._push_walk, session)

    def _push_walk(self, session) -> None:
        from .walk import WalkScreen

        self.app.push_screen(WalkScreen(session))

    def action_answer(self) -> None:
        if not self._ready():
            return
        if self.attempt.answered:
            self.app.show_check()
            return
        from .train_answer import TrainAnswerScreen

        def committed(answer) -> None:
            if answer is None:
                return
            self.attempt.commit(answer)
            self.refresh_brief()
            self.app.show_check()

        self.app.push_screen(TrainAnswerScreen(), committed)
