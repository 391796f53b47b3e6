"""Provides drive(): the one loop that takes a Walk forward, and CancelToken, its cooperative stop.

Every front end walks through this loop: `edgewiz diagnose` and `lab run` (diagnose.py), the
session the TUI and plain mode share (walk_session.py, which adds the journal), and the TUI's
re-check. The loop is pure like the walk: it runs probes and asks questions only through the
functions it is given, so it is tested with fakes (tests/engine/test_walk_engine.py).

It passes check and branch nodes one at a time, and looks at the cancel token before each of
them, before each probe batch and after it: a cancelled walk stops as Cancelled where it stood,
never as a verdict, and the batch that was running when it was cancelled is not recorded (it
may be half skipped; resume probes it again).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..model import ProbeOutcome
from .facts import Facts
from .flow import Node
from .walk import Done, NeedAnswer, NeedProbes, PassNode, Walk

RunProbes = Callable[[Facts, Tuple[str, ...]], Sequence[ProbeOutcome]]
Answerer = Callable[[NeedAnswer], Optional[str]]  # None: nobody answers now (the loop pauses there)
Event = Dict[str, Any]


class CancelToken:
    """A cooperative cancel: any thread may set it; the drive loop stops at its next look."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def cancel(self, reason: str = "cancelled by the user") -> None:
        if not self._event.is_set():
            self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class Cancelled:
    """The walk was cancelled before it reached an end: `node` is where it stood (not an end node),
    `end` a stand-in end node saying so, for the reports (result "cancelled", never a verdict)."""

    node: Node
    reason: str

    @property
    def end(self) -> Node:
        return Node(id=self.node.id, kind="end", title=f"Cancelled at: {self.node.title}",
                    why=f"The walk was cancelled ({self.reason}) before it reached a verdict: what it "
                        "found so far is below, but the steps after this one did not run. `edgewiz "
                        "resume` continues from the last complete step.",
                    result="cancelled")


Stop = Union[Done, NeedAnswer, NeedProbes, Cancelled]


def drive(walk: Walk, run_probes: RunProbes, answer: Optional[Answerer] = None, *,
          cancel: Optional[CancelToken] = None, probe_batches: Optional[int] = None,
          on_need: Optional[Callable[[Union[NeedProbes, NeedAnswer, Done]], None]] = None,
          on_event: Optional[Callable[[Event, List[ProbeOutcome]], None]] = None) -> Stop:
    """Take the walk forward until it ends, is cancelled, or waits for someone; return why it stopped.

    - `run_probes(facts, names)` runs one probe node's batch; `answer(need)` answers a question, or
      returns None to pause there (the NeedAnswer is returned; an interactive front end answers later).
    - `probe_batches`: how many probe batches to run before pausing at the next probe node (None: no
      limit; 0: pause before any). The paused NeedProbes is returned.
    - `on_need(action)` is told each probe node, question and end before the loop acts on it (a front
      end prints its heading); `on_event(event, outcomes)` each recorded step (the journal writes it).
    """
    batches = 0
    while True:
        action = walk.next_action()
        if cancel is not None and cancel.cancelled and not isinstance(action, Done):
            return Cancelled(action.node, cancel.reason)
        if isinstance(action, PassNode):
            walk.pass_node()
            continue
        if isinstance(action, NeedProbes) and probe_batches is not None and batches >= probe_batches:
            return action
        if on_need is not None:
            on_need(action)
        if isinstance(action, Done):
            return action
        if isinstance(action, NeedAnswer):
            value = answer(action) if answer is not None else None
            if cancel is not None and cancel.cancelled:  # cancelled while the person was asked
                return Cancelled(action.node, cancel.reason)
            if value is None:
                return action
            walk.supply_answer(value)
            if on_event is not None:
                on_event(walk.events[-1], [])
            continue
        if cancel is not None and cancel.cancelled:  # on_need may have taken a while
            return Cancelled(action.node, cancel.reason)
        outcomes = list(run_probes(walk.facts, action.probes))
        if cancel is not None and cancel.cancelled:  # a half-run batch is not a step: resume reruns it
            return Cancelled(action.node, cancel.reason)
        walk.supply_probes(outcomes)
        batches += 1
        if on_event is not None:
            on_event(walk.events[-1], outcomes)
