"""Provides PlainWalk: drives one WalkSession (through its one drive loop) with prompts, printing each
step as it happens — its title and why, the probes as they finish, the manual route for a probe that
could not run, the checks passed on the way — until the walk reaches its verdict."""

from __future__ import annotations

import re
from typing import Any, Optional

from ..diagnose import Diagnosis
from ..engine.drive import Cancelled
from ..engine.walk import NeedAnswer, NeedProbes
from ..model import ProbeOutcome
from ..probes.specs import PROBES
from ..untrusted import shorten
from ..walk_session import WalkSession, register_secrets
from ..probes.manual import manual_route
from .output import Output
from . import prompts
from .prompts import Prompter

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_MARK = {"ok": "✓", "denied": "✗", "error": "!", "skipped": "-"}


def short_why(text: str, limit: int = 160) -> str:
    """The first sentence of a step's why (a second one too when the first is short)."""
    sentences = _SENTENCE.split(" ".join((text or "").split()))
    out = sentences[0]
    if len(sentences) > 1 and len(out) + len(sentences[1]) < limit:
        out += " " + sentences[1]
    return out


def _brief(outcome: ProbeOutcome) -> str:
    """A few words on what an ok probe brought back, when they are cheap to say."""
    data: Any = outcome.data
    if not isinstance(data, dict):
        return ""
    if data.get("unreachable"):
        return "no answer: " + shorten(data.get("error") or data.get("error_kind") or "", 120)
    if isinstance(data.get("status"), int):
        return f"HTTP {data['status']}"
    if data.get("found") is False:
        return "not found"
    return ""


class PlainWalk:
    """One walk in plain mode."""

    def __init__(self, session: WalkSession, prompter: Prompter, out: Output) -> None:
        self.session = session
        self.prompter = prompter
        self.out = out
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
        """Checks and branches the walk passed through without asking anyone."""
        steps = self.session.walk.steps
        for step in steps[self._shown:]:
            if step.kind == "check":
                if step.hits:
                    self.out.say(f"   ✗ {step.title} — found: {', '.join(step.hits)}")
                else:
                    self.out.say(f"   ✓ {step.title} — nothing wrong here")
            elif step.kind == "branch":
                value = step.detail.split(" = ", 1)[-1]
                self.out.say(f"   → {step.title} {value}")
        self._shown = len(steps)

    def _on_need(self, action) -> None:
        """The loop reached a probe node, a question or the end: what it passed first, then the heading."""
        self._show_passed_steps()
        if isinstance(action, (NeedProbes, NeedAnswer)):
            self._heading(action.node.title, action.node.why)

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
        mark = _MARK.get(outcome.status, "?")
        calls = outcome.aws_calls
        timing = f"{outcome.ms:.0f} ms" + (f", {calls} AWS call{'s' if calls > 1 else ''}" if calls else "")
        if outcome.ok:
            brief = _brief(outcome)
            self.out.say(f"   {mark} {title}  ({timing})" + (f": {brief}" if brief else ""))
            return
        self.out.say(f"   {mark} {title}: {outcome.status} — {shorten(outcome.error or '', 300)}")
        if outcome.status in ("denied", "error"):
            if outcome.missing_action:
                self.out.say(f"     missing permission: {outcome.missing_action}")
            route = manual_route(name, self.session.walk.facts)
            if route:
                self.out.say("     Look by hand (the walk goes on; this part stays unknown):")
                self.out.say(f"       {route}")

    def _answer(self, action: NeedAnswer) -> Optional[str]:
        choices = [(c.value, c.label) for c in action.choices]
        try:
            return self.prompter.select(action.question, choices, action.suggestion)
        except prompts.Cancelled:
            self.session.cancel("cancelled at a question")
            return None
