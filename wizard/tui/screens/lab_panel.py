"""Provides LabPanelScreen (L, with a lab running): what the trainee may touch — the lab's AWS and edge
endpoints, the exports for another shell (the same lines `lab up` prints; selectable and copied with
c), the scenario's story for instructors (held back in training mode until the answer is committed),
and how to get a fresh lab."""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ...untrusted import sanitize
from ..display import line, plain, toast


def reset_command(scenario: str, exercise: Optional[str] = None) -> str:
    """The command that gives a fresh lab (moto's state lives in this process: a new process is a new lab)."""
    import shlex

    if exercise:
        return f"Ctrl+Q, then: edgewiz train tui {shlex.quote(sanitize(exercise))}"
    return f"Ctrl+Q, then: edgewiz --lab {shlex.quote(sanitize(scenario))}"


def open_lab_panel(app) -> None:
    """Show the panel for the app's running lab (a toast when there is none, or it is still building)."""
    backend = app.backend
    if not backend.options.lab:
        toast(app, "No lab here: the lab panel is for `edgewiz --lab NAME` and training exercises.")
        return
    if backend.lab_env is None:
        toast(app, "The lab is still starting; its panel opens once it is up.")
        return
    if isinstance(app.screen, LabPanelScreen):
        return
    from ...lab.scenario import load_scenario

    scenario = load_scenario(backend.options.lab)
    training = getattr(app, "attempt", None)
    app.push_screen(LabPanelScreen(backend.lab_env, scenario.name, scenario.title, scenario.story,
                                   story_hidden=bool(training is not None and not training.answered),
                                   exercise=training.exercise.name if training is not None else None))


class LabPanelScreen(ModalScreen[None]):
    """The running lab: endpoints, exports, story, reset."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("L", "close", "Close", show=False),
                Binding("c", "copy_exports", "Copy exports")]
    DEFAULT_CSS = """
    LabPanelScreen { align: center middle; }
    #lab-dialog { width: 100; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
                  border: thick $primary; background: $surface; }
    #lab-dialog Static { margin-bottom: 1; }
    LabPanelScreen #lab-exports { height: 8; margin-bottom: 1; }
    """

    def __init__(self, env, name: str, title: str, story: str, story_hidden: bool = False,
                 exercise: Optional[str] = None) -> None:
        super().__init__()
        self.env = env
        self.scenario_name = name
        self.title_text = title
        self.story = story
        self.story_hidden = story_hidden
        self.exercise = exercise

    @property
    def exports(self) -> str:
        # Not redacted: the lab's own keys must survive a paste (as `lab up` prints them); cleaned all the same.
        return sanitize(self.env.shell_exports(), redact=False)

    def compose(self) -> ComposeResult:
        env = self.env
        with VerticalScroll(id="lab-dialog"):
            yield Static(plain(f"Lab {self.exercise or self.scenario_name}", "bold"), id="lab-title")
            yield Static(line(("AWS API: ", "bold"), env.aws_endpoint, "   ", ("edge (CloudFront): ", "bold"),
                              env.edge_address, "\n", ("failing URL: ", "bold"), env.symptom.url), id="lab-endpoints")
            yield Static(plain("In another shell, point the aws CLI (and curl --connect-to, edgewiz diagnose) "
                               "at the lab — c copies these lines:", "$text-muted"))
            yield TextArea(self.exports, read_only=True, id="lab-exports", soft_wrap=True)
            if self.story_hidden:
                story = plain("Story: hidden until you commit your answer (a on the brief).", "$text-muted italic")
            else:
                story = line(("Story (for instructors): ", "bold"), self.title_text, "\n", self.story or "(none)")
            yield Static(story, id="lab-story")
            yield Static(line(("Reset: ", "bold"), reset_command(self.scenario_name, self.exercise),
                              "  (a new process builds a fresh lab; your changes to this one go with it)"),
                         id="lab-reset")
            yield Static(plain("c copy exports · Esc close", "$text-muted"))

    def action_copy_exports(self) -> None:
        self.app.copy_to_clipboard(self.exports)
        toast(self, "Exports copied (OSC 52: your terminal must allow clipboard writes; else select them).")

    def action_close(self) -> None:
        self.dismiss(None)
