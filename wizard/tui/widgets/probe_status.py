"""Provides ProbeStatus: the current step's probes with their live state in the probes' own words —
queued, running (with a spinner), ran, denied, error, skipped; never ✓/✗, which belong to the path —
what each found (with its values), and for a denied or failed probe the
command to look by hand."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import ProbeOutcome
from ...probes.specs import PROBES
from ...redact import Redactor
from ..display import SPINNER, line, mark
from ...report.probe_words import PROBE_MARKS, found, status_word


class ProbeStatus(OptionList):
    """Live probe rows for one probe node; highlight a row to copy its manual route."""

    DEFAULT_CSS = """
    ProbeStatus, ProbeStatus:focus { border: none; padding: 0; background: transparent; }
    """

    def __init__(self, *, id: Optional[str] = None) -> None:
        super().__init__(id=id)
        self.states: Dict[str, Tuple[str, Optional[ProbeOutcome]]] = {}
        self.order: List[str] = []
        self.redactor: Optional[Redactor] = None
        self.manual: Callable[[str], str] = lambda _probe: ""
        self._frame = 0
        self._timer = None

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._spin, pause=True)

    def start(self, probes: Sequence[str], manual: Callable[[str], str], redactor: Optional[Redactor] = None,
              outcomes: Sequence[ProbeOutcome] = ()) -> None:
        """Show `probes` as queued (or with their `outcomes` when the step is already done)."""
        self.order, self.manual, self.redactor = list(probes), manual, redactor
        done = {o.name: o for o in outcomes}
        self.states = {p: ((done[p].status, done[p]) if p in done else ("queued", None)) for p in probes}
        self.set_options([Option(self._prompt(p), id=p) for p in self.order])
        if self.order:
            self.highlighted = self._first_manual() or 0

    def update_probe(self, probe: str, state: str, outcome: Optional[ProbeOutcome] = None) -> None:
        """A probe changed state."""
        if probe not in self.states:
            return
        self.states[probe] = (state, outcome)
        self.replace_option_prompt(probe, self._prompt(probe))
        if self._timer is not None:
            if self.running:
                self._timer.resume()
            else:
                self._timer.pause()
        if state in ("denied", "error") and self.manual(probe):
            self.highlighted = self.order.index(probe)

    @property
    def running(self) -> bool:
        """Whether a probe is running now."""
        return any(s == "running" for s, _ in self.states.values())

    def needing_hand(self) -> List[str]:
        """Probes that could not read what they needed (denied or failed) and have a manual route."""
        return [p for p in self.order if self.states[p][0] in ("denied", "error") and self.manual(p)]

    def _first_manual(self) -> Optional[int]:
        hand = self.needing_hand()
        return self.order.index(hand[0]) if hand else None

    def _spin(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        for probe in self.order:
            if self.states[probe][0] == "running":
                self.replace_option_prompt(probe, self._prompt(probe))

    def _prompt(self, probe: str) -> Content:
        state, outcome = self.states[probe]
        spec = PROBES.get(probe)
        title = spec.title if spec else probe
        # "ran" is not "fine": no success green on a read that may have found the bug.
        style = "" if state == "ok" else mark(state)[1]
        symbol = SPINNER[self._frame] if state == "running" else PROBE_MARKS.get(state, "?")
        parts: List = [(f"{symbol} ", style), (title, "bold" if state == "running" else ""),
                       (f"  {status_word(state)}", style)]
        if outcome is not None:
            parts += ["\n  ", (found(outcome, self.redactor), "$text-error" if state == "denied" else "$text-muted")]
            if outcome.ms >= 1:
                parts.append((f" ({outcome.ms:.0f} ms)", "$text-muted"))
        if state in ("denied", "error"):
            route = self.manual(probe)
            if route:
                parts += ["\n  ", ("look by hand: ", "$text-warning bold"), (route, "$text-warning")]
        return line(*parts, redactor=self.redactor)
