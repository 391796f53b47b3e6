"""Provides VerdictScreen: the root causes in the order the request meets them, each with its
evidence and a fix to copy (OSC 52, works over SSH); what else is worth knowing and what could not
be checked; the traffic graph (the walk screen's PathGraphView, security groups included); re-check (probe again after a fix, show what changed) and export of
the incident report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ...diagnose import Diagnosis, auto_answer
from ...engine.walk import NeedAnswer
from ...model import Finding, Unknown
from ...probes.specs import PROBES
from ...report import no_root_cause_sentence
from ...report.changes import changes_between, titled, titles_of
from ..recheck_safety import review_fix_safety  # is a fix broader than needed? (recheck_safety.py)
from ..display import SPINNER, line, plain, toast
from ..messages import RecheckDone, RecheckProgress
from ..widgets.pane import Pane
from ..widgets.path_graph_view import PathGraphView


_STOP = "stop"  # the list item that explains a walk that stopped short of the verdict


class VerdictScreen(Screen):
    """The verdict of one walk (and of its re-checks)."""

    BINDINGS = [
        Binding("c", "copy_fix", "Copy fix"),
        Binding("f", "copy_all", "Copy all fixes", show=False),
        Binding("r", "recheck", "Re-check"),
        Binding("e", "export", "Export"),
        Binding("b", "back", "Back", show=False),
        Binding("n", "new_walk", "New walk"),
        Binding("j", "journal", "Journal", show=False),
        Binding("pagedown,space", "scroll_detail(1)", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll_detail(-1)", "Scroll", show=False, priority=True),
    ]
    PALETTE = [
        ("Copy the fix", "The highlighted finding's fix, to the clipboard (OSC 52)", "copy_fix"),
        ("Copy every root cause's fix", "All fixes, in path order", "copy_all"),
        ("Re-check", "Probe again after a fix and show what changed", "recheck"),
        ("Export the incident report", "Markdown and JSON", "export"),
        ("New walk", "Back to the intake", "new_walk"),
        ("Show the journal path", "Where every step is recorded", "journal"),
    ]

    def __init__(self, session, diagnosis: Diagnosis, notes: Optional[List[Tuple[str, str]]] = None) -> None:
        super().__init__()
        self.session, self.diagnosis = session, diagnosis
        self.notes = list(notes or [])
        self.changes: Optional[Dict[str, List[str]]] = None  # by finding id (review, export, JSON)
        self.change_titles: Dict[str, str] = {}  # id -> title, so the banner names findings in words
        self.rechecking = ""
        self.recheck_session = None  # the session of the running (or last) re-check
        self._items: List[object] = []  # Finding | Unknown | None (a heading), per option
        self._frame = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner")
        with Horizontal(id="verdict"):
            with Vertical(id="vside"):
                yield Pane(OptionList(id="findings"), title="Findings", id="findings-pane")
                yield Pane(PathGraphView(id="path"), title="Path ✓ allowed ✗ blocked ? unknown", id="vpath-pane")
            with Pane(title="Details", id="detail-pane"):
                with VerticalScroll(id="detail"):
                    yield Static(id="finding")
        yield Footer()

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._spin, pause=True)
        self.show()

    # Drawing ------------------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the current diagnosis."""
        d, redactor = self.diagnosis, self.session.redactor
        self.sub_title = f"journal {self.session.journal.path}"
        self.query_one("#banner", Static).update(self._banner())
        roots = d.root_causes
        others = [f for f in d.findings if f.severity != "root-cause"]
        options: List[Option] = []
        self._items = []

        def heading(text: str) -> None:
            """A section title in the list (not selectable)."""
            options.append(Option(plain(text, "bold $text-muted"), disabled=True))
            self._items.append(None)

        if d.end.result != "verdict":
            # Stopped short: why, and what could not be read, come first (the banner only names it).
            heading("The walk stopped")
            options.append(Option(line(("! ", "$text-warning bold"), "Why, and what could not be read",
                                       redactor=redactor)))
            self._items.append(_STOP)
        if roots:
            heading("Root causes, in path order")
            for i, f in enumerate(roots, 1):
                options.append(Option(line((f"{i} ✗ ", "$text-error bold"), f"[{f.layer}] {f.title}",
                                           redactor=redactor)))
                self._items.append(f)
        if others:
            heading("Also worth knowing")
            for f in others:
                options.append(Option(line(("i ", "$text-accent"), f"[{f.layer}] {f.title}", redactor=redactor)))
                self._items.append(f)
        if d.unknowns:
            heading("Could not check")
            for u in d.unknowns:
                options.append(Option(line(("? ", "$text-warning"), f"[{u.layer}] {u.what}", redactor=redactor)))
                self._items.append(u)
        findings = self.query_one("#findings", OptionList)
        findings.set_options(options)
        first = next((i for i, item in enumerate(self._items) if item is not None), None)
        if first is not None:
            findings.highlighted = first
        findings.focus()
        self._show_item(first)
        self.query_one(PathGraphView).show(d.graph, redactor)
        self.refresh_bindings()  # Copy is offered only when there is a fix to copy

    def _banner(self):
        d = self.diagnosis
        roots = d.root_causes
        parts: List = []
        if self.rechecking:
            parts += [(SPINNER[self._frame] + " re-checking: ", "$text-accent bold"), self.rechecking, "\n"]
        if self.changes is not None:
            c = titled(self.changes, self.change_titles)
            parts.append(("Re-check: ", "bold"))
            parts += [("✓ fixed: " + "; ".join(c["fixed"]) + "  ", "$text-success bold")] if c["fixed"] else []
            parts += [("✗ newly found: " + "; ".join(c["new"]) + "  ", "$text-error bold")] if c["new"] else []
            parts += [("still there: " + "; ".join(c["still"]), "$text-warning")] if c["still"] else []
            if not (c["fixed"] or c["new"] or c["still"]):
                parts.append(("nothing changed", "$text-muted"))
            parts.append("\n")
        if roots:
            many = len(roots) > 1
            parts += [(f"{len(roots)} root cause{'s' if many else ''}", "$text-error bold"),
                      " in the order the request meets them" + (" (the browser hits #1 first)" if many else "")]
        elif d.end.result == "verdict":
            # With unknowns this says "inconclusive": unknown is not ok (the same words in every front end).
            parts.append((no_root_cause_sentence(d) or "", "$text-warning bold" if d.unknowns else "$text-success bold"))
        else:  # the why and the probes' errors are in the scrollable details, not cut off here
            parts += [("Stopped: ", "$text-warning bold"), d.end.title]
        return line(*parts, redactor=self.session.redactor)

    def _stop_details(self) -> List:
        """Why the walk stopped, each read that failed with what it answered, and what to do."""
        d = self.diagnosis
        parts: List = [(f"Stopped: {d.end.title}", "bold $text-warning"), "\n\n", d.end.why, "\n"]
        failed = [p for p in d.probes if p.status in ("denied", "error")]
        skipped = [p for p in d.probes if p.status == "skipped"]
        if failed:
            parts += ["\n", ("What could not be read", "bold"), "\n"]
            for p in failed:
                title = PROBES[p.name].title if p.name in PROBES else p.name
                parts += [("✗ ", "$text-error bold"), (title, "bold"), f"  {p.status}", "\n",
                          f"  {p.error or 'no error recorded'}", "\n"]
                if p.missing_action:
                    parts += [("  needs ", "$text-muted"), p.missing_action, "\n"]
        if skipped:
            parts += ["\n", (f"{len(skipped)} probe{'s' if len(skipped) > 1 else ''} not run: they need what "
                               "could not be read.", "$text-muted"), "\n"]
        parts += ["\n", ("What to do", "bold"), "\n", "Fix what the errors above say, then r walks again "
                  "(or n starts a new walk); e exports this stop for the incident record."]
        return parts

    def _show_item(self, index: Optional[int]) -> None:
        item = self._items[index] if index is not None and 0 <= index < len(self._items) else None
        redactor = self.session.redactor
        out = self.query_one("#finding", Static)
        if isinstance(item, Finding):
            parts: List = [(item.title, "bold"), "\n", (f"{item.layer} · {item.severity} · [{item.id}]", "$text-muted"),
                           "\n\n", item.why, "\n"]
            if item.evidence:
                parts += ["\n", ("Evidence", "bold"), "\n"]
                parts += [f"• {e}\n" for e in item.evidence]
            parts += ["\n", ("Fix", "bold"), ("  (c copies it)", "$text-muted"), "\n", (item.fix, "$text-warning"),
                      "\n\n", ("Docs: ", "bold"), item.docs]
            out.update(line(*parts, redactor=redactor))
        elif isinstance(item, Unknown):
            out.update(line((f"Could not check: {item.what}", "bold $text-warning"), "\n\n", item.reason, "\n\n",
                            ("This part of the path is unknown, not ok: look by hand (the walk's denied probes "
                             "show the command) or run edgewiz with credentials that may read it.", "$text-muted"),
                            redactor=redactor))
        elif item is _STOP:
            out.update(line(*self._stop_details(), redactor=redactor))
        else:
            out.update(line(("The walk", "bold"), "\n", self.diagnosis.end.why, redactor=redactor))

    @on(OptionList.OptionHighlighted, "#findings")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_item(event.option_index)
        # Another finding: read it from its title, not from where the last one was scrolled to.
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def _spin(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self.query_one("#banner", Static).update(self._banner())

    # Re-check -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="recheck", exit_on_error=False)
    def recheck(self) -> None:
        """Walk again for the same URL in a new session (the same drive loop), answering as before,
        and post the result."""
        old = self.session
        session = self.recheck_session = self.app.backend.new_session(old.walk.facts.symptom)
        answers = dict(old.walk.facts.answers)

        def listener(probe, state, _outcome):
            """Report which probe the re-check is running."""
            if state == "running":
                self.post_message(RecheckProgress(PROBES[probe].title if probe in PROBES else probe))

        def as_before(action: NeedAnswer) -> str:
            """The answer the walk being re-checked gave, else the default."""
            known = answers.get(action.node.id)
            return known if known in {c.value for c in action.choices} else auto_answer(action)

        self.post_message(RecheckDone(session, session.run_to_end(as_before, listener)))

    def on_unmount(self) -> None:
        # A re-check still running when the screen goes (new walk, back) stops at its next step.
        if self.recheck_session is not None and self.rechecking:
            self.recheck_session.cancel("the verdict screen was closed")

    def action_recheck(self) -> None:
        if self.rechecking:
            return
        self.rechecking = "starting a new walk for the same URL"
        self._timer.resume()
        self.recheck()

    def on_recheck_progress(self, message: RecheckProgress) -> None:
        self.rechecking = message.text

    def on_recheck_done(self, message: RecheckDone) -> None:
        self.rechecking = ""
        self._timer.pause()
        if message.diagnosis.cancelled:  # a cancelled re-check proves nothing fixed: keep this verdict
            self.query_one("#banner", Static).update(self._banner())
            toast(self, f"Re-check cancelled: {message.diagnosis.cancelled}.", redactor=self.session.redactor)
            return
        self.changes = changes_between(self.diagnosis, message.diagnosis)
        self.change_titles = titles_of(self.diagnosis, message.diagnosis)
        review_fix_safety(self, self.changes["fixed"], self.diagnosis, message.session, message.diagnosis)
        self.session, self.diagnosis = message.session, message.diagnosis
        self.show()
        fixed, new = self.changes["fixed"], self.changes["new"]
        toast(self, f"Re-checked: {len(fixed)} fixed, {len(new)} newly found. New journal: {self.session.journal.path}",
              redactor=self.session.redactor)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.rechecking = ""
            self._timer.pause()
            self.query_one("#banner", Static).update(self._banner())
            toast(self, f"Re-check failed: {event.worker.error}", severity="error", redactor=self.session.redactor)

    # Actions ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters) -> Optional[bool]:
        # No finding, no fix to copy: the key is hidden rather than offered to do nothing.
        if action in ("copy_fix", "copy_all") and not self.diagnosis.findings:
            return False
        return True

    def _highlighted_finding(self) -> Optional[Finding]:
        findings = self.query_one("#findings", OptionList)
        index = findings.highlighted
        item = self._items[index] if index is not None and 0 <= index < len(self._items) else None
        return item if isinstance(item, Finding) else None

    def action_copy_fix(self) -> None:
        finding = self._highlighted_finding()
        if finding is None:
            toast(self, "Highlight a finding first (↑↓).")
            return
        self.app.copy_to_clipboard(self.session.redactor.scrub(finding.fix))
        toast(self, f"Copied the fix for: {finding.title} (OSC 52; in tmux: set -g set-clipboard on).",
              redactor=self.session.redactor)

    def action_copy_all(self) -> None:
        roots = self.diagnosis.root_causes
        if not roots:
            toast(self, "No root cause: nothing to fix.")
            return
        text = "\n\n".join(f"# {i}. {f.title}\n{f.fix}" for i, f in enumerate(roots, 1))
        self.app.copy_to_clipboard(self.session.redactor.scrub(text))
        toast(self, f"Copied {len(roots)} fixes, in path order.", redactor=self.session.redactor)

    def action_export(self) -> None:
        from .export import ExportScreen

        host = self.diagnosis.symptom.host.replace(":", "_") or "report"
        default = str(Path.cwd() / f"edgewiz-{host}-{time.strftime('%Y%m%d-%H%M%S')}")

        def write(base: Optional[str]) -> None:
            """Write the report where the person said."""
            if not base:
                return
            from ...report.graph_svg import export_svg
            from ...report.markdown_report import export

            try:
                md, js = export(self.diagnosis, Path(base).expanduser(), self.session.redactor,
                                journal=str(self.session.journal.path), notes=self.notes, changes=self.changes)
            except OSError as exc:
                toast(self, f"Could not write the report: {exc}", severity="error", redactor=self.session.redactor)
                return
            svg = export_svg(self.diagnosis, md, self.session.redactor)
            toast(self, f"Wrote {md}, {js}" + (f" and {svg}" if svg else ""), redactor=self.session.redactor)

        self.app.push_screen(ExportScreen(default), write)

    def action_scroll_detail(self, direction: int) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        if direction > 0:
            detail.scroll_page_down()
        else:
            detail.scroll_page_up()

    def action_back(self) -> None:
        self.dismiss()

    def action_new_walk(self) -> None:
        from .intake import IntakeScreen

        while len(self.app.screen_stack) > 1 and not isinstance(self.app.screen, IntakeScreen):
            self.app.pop_screen()

    def action_journal(self) -> None:
        toast(self, f"Every step is journaled to {self.session.journal.path}.", redactor=self.session.redactor)
