"""Provides TrainingApp: the wizard in training mode (`edgewiz train tui [EXERCISE]`, and each browser
connection of `edgewiz train serve`). It opens on the catalogue (or straight on the named exercise's
brief), builds that exercise's lab, and holds the verdict back until the trainee commits an answer:
a walk that reaches its verdict before then comes back to the brief instead of showing it."""

from __future__ import annotations

from typing import Optional

from textual.binding import Binding

from .app import EdgewizApp
from .display import toast


class TrainingApp(EdgewizApp):
    """EdgewizApp with an exercise instead of the intake."""

    TITLE = "edgewiz training"
    BINDINGS = EdgewizApp.BINDINGS + [Binding("f2", "brief", "Brief")]

    def __init__(self, backend, exercise: Optional[str] = None, trainee: Optional[str] = None) -> None:
        super().__init__(backend)
        self.exercise_name = exercise
        self.trainee = trainee  # for the attempt record
        self.attempt = None

    def on_mount(self, event) -> None:
        event.prevent_default()  # Textual runs every class's on_mount: EdgewizApp's would open the intake
        if self.exercise_name:
            self.start_exercise(self.exercise_name)
        else:
            from .screens.train_pick import TrainPickScreen

            self.push_screen(TrainPickScreen())

    def start_exercise(self, name: str) -> None:
        """Begin the exercise: its lab starts building now, the brief shows while it does."""
        from ..training.attempt import Attempt
        from ..training.catalogue import find
        from .screens.train_brief import TrainBriefScreen

        if self.attempt is not None:  # one lab per process: a second exercise needs a new process
            toast(self, "An exercise is already running here; Ctrl+Q and start another.", severity="warning")
            return
        exercise = find(name)
        self.attempt = Attempt(exercise, trainee=self.trainee)
        self.backend.options.lab = exercise.scenario
        self.push_screen(TrainBriefScreen(self.attempt))

    def findings_hidden(self) -> bool:
        """Whether the walk must hold back what its checks found (the verdict, piece by piece)."""
        return self.attempt is not None and not self.attempt.answered

    def show_check(self) -> None:
        from .screens.train_check import TrainCheckScreen

        if isinstance(self.screen, TrainCheckScreen):
            self.screen.action_check()
            return
        self.push_screen(TrainCheckScreen(self.attempt))

    def action_brief(self) -> None:
        """Back to the brief from wherever the trainee is (the walk, the check)."""
        from .screens.train_brief import TrainBriefScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, TrainBriefScreen):
            self.pop_screen()

    def push_screen(self, screen, *args, **kwargs):
        # The one way a verdict reaches the screen is the walk pushing VerdictScreen: held back here
        # (not in the walk screen) so the walk stays the same code in both modes.
        from .screens.verdict import VerdictScreen

        if isinstance(screen, VerdictScreen) and self.attempt is not None and not self.attempt.answered:
            self.attempt.walked = True
            self.call_later(self.action_brief)
            toast(self, "The walk is done. Its verdict stays hidden until you commit your answer (a).")
            return None
        return super().push_screen(screen, *args, **kwargs)
