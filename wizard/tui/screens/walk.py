"""Provides WalkScreen: the playbook walked step by step. Each step shows what it answers and why,
its probes with their live state and findings (denied ones offer the command to look by hand), or
its question with the suggestion preselected; the path graph (hops, security groups, network ACLs)
and the numbered step list follow along. Moving the cursor to a past step in the list shows what
that step saw, from the walk's records (nothing runs again); Enter there comes back to the current step.

Three titled panes (Path, Steps, Step): side by side from 76 columns, stacked below that with the
steps list folded to one line until it has the focus. The focused pane has a heavy border and a ▶.

Probes run in a thread worker that posts ProbeUpdate messages, so the screen never freezes; Esc
cancels them (probes not started come back skipped), b steps back, a lets the walk drive itself.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ...engine.walk import Done, NeedAnswer, NeedProbes
from ..display import line, plain, toast
from ...probes.manual import manual_route
from ...report.walk_words import finding_titles
from ..messages import ProbesFinished, ProbeUpdate, StepReady, VerdictReady
from ..widgets.pane import Pane
from ..widgets.path_graph_view import PathGraphView
from ..widgets.probe_status import ProbeStatus
from ..widgets.step_list import StepList
from ..widgets.step_review import StepReview, recorded_outcomes


class WalkScreen(Screen):
    """One walk of the playbook."""

    # Below 76 columns the panes stack (app.tcss: .-narrow); 60×20 still shows every pane. Below 30
    # rows the steps list keeps three lines until it has the focus, so the graph gets the height.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        Binding("enter", "primary", "Next", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("b", "back", "Back"),
        Binding("a", "auto", "Auto"),
        Binding("c", "copy_route", "Copy"),
        Binding("m", "by_hand", "Note"),
        Binding("o", "probe_data", "Raw"),
        Binding("j", "journal", "Journal", show=False),
    ]
    PALETTE = [
        ("Next step", "Run this step's probes, answer, or go on", "primary"),
        ("Back one step", "Undo the last step (nothing is probed again)", "back"),
        ("Cancel the running probes", "Probes not started yet come back skipped", "cancel"),
        ("Toggle auto-advance", "Let the walk run its probes and move on until a question", "auto"),
        ("Copy the command to look by hand", "For a denied or failed probe", "copy_route"),
        ("Show the journal path", "Where every step is recorded", "journal"),
    ]

    def __init__(self, session, resumed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.resumed = resumed
        self.action_now = None  # the walk's current need: NeedProbes | NeedAnswer | Done
        self.next_step: Optional[StepReady] = None  # computed as soon as a probe node finishes
        self.busy = False
        self.probed = False  # the current probe node's probes have run
        self.auto = False
        self.notes: List[Tuple[str, str]] = []
        self._shown_keys: Tuple[bool, ...] = ()
        self.number = 0  # the current step's number: its line in the steps list
        self.reviewing: Optional[int] = None  # the past step (list index) shown instead of the current one
        self._live_hint = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="walk"):
            with Vertical(id="side"):
                yield Pane(PathGraphView(id="path"), title="Path ✓ allowed ✗ blocked ? unknown",
                           id="path-pane")
                yield Pane(StepList(id="steps"), title="Steps", id="steps-pane")
            with Pane(title="Step", id="step"):
                with VerticalScroll(id="step-body"):
                    yield Static(id="step-title")
                    yield Static(id="step-why")
                    yield ProbeStatus(id="probes")
                    yield Static(id="question")
                    yield OptionList(id="choices")
                yield StepReview(id="review")
                yield Static(id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"journal {self.session.journal.path}"
        self.query_one("#choices").display = False
        self.query_one("#question").display = False
        self.query_one(StepReview).display = False
        self.advance(auto_run=not self.resumed)

    # Workers (the session is only ever touched by one of them at a time: self.busy) --------------

    def _step_ready(self, auto_run: bool, stop=None) -> StepReady:
        """Where the walk stands: `stop` from the drive that just ran, else a drive that only passes
        the check and branch nodes up to the next node that needs someone."""
        session = self.session
        if stop is None:
            stop = session.drive(probe_batches=0)
        return StepReady(stop, session.graph(), list(session.walk.steps), auto_run)

    @work(thread=True, group="walk", exit_on_error=False)
    def advance(self, auto_run: bool) -> None:
        """Ask the walk what it needs next."""
        self.post_message(self._step_ready(auto_run))

    @work(thread=True, group="walk", exit_on_error=False)
    def run_probes(self, action: NeedProbes) -> None:
        """Run the node's probes (one batch of the drive loop), posting each state change; then say
        what comes next."""
        session = self.session
        listener = lambda probe, state, outcome: self.post_message(ProbeUpdate(probe, state, outcome))  # noqa: E731
        try:
            stop = session.drive(probe_batches=1, listener=listener)
            cancelled = session.runner.cancelled.is_set()
        finally:
            if not session.cancel_token.cancelled:  # Esc skips this batch only; the walk goes on
                session.runner.cancelled.clear()
        self.post_message(ProbesFinished(action.node.id, list(session.last_batch), cancelled))
        self.post_message(self._step_ready(auto_run=True, stop=stop))

    @work(thread=True, group="walk", exit_on_error=False)
    def step_back(self) -> None:
        """Undo the last step (the session replays the rest; nothing is probed again)."""
        if not self.session.back():
            self.app.call_from_thread(self.notify, "Nothing to undo: this is the first step.")
        self.post_message(self._step_ready(auto_run=False))

    @work(thread=True, group="walk", exit_on_error=False)
    def answer(self, value: str) -> None:
        """Record the answer to the current question (the drive loop answers it once) and move on."""
        given = [value]
        stop = self.session.drive(lambda need: given.pop() if given else None, probe_batches=0)
        self.post_message(self._step_ready(auto_run=True, stop=stop))

    @work(thread=True, group="walk", exit_on_error=False)
    def finish(self) -> None:
        """Turn the finished walk into its diagnosis (journaled as the end)."""
        self.post_message(VerdictReady(self.session.finish()))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.busy = False
            error = event.worker.error
            self._hint(line(("✗ ", "$text-error bold"), f"{type(error).__name__}: {error}"))
            toast(self, f"{event.worker.name} failed: {error}", severity="error", redactor=self.session.redactor)

    def _start(self, worker, *args) -> None:
        self.busy = True
        self._keys_changed()
        worker(*args)

    # Messages -----------------------------------------------------------------------------------

    def on_step_ready(self, message: StepReady) -> None:
        if isinstance(self.action_now, NeedProbes) and self.probed and message.auto_run:
            # The node's probes just finished: keep showing their results; Enter moves on.
            self.next_step = message
            self.busy = False
            self._after_probes(message)
            return
        self.busy = False
        self.next_step = None
        self.probed = False
        self.action_now = action = message.action
        self.query_one(PathGraphView).show(message.path, self.session.redactor)
        self._show_steps(message)
        node = action.node
        # The ▶ line of the steps list (the list does not repeat a node that is already its last step).
        self.number = len(message.steps) + (0 if message.steps and message.steps[-1].node == node.id else 1)
        self._show_live()
        self.query_one("#step-title", Static).update(plain(node.title, "bold"))
        self.query_one("#step-why", Static).update(plain(node.why, "italic"))
        probes, question, choices = self.query_one("#probes", ProbeStatus), self.query_one("#question"), self.query_one("#choices")
        probes.display = isinstance(action, NeedProbes)
        question.display = choices.display = isinstance(action, NeedAnswer)
        if isinstance(action, NeedProbes):
            probes.start(action.probes, self._manual, self.session.redactor)
            if not probes.has_focus:  # a focus change redraws the footer: skip the no-op ones
                probes.focus()
            if message.auto_run:
                self._run(action)
            else:
                self._hint(line(("⏎ ", "bold"), "run these probes  ·  b back one more step"))
        elif isinstance(action, NeedAnswer):
            self._ask(action)
        else:
            self._hint(self._done_hint(node))
            if self.auto:
                self.action_primary()
        self._keys_changed()

    def on_probe_update(self, message: ProbeUpdate) -> None:
        self.query_one("#probes", ProbeStatus).update_probe(message.probe, message.state, message.outcome)
        self._keys_changed()

    def on_probes_finished(self, message: ProbesFinished) -> None:
        self.probed = True
        status = self.query_one("#probes", ProbeStatus)
        for outcome in message.outcomes:
            status.update_probe(outcome.name, outcome.status, outcome)
        if message.cancelled:
            toast(self, "Cancelled: the probes that had not started were skipped; the walk goes on.")

    def on_verdict_ready(self, message: VerdictReady) -> None:
        from .verdict import VerdictScreen

        self.busy = False
        self._keys_changed()
        self.app.push_screen(VerdictScreen(self.session, message.diagnosis, self.notes))

    def _findings_hidden(self) -> bool:
        """Training, before the trainee's answer (TrainingApp.findings_hidden): what the checks found is
        the verdict, so the steps list, a reviewed check, the done hint and the path (whose ✗ and
        rules come from the checks and the reachability analysis) hold it back; probes still show."""
        hidden = getattr(self.app, "findings_hidden", None)
        return bool(hidden is not None and hidden())

    def _show_steps(self, step: StepReady) -> None:
        specs = self.session.playbooks.catalog.specs
        node = step.action.node
        hidden = self._findings_hidden()
        self.query_one("#path-pane").display = not hidden
        self.query_one(StepList).show(step.steps, node.id, node.title, self.session.redactor,
                                      lambda fid: specs[fid].severity if fid in specs else "root-cause",
                                      hide_checks=hidden)

    def _show_live(self) -> None:
        """The step pane shows the current step (again, after a past one was reviewed)."""
        if self.reviewing is not None and self._live_hint is not None:
            self.query_one("#hint", Static).update(self._live_hint)
        self.reviewing = None
        self.query_one("#step-body").display = True
        self.query_one(StepReview).display = False
        self.query_one("#step", Pane).set_title(f"Step {self.number} · now")

    def _show_review(self, index: int) -> None:
        """The step pane shows what past step `index` (a steps-list line) saw, from the walk's records."""
        steps = self.query_one(StepList).steps
        if not 0 <= index < len(steps):
            return
        step, walk = steps[index], self.session.walk
        specs = self.session.playbooks.catalog.specs
        node = walk.flow.nodes.get(step.node)
        # Titles filled with the hit's names ("… is not in rails-assets-stg"), not the raw template or the id.
        titles = finding_titles(step.hits, walk.hits, self.session.playbooks.catalog)
        findings = [(title, specs[h].severity if h in specs else "root-cause") for h, title in zip(step.hits, titles)]
        if step.kind == "check" and self._findings_hidden():
            findings = [("what this check found stays hidden until you commit your answer", "info")]
        self.reviewing = index
        self.query_one("#hint", Static).update(line(
            ("↑↓ ", "bold"), "other steps  ·  ", ("⏎ ", "bold"), f"back to step {self.number} (the current one)"))
        self.query_one("#step-body").display = False
        review = self.query_one(StepReview)
        review.display = True
        review.show(step, getattr(node, "why", "") or "", recorded_outcomes(steps, list(walk.events), index),
                    self._manual, findings, self.session.redactor)
        self.query_one("#step", Pane).set_title(f"Step {index + 1} · done, as recorded")

    @on(OptionList.OptionHighlighted, "#steps")
    def _step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """A past line of the steps list shows what that step saw; the current step's line (or one the
        walk has passed on its way to the next stop) shows the current step."""
        index = event.option_index
        if index < self.number - 1:
            if index != self.reviewing:
                self._show_review(index)
        elif self.reviewing is not None:
            self._show_live()

    def _after_probes(self, step: StepReady) -> None:
        self.query_one(PathGraphView).show(step.path, self.session.redactor)
        self._show_steps(step)
        hand = self.query_one("#probes", ProbeStatus).needing_hand()
        if hand:
            self._hint(line(("! ", "$text-warning bold"),
                            f"{len(hand)} probe(s) could not read what they needed: that part of the path stays "
                            "unknown. c copies the command to look by hand, m records what you saw. ",
                            ("⏎ ", "bold"), "next step"))
        else:
            self._hint(line(("⏎ ", "bold"), "next step  ·  b back  ·  o raw data of the highlighted probe"))
        self._keys_changed()
        if self.auto:
            self.action_primary()

    def _run(self, action: NeedProbes) -> None:
        self._hint(line(("Esc ", "bold"), "cancels the probes that have not started"))
        self._start(self.run_probes, action)

    def _ask(self, action: NeedAnswer) -> None:
        self.query_one("#question", Static).update(plain(action.question, "bold"))
        choices = self.query_one("#choices", OptionList)
        prompts = []
        for choice in action.choices:
            suggested = choice.value == action.suggestion
            prompts.append(Option(line(choice.label, (" (suggested)" if suggested else "", "$text-success")),
                                  id=choice.value))
        choices.set_options(prompts)
        values = [c.value for c in action.choices]
        choices.highlighted = values.index(action.suggestion) if action.suggestion in values else 0
        if not choices.has_focus:
            choices.focus()
        self._hint(line(("↑↓ ", "bold"), "choose  ·  ", ("⏎ ", "bold"), "answer  ·  b back"))

    def _done_hint(self, node):
        if self._findings_hidden():
            return line(("The walk is done. ", "bold"), ("⏎ ", "bold"),
                        "back to the brief (the verdict stays hidden until you commit your answer)")
        if node.result != "verdict":
            return line(("The walk stops here. ", "$text-warning bold"), ("⏎ ", "bold"), "says why  ·  b back")
        specs = self.session.playbooks.catalog.specs
        roots = {h.id for h in self.session.walk.hits
                 if (h.severity or (specs[h.id].severity if h.id in specs else "root-cause")) == "root-cause"}
        if roots:
            found, style = f"{len(roots)} root cause{'s' if len(roots) != 1 else ''} found. ", "$text-error bold"
        elif self.session.walk.unknowns:
            found, style = "No root cause in what could be checked, but not everything could. ", "$text-warning bold"
        else:
            found, style = "No root cause found. ", "$text-success bold"
        return line((found, style), ("⏎ ", "bold"),
                    "shows the verdict with evidence and fixes  ·  b back")

    def _hint(self, content) -> None:
        self._live_hint = content  # shown again when the person comes back from a past step
        if self.reviewing is None:
            self.query_one("#hint", Static).update(content)

    def _manual(self, probe: str) -> str:
        return manual_route(probe, self.session.walk.facts)

    # Actions ------------------------------------------------------------------------------------

    def _keys_changed(self) -> None:
        """Redraw the footer when the set of keys that do something changed (redrawing it on every
        probe update costs more than the probes themselves on a small machine)."""
        shown = tuple(bool(self.check_action(name, ())) for name in ("cancel", "copy_route", "probe_data", "back"))
        if shown != self._shown_keys:
            self._shown_keys = shown
            self.refresh_bindings()

    def check_action(self, action: str, parameters) -> Optional[bool]:
        """Which keys do something now (the footer shows only those)."""
        # False hides a key from the footer: at 80 columns only the keys that do something now fit.
        if action == "cancel":
            return self.busy and self.query_one("#probes", ProbeStatus).running
        if action in ("copy_route", "by_hand"):
            return self._highlighted_probe(needing_hand=True) is not None
        if action == "probe_data":
            return isinstance(self.action_now, NeedProbes)
        if action == "back":
            return not self.busy
        return True

    def action_primary(self) -> None:
        """Enter: run the probes, go to the next step, answer, or open the verdict. While a past step
        is shown, Enter comes back to the current one first (it never advances from there)."""
        if self.reviewing is not None:
            steps = self.query_one(StepList)
            steps.highlighted = self.number - 1 if self.number - 1 < steps.option_count else None
            self._show_live()
            return
        if self.busy:
            return
        action = self.action_now
        if isinstance(action, NeedProbes):
            if self.probed and self.next_step is not None:
                step, self.next_step = self.next_step, None
                self.probed = False
                self.action_now = None
                self.on_step_ready(step)
            elif not self.probed:
                self._run(action)
        elif isinstance(action, NeedAnswer):
            choices = self.query_one("#choices", OptionList)
            if choices.highlighted is not None:
                self._start(self.answer, choices.get_option_at_index(choices.highlighted).id)
        elif isinstance(action, Done):
            self._start(self.finish)

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if not self.busy and isinstance(self.action_now, NeedAnswer):
            self._start(self.answer, event.option.id)

    def action_back(self) -> None:
        if self.busy:
            self.app.bell()
            return
        self.action_now = None
        self._start(self.step_back)

    def action_cancel(self) -> None:
        if self.busy and self.query_one("#probes", ProbeStatus).running:
            self.session.runner.cancelled.set()
            self._hint(line(("Cancelling: ", "$text-warning bold"),
                            "probes not started are skipped; one already running stops at its own timeout."))

    def action_auto(self) -> None:
        self.auto = not self.auto
        toast(self, "Auto-advance on: the walk runs its probes and moves on until a question."
                    if self.auto else "Auto-advance off: ⏎ moves on.", redactor=self.session.redactor)
        if self.auto and not self.busy and not isinstance(self.action_now, NeedAnswer):
            self.action_primary()

    def _highlighted_probe(self, needing_hand: bool = False) -> Optional[str]:
        status = self.query_one("#probes", ProbeStatus)
        if not status.display or status.highlighted is None or not status.order:
            return None
        probe = status.order[status.highlighted]
        if needing_hand and probe not in status.needing_hand():
            hand = status.needing_hand()
            return hand[0] if hand else None
        return probe

    def action_copy_route(self) -> None:
        probe = self._highlighted_probe(needing_hand=True)
        if probe:
            self.app.copy_to_clipboard(self._manual(probe))
            toast(self, f"Copied the command for {probe} (OSC 52; in tmux: set -g set-clipboard on).",
                  redactor=self.session.redactor)

    def action_by_hand(self) -> None:
        from .manual import ManualRouteScreen

        probe = self._highlighted_probe(needing_hand=True)
        if not probe:
            return
        state, outcome = self.query_one("#probes", ProbeStatus).states[probe]

        def done(note: Optional[str]) -> None:
            """Keep what the person saw (journal and report)."""
            if note:
                self.notes.append((probe, note))
                self.session.journal.append({"type": "note", "probe": probe, "text": note})
                toast(self, "Noted: it goes into the incident report.")

        self.app.push_screen(ManualRouteScreen(probe, self._manual(probe), outcome, self.session.redactor), done)

    def action_probe_data(self) -> None:
        from .probe_detail import ProbeDetailScreen

        probe = self._highlighted_probe()
        if probe:
            _, outcome = self.query_one("#probes", ProbeStatus).states[probe]
            self.app.push_screen(ProbeDetailScreen(probe, outcome, self.session.redactor))

    def action_journal(self) -> None:
        toast(self, f"Every step is journaled to {self.session.journal.path} (edgewiz resume continues it).",
              redactor=self.session.redactor)
