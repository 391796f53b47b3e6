"""Provides IntakeScreen: what do you see, the failing URL, the page it is loaded from, the AWS
profile and region (prefilled), or a pasted browser console error read into those fields. With
--lab the lab builds in the background (Backend.begin_lab, from right after the first frame) while
the form stays usable, its progress shown; when it is ready the fields left empty are filled from the
scenario, and a walk asked for meanwhile starts then. With a journal to resume it reopens that walk
instead."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Optional
from urllib.parse import urlsplit

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, RadioButton, RadioSet, Static, TextArea
from textual.worker import Worker, WorkerState

from ...engine.facts import Symptom
from ...request_method import METHODS, method_field
from ..console_error import parse_console_error
from ..display import SPINNER, line, plain
from ..messages import LabFailed, LabProgress, LabReady, SessionFailed, SessionReady

SAW = ("403", "cors", "504", "other")
SAW_LABELS = ("403 Forbidden", "CORS error", "504 / 5xx", "Something else")


class MarkedRadioButton(RadioButton):
    """A radio button whose state shows without colour: ◉ chosen, ○ not (NO_COLOR, monochrome)."""

    @property
    def _button(self) -> Content:
        return Content.styled("◉" if self.value else "○", "$text-success bold" if self.value else "$text-muted")


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def symptom_from(url: str, page: str, saw: Optional[str], method: str = "") -> Symptom:
    """The Symptom for the intake's values: a page with a path is a page URL (its HTML is read),
    a bare origin is only the origin; the method is kept when it is not GET."""
    page = page.strip()
    page_url = page_origin = None
    if page:
        parts = urlsplit(page)
        page_origin = f"{parts.scheme}://{parts.netloc}"
        page_url = page if parts.path else None
    return Symptom(url=url.strip(), page_origin=page_origin, page_url=page_url, complaint=saw or None,
                   method=method_field(method))


class IntakeScreen(Screen):
    """The first screen: the symptom."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start the walk"),
        Binding("ctrl+l", "clear_console", "Clear pasted error", show=False),
    ]
    PALETTE = [("Start the walk", "Walk the playbook for this URL", "start")]

    def __init__(self, resume_path: Optional[Path] = None) -> None:
        super().__init__()
        self.resume_path = resume_path
        self.waiting = ""  # what the spinner is waiting for ('' when idle)
        self.lab_building = False  # the form is usable meanwhile; a walk asked for waits for the lab
        self.start_when_ready = False
        self._frame = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="intake"):
            yield Static("What do you see in the browser?", classes="question")
            with RadioSet(id="saw", compact=True):
                for label in SAW_LABELS:
                    yield MarkedRadioButton(label)
            with Horizontal(classes="field"):
                yield Label("Failing URL", classes="label")
                yield Input(placeholder="https://d111.cloudfront.net/assets/app.js", id="url", compact=True)
            with Horizontal(classes="field"):
                yield Label("Page (URL/origin)", classes="label")
                yield Input(placeholder="https://app.example.com/  (for CORS; optional)", id="page", compact=True)
            with Horizontal(classes="field"):
                yield Label("Method", classes="label")
                yield Input(placeholder="GET  (or POST, PUT... when the failing request is one)", id="method",
                            compact=True, max_length=7)
            with Horizontal(classes="field"):
                yield Label("AWS profile", classes="label")
                yield Input(placeholder="default chain", id="profile", compact=True)
                yield Label("Region", classes="label short")
                yield Input(placeholder="us-east-1", id="region", compact=True)
            yield Static("Or paste the browser console error (edgewiz reads the URL, status and CORS wording):",
                         classes="hint")
            yield TextArea(id="console", soft_wrap=True, compact=True)
            yield Static(id="parsed")
            with Horizontal(id="start-row"):
                yield Button("Start the walk", id="start", variant="primary", compact=True)
                yield Static(id="lab-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "intake"
        self._timer = self.set_interval(0.1, self._spin, pause=True)
        backend = self.app.backend
        if self.resume_path is not None:
            self._wait(f"reopening {self.resume_path}")
            self.resume(self.resume_path)
        elif backend.options.lab and backend.lab_env is None:
            self.lab_building = True
            self._wait(self._lab_wait_text(backend.progress_line or f"scenario {backend.options.lab}"))
            self.fill(backend.prefill())
            # After the first paint: the build runs in this process, and moto's imports holding the
            # GIL beside Textual's start-up doubled the time to the first frame.
            self.call_after_refresh(self.start_lab)
        else:
            self.fill(backend.prefill())
            self._ready_status()
        # With everything prefilled (the lab) the next thing to do is start; otherwise type the URL.
        self.query_one("#start" if backend.options.lab else "#url").focus()

    # Workers ------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="lab", exit_on_error=False)
    def start_lab(self) -> None:
        """Wait for the lab (building since the flag was parsed), relaying its progress, then
        prefill the form from its symptom."""
        backend = self.app.backend
        backend.progress = lambda message: self.post_message(LabProgress(message))
        backend.begin_lab()
        backend.start_lab()
        self.post_message(LabReady(backend.prefill()))

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def open_session(self, symptom: Symptom) -> None:
        """Open a journaled walk for the symptom (builds the AWS and HTTP clients)."""
        self.post_message(SessionReady(self.app.backend.new_session(symptom)))

    @work(thread=True, exclusive=True, group="intake", exit_on_error=False)
    def resume(self, path: Path) -> None:
        """Reopen the walk journaled at `path` (restarting its lab when it ran on one)."""
        backend = self.app.backend
        backend.progress = lambda message: self.post_message(LabProgress(message))
        self.post_message(SessionReady(backend.resume_session(path), resumed=True))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = f"{type(event.worker.error).__name__}: {event.worker.error}"
        if event.worker.name == "start_lab":
            self.post_message(LabFailed(error))
        else:
            self.post_message(SessionFailed(error))

    # Messages -----------------------------------------------------------------------------------

    def on_lab_progress(self, message: LabProgress) -> None:
        if self.lab_building:
            self._wait(self._lab_wait_text(message.text))

    def on_lab_ready(self, message: LabReady) -> None:
        self.lab_building = False
        self.fill(message.prefill, keep_typed=True)
        self._ready_status()
        start = self.query_one("#start", Button)
        start.disabled = False
        if self.start_when_ready:
            self.start_when_ready = False
            self.action_start()
        elif not isinstance(self.focused, (Input, TextArea)):
            start.focus()

    def on_lab_failed(self, message: LabFailed) -> None:
        self.lab_building = False
        self.start_when_ready = False
        self.query_one("#start", Button).disabled = True
        self._stop_wait(plain("✗ the lab could not start (the reason is above)", "$text-error bold"))
        # The way on and the reason get the form's message area (it wraps; the status row does not),
        # the way on first: the reason may be long (a scenario error lists every name).
        parsed = self.query_one("#parsed", Static)
        name = self.app.backend.options.lab
        parsed.update(line(  # the name and the way on first: on a small terminal the area shows ~2 lines
            (f"The lab {name} could not start. ", "$text-error bold"),
            ("`edgewiz lab list` shows the scenario names; "
             f"`edgewiz --plain --lab {name}` shows each step of the build; Ctrl+Q quits.\n", "$text-muted"),
            message.error))
        parsed.scroll_visible(top=True)

    def _lab_wait_text(self, progress: str) -> str:
        # One row beside the button: what matters first, the build's own step after it.
        head = "walk starts when the lab is ready… " if self.start_when_ready else "building the lab… "
        return head + progress

    def on_session_failed(self, message: SessionFailed) -> None:
        self.query_one("#start", Button).disabled = False
        self._stop_wait(line(("✗ could not open the walk: ", "$text-error bold"), message.error))

    def on_session_ready(self, message: SessionReady) -> None:
        from .walk import WalkScreen

        self.query_one("#start", Button).disabled = False
        self._ready_status()
        self.app.push_screen(WalkScreen(message.session, resumed=message.resumed))

    # The form -----------------------------------------------------------------------------------

    def fill(self, values: Dict[str, str], keep_typed: bool = False) -> None:
        """Put prefilled values into the form (the lab's symptom, flags, environment); with
        `keep_typed`, what the person entered while the lab was building stays."""
        for field, value in (("#url", values.get("url", "")), ("#page", values.get("page") or values.get("origin") or "")):
            widget = self.query_one(field, Input)
            if keep_typed and widget.value.strip():
                continue
            widget.value = value
            widget.cursor_position = 0  # show where the URL starts, not its tail
        method = self.query_one("#method", Input)
        if not (keep_typed and method.value.strip()):
            method.value = values.get("method", "")
        self.query_one("#profile", Input).value = values.get("profile", "")
        self.query_one("#region", Input).value = values.get("region", "")
        if not (keep_typed and self.saw):
            self.set_saw(values.get("saw", ""))
        lab = bool(self.app.backend.options.lab)  # the lab's own endpoint and keys, not a profile
        for field in ("#profile", "#region"):
            self.query_one(field, Input).disabled = lab

    def set_saw(self, saw: str) -> None:
        """Choose what the person sees: 403, cors, 504 or other."""
        if saw in SAW:
            buttons = list(self.query_one("#saw", RadioSet).query(RadioButton))
            buttons[SAW.index(saw)].value = True

    @property
    def saw(self) -> Optional[str]:
        """What the person said they see (None when nothing is chosen)."""
        index = self.query_one("#saw", RadioSet).pressed_index
        return SAW[index] if index >= 0 else None

    @on(TextArea.Changed, "#console")
    def _console_pasted(self, event: TextArea.Changed) -> None:
        parsed = parse_console_error(event.text_area.text)
        out = self.query_one("#parsed", Static)
        if not event.text_area.text.strip():
            out.update("")
            return
        if not parsed.found_anything:
            out.update(plain("Nothing recognisable yet: paste the whole console line.", "$text-warning"))
            return
        if parsed.url:
            self.query_one("#url", Input).value = parsed.url
        if parsed.page_origin and not self.query_one("#page", Input).value:
            self.query_one("#page", Input).value = parsed.page_origin
        if parsed.saw:
            self.set_saw(parsed.saw)
        said = [f"URL {parsed.url}" if parsed.url else "no URL",
                f"status {parsed.status}" if parsed.status else "no status"]
        if parsed.cors:
            said.append(f"CORS: {parsed.cors_reason}")
        if parsed.page_origin:
            said.append(f"page origin {parsed.page_origin}")
        out.update(line(("Read: ", "$text-success bold"), "; ".join(said)))

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Check the form and open a walk for it (once the lab is ready, when it is still building)."""
        if self.query_one("#start", Button).disabled or (self.waiting and not self.lab_building):
            return
        url = self.query_one("#url", Input).value.strip()
        page = self.query_one("#page", Input).value.strip()
        problem = None
        if self.lab_building and not url:
            pass  # the lab's own URL fills it when the lab is ready
        elif not _is_url(url):
            problem, field = "The failing URL must look like https://host/path.", "#url"
        method = self.query_one("#method", Input).value.strip().upper()
        if not problem and method and method not in METHODS:
            problem, field = f"The method is one of {', '.join(METHODS)} (or leave it empty for GET).", "#method"
        if not problem and page and not _is_url(page):
            problem, field = "The page must look like https://app.example.com/ (or leave it empty).", "#page"
        if problem:
            self.query_one("#parsed", Static).update(plain(problem, "$text-error bold"))
            self.query_one(field, Input).focus()
            return
        if self.lab_building:
            self.start_when_ready = True
            self._wait(self._lab_wait_text(self.app.backend.progress_line or "starting"))
            return
        backend = self.app.backend
        if backend.lab_env is None:
            backend.options.profile = self.query_one("#profile", Input).value.strip() or None
            backend.options.region = self.query_one("#region", Input).value.strip() or None
        self.query_one("#start", Button).disabled = True
        self._wait("opening the walk")
        self.open_session(symptom_from(url, page, self.saw, method))

    def action_clear_console(self) -> None:
        self.query_one("#console", TextArea).text = ""

    # Status line --------------------------------------------------------------------------------

    def _wait(self, text: str) -> None:
        self.waiting = text
        self._timer.resume()
        self._spin()

    def _stop_wait(self, content) -> None:
        self.waiting = ""
        self._timer.pause()
        self.query_one("#lab-status", Static).update(content)

    def _ready_status(self) -> None:
        backend = self.app.backend
        if backend.lab_env is not None:
            self._stop_wait(line(("✓ lab ready: ", "$text-success bold"), f"scenario {backend.options.lab}"))
        else:
            self._stop_wait(plain("⏎ or Ctrl+S starts the walk", "$text-muted"))

    def _spin(self) -> None:
        if not self.waiting:
            return
        self._frame = (self._frame + 1) % len(SPINNER)
        self.query_one("#lab-status", Static).update(
            line((SPINNER[self._frame] + " ", "$text-accent bold"), self.waiting))
