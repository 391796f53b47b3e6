"""Provides PlainWalk: drives one WalkSession (through its one drive loop) with prompts, printing each
step as it happens — its title and why, the probes as they finish, the manual route for a probe that
could not run, the checks passed on the way — until the walk reaches its verdict."""

from __future__ import annotations

import re
from typing import Optional

from ..diagnose import Diagnosis
from ..engine.drive import Cancelled
from ..engine.walk import Done, NeedAnswer, NeedProbes
from ..model import ProbeOutcome
from ..probes.specs import PROBES
from ..report.probe_words import found, status_word
from ..report.walk_words import branch_words, finding_titles
from ..untrusted import shorten
from ..walk_session import WalkSession, register_secrets
from ..probes.manual import manual_route
from .output import Output
from . import prompts
from .prompts import Prompter

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def short_why(text: str, limit: int = 160) -> str:
    """The first sentence of a step's why (a second one too when the first is short)."""
    sentences = _SENTENCE.split(" ".join((text or "").split()))
    out = sentences[0]
    if len(sentences) > 1 and len(out) + len(sentences[1]) < limit:
        out += " " + sentences[1]
    return out


class PlainWalk:
    """One walk in plain mode."""

    def __init__(self, session: WalkSession, prompter: Prompter, out: Output, pause: bool = False) -> None:
        self.session = session
        self.prompter = prompter
        self.out = out
        self.pause = pause  # wait for Enter before each next step (a person reads at their pace)
        self.number = 0
        self._shown = 0  # walk steps already printed

    def show_replayed(self) -> None:
        """Print the steps a resumed walk took from its journal."""
        steps = self.session.walk.steps
        for step in steps:
            if step.kind in ("probe", "question"):
                self.number += 1
                self.out.say(f"   ✓ {self.number}. {step.title}  (from the journal)")
        self._shown = len(steps)

    def run(self) -> Diagnosis:
        """Walk to the end and return the diagnosis (journaled as finished). Ctrl-C at a question
        cancels the walk (journaled as cancelled) and raises prompts.Cancelled for run_plain."""
        stop = self.session.drive(self._answer, listener=self._on_probe, on_need=self._on_need)
        if isinstance(stop, Cancelled):
            raise prompts.Cancelled(stop.reason)
        return self.session.finish(stop)

    # Steps ----------------------------------------------------------------------------------------

    def _heading(self, title: str, why: str) -> None:
        self.number += 1
        self.out.say("")
        self.out.say(f"── {self.number}. {title}")
        self.out.wrapped(short_why(why), "   ")

    def _show_passed_steps(self) -> None:
        """Checks and branches the walk passed through without asking anyone, in words (finding
        titles, what a branch's value means), never internal ids."""
        walk = self.session.walk
        steps = walk.steps
        for step in steps[self._shown:]:
            if step.kind == "check":
                titles = finding_titles(step.hits, walk.hits, walk.catalog)
                faults = [t for fid, t in zip(step.hits, titles) if self._severity(fid) != "info"]
                if faults:
                    self.out.say(f"   ✗ {step.title} — found: {'; '.join(faults)}")
                elif titles:
                    self.out.say(f"   i {step.title} — worth knowing: {'; '.join(titles)}")
                else:
                    self.out.say(f"   ✓ {step.title} — nothing wrong here")
            elif step.kind == "branch":
                self.out.say(f"   → {step.title} {branch_words(step.detail)}")
        self._shown = len(steps)

    def _severity(self, finding_id: str) -> str:
        walk = self.session.walk
        hit = next((h for h in walk.hits if h.id == finding_id), None)
        if hit is not None and hit.severity:
            return hit.severity
        spec = walk.catalog.specs.get(finding_id) if walk.catalog is not None else None
        return spec.severity if spec is not None else ""

    def _on_need(self, action) -> None:
        """The loop reached a probe node, a question or the end: what it passed first, then (after
        Enter, when pausing) the heading."""
        self._show_passed_steps()
        if self.pause and self.number:
            self._wait("Enter for the verdict" if isinstance(action, Done) else "Enter for the next step")
        if isinstance(action, (NeedProbes, NeedAnswer)) and not self.session.cancel_token.cancelled:
            self._heading(action.node.title, action.node.why)

    def _wait(self, message: str) -> None:
        try:
            self.prompter.pause(message)
        except prompts.Cancelled:
            # The drive loop looks at the cancel right after this call and stops as Cancelled.
            self.session.cancel("cancelled at a pause")

    def _on_probe(self, name: str, state: str, outcome: Optional[ProbeOutcome]) -> None:
        spec = PROBES.get(name)
        title = spec.title if spec else name
        if outcome is None:
            if self.out.live:  # someone watching a terminal sees what is still running
                self.out.say(f"   … {title}")
            return
        # The runner has put this outcome in the facts: register what it revealed (an origin's
        # Referer secret) before any of it is printed.
        register_secrets(self.session.redactor, self.session.walk.facts)
        word = status_word(outcome.status)
        calls = outcome.aws_calls
        timing = f"{outcome.ms:.0f} ms" + (f", {calls} AWS call{'s' if calls > 1 else ''}" if calls else "")
        if outcome.ok:
            self.out.say(f"   [{word}] {title}  ({timing}): {shorten(found(outcome), 300)}")
            return
        self.out.say(f"   [{word}] {title}: {shorten(outcome.error or '', 300)}")
        if outcome.status in ("denied", "error"):
            if outcome.missing_action:
                self.out.say(f"     missing permission: {outcome.missing_action}")
            route = manual_route(name, self.session.walk.facts)
            if route:
                self.out.say("     Look by hand (the walk goes on; this part stays unknown):")
                self.out.say(f"       {route}", wrap=False)  # a command to copy: never folded

    def _answer(self, action: NeedAnswer) -> Optional[str]:
        if self.session.cancel_token.cancelled:  # stopped at the pause before this question
            return None
        choices = [(c.value, c.label) for c in action.choices]
        try:
            return self.prompter.select(action.question, choices, action.suggestion)
        except prompts.Cancelled:
            self.session.cancel("cancelled at a question")
            return None
