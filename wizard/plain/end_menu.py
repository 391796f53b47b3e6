"""Provides EndMenu: what plain mode offers once the verdict is printed — copy (the fix commands in
one block to select), export (Markdown and JSON files), re-check (walk again for the same URL,
answering as before, and say what changed) and quit — until the person quits."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Dict, List, Optional

from ..diagnose import Diagnosis, auto_answer
from ..engine.walk import NeedAnswer
from ..probes.specs import PROBES
from ..report import text_report
from ..report.changes import changes_between
from .output import Output
from .prompts import Prompter

CHOICES = [("copy", "Copy: print the fix commands in one block"),
           ("export", "Export the report (Markdown and JSON files)"),
           ("recheck", "Re-check: walk again for the same URL and show what changed"),
           ("quit", "Quit")]


class EndMenu:
    """The end of a plain walk: one diagnosis (replaced by each re-check) and what to do with it."""

    def __init__(self, backend, session, diagnosis: Diagnosis, prompter: Prompter, out: Output) -> None:
        self.backend, self.session, self.diagnosis = backend, session, diagnosis
        self.prompter, self.out = prompter, out
        self.changes: Optional[Dict[str, List[str]]] = None

    def run(self) -> None:
        """Offer the choices until Quit (Ctrl-C or Ctrl-D at the menu quits too)."""
        while True:
            self.out.say("")
            choice = self.prompter.select("What next?", CHOICES, "quit")
            if choice == "quit":
                return
            getattr(self, choice)()

    def copy(self) -> None:
        """The root causes' fixes, in path order, between two rulers: nothing else inside to select."""
        roots = self.diagnosis.root_causes
        if not roots:
            self.out.say("No root cause: there is no fix to copy.")
            return
        block = "\n\n".join(f"# {i}. {f.title}\n{f.fix}" for i, f in enumerate(roots, 1))
        self.out.say(f"Fix commands for {len(roots)} root cause{'s' if len(roots) > 1 else ''}, in the order "
                     "the request meets them. Read each before you run it:")
        self.out.say("-" * min(self.out.width, 60), wrap=False)
        self.out.say(block, wrap=False)  # commands: a line break inside one would spoil the paste
        self.out.say("-" * min(self.out.width, 60), wrap=False)

    def export(self) -> None:
        """Ask where, then write <base>.md and <base>.json."""
        from ..report.markdown_report import export

        host = self.diagnosis.symptom.host.replace(":", "_") or "report"
        default = str(Path.cwd() / f"edgewiz-{host}-{time.strftime('%Y%m%d-%H%M%S')}")
        base = self.prompter.text("Write the report to (.md and .json are added):", default)
        if not base:
            return
        try:
            md, js = export(self.diagnosis, Path(base).expanduser(), self.session.redactor,
                            journal=str(self.session.journal.path), changes=self.changes)
        except OSError as exc:
            self.out.say(f"Could not write the report: {exc.strerror or exc}")
            return
        self.out.say(f"Wrote {md} and {js}")

    def recheck(self) -> None:
        """A new walk for the same URL (its own journal), each question answered as before; then its
        report and what changed, in finding titles."""
        old = self.session
        answers = dict(old.walk.facts.answers)

        def as_before(action: NeedAnswer) -> str:
            known = answers.get(action.node.id)
            return known if known in {c.value for c in action.choices} else auto_answer(action)

        def listener(probe, state, _outcome) -> None:
            if state == "running" and self.out.live:
                self.out.say(f"   … {PROBES[probe].title if probe in PROBES else probe}")

        self.out.say("Re-checking: a new walk for the same URL, answering as before…")
        session = self.backend.new_session(old.walk.facts.symptom)
        self.out.redactor = session.redactor
        after = session.run_to_end(as_before, listener)
        self.changes = changes_between(self.diagnosis, after)
        titles = {f.id: f.title for f in self.diagnosis.findings + after.findings}
        self.session, self.diagnosis = session, after
        self.out.say("")
        self.out.write(text_report.render(after, redactor=session.redactor, width=self.out.width))
        self.out.say("")
        self.out.say("What changed since the last check:")
        for key, label in (("fixed", "Fixed (gone now)"), ("new", "Newly found"), ("still", "Still there")):
            names = [titles.get(i, i) for i in self.changes[key]]
            self.out.say(f"  - {label}: {'; '.join(names) if names else 'none'}")
        self.out.say(f"Journal: {session.journal.path}")
