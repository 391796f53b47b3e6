"""Provides WalkSession: one interactive walk as the front ends drive it — the pure Walk, the probe
runner, the journal (every step on disk as it happens) and the redactor (secrets learnt from
probes are registered as soon as they are seen).

The Textual app (its walk and its re-check) and plain mode are thin skins over this: they move the
walk only through `drive()`, the engine's one loop (engine/drive.py) with the journal and the
redactor hooked in. `cancel()` stops it cooperatively; a cancelled walk is journaled as cancelled,
never as an end. `edgewiz resume` rebuilds a session from a journal and carries on from the last
complete step.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Union

from .diagnose import Diagnosis, calls_saved, path_of, summarize
from .aws.facts import EdgeFacts
from .engine.drive import Answerer, CancelToken, Cancelled, Stop, drive
from .engine.facts import Symptom
from .engine.walk import Done, NeedAnswer, NeedProbes
from .journal import Journal, JournalContents, read_journal, replayable
from .model import PathGraph, ProbeOutcome
from .playbooks import Playbooks, load
from .probes.prefetch import start_reading_ahead
from .redact import Redactor

Listener = Callable[[str, str, Optional[ProbeOutcome]], None]  # (probe, state, outcome), as the runner calls it


@dataclass
class Target:
    """Where the walk's probes go: AWS (profile/region/endpoint) and HTTP (connect-to)."""

    profile: Optional[str] = None
    region: Optional[str] = None
    endpoint_url: Optional[str] = None
    connect_to: Optional[Dict[str, str]] = None
    no_aws: bool = False
    lab_scenario: Optional[str] = None  # set when the walk runs on the lab (resume restarts it)
    credentials: Optional[Dict[str, str]] = field(default=None, repr=False)  # lab only; never journaled

    def for_journal(self) -> Dict[str, Any]:
        data = asdict(self)
        data.pop("credentials", None)
        return data


def register_secrets(redactor: Redactor, facts: EdgeFacts) -> None:
    """Secrets the probes revealed: origin custom header values (a Referer secret, an origin
    verification token) and the aws:Referer values in the bucket policy."""
    for origin in facts.distribution.origins() if facts.distribution else ():
        for value in origin.custom_headers.values():
            redactor.add_secret(value)
    for value in facts.bucket_policy.referer_values() if facts.bucket_policy else ():
        redactor.add_secret(value)


class WalkSession:
    """An interactive walk with its runner and journal."""

    def __init__(self, symptom: Symptom, runner, target: Target, playbooks: Optional[Playbooks] = None,
                 journal: Optional[Journal] = None, journal_dir: Optional[Path] = None,
                 redactor: Optional[Redactor] = None) -> None:
        self.playbooks = playbooks or load()
        self.runner = runner
        self.target = target
        self.redactor = redactor or Redactor()
        self.walk = self.playbooks.walk(symptom)
        self.started = time.perf_counter()
        self._calls_before = runner.aws.call_count if runner and runner.aws is not None else 0
        self.journal = journal or Journal.create(
            {"symptom": symptom.as_dict(), "flow": self.walk.flow.id, "target": target.for_journal()},
            directory=journal_dir, redactor=self.redactor)
        self.journal.redactor = self.redactor
        self._history: List[Dict[str, Any]] = []  # events applied, for back()
        self.cancel_token = CancelToken()
        self.last_batch: List[ProbeOutcome] = []  # the outcomes of the last probe batch drive() ran
        self._cancel_journaled = False

    # Driving --------------------------------------------------------------------------------------

    def drive(self, answer: Optional[Answerer] = None, *, probe_batches: Optional[int] = None,
              listener: Optional[Listener] = None,
              on_need: Optional[Callable[[Union[NeedProbes, NeedAnswer, Done]], None]] = None) -> Stop:
        """Take the walk forward with the engine's loop (see engine.drive.drive for the arguments):
        probes run on this session's runner (concurrently, `listener` told of each state change),
        each recorded step is journaled before the walk moves on, and the secrets a batch revealed
        are registered before anything shows them. Returns where it stopped; a cancel (or Ctrl-C)
        is journaled as such."""

        def run(facts, names):
            start_reading_ahead(self.runner, self.walk)  # the next step's reads, sent while this one runs
            return self.runner.run(facts, names, listener)

        self.last_batch = []
        try:
            stop = drive(self.walk, run, answer, cancel=self.cancel_token, probe_batches=probe_batches,
                         on_need=on_need, on_event=self._recorded)
        except KeyboardInterrupt:
            self.cancel("interrupted (Ctrl-C)")
            self._journal_cancelled(Cancelled(self.walk.next_action().node, self.cancel_token.reason))
            raise
        if isinstance(stop, Cancelled):
            self._journal_cancelled(stop)
        return stop

    def cancel(self, reason: str = "cancelled by the user") -> None:
        """Stop the walk at its next look (any thread): probes not yet started are skipped at once."""
        self.cancel_token.cancel(reason)
        if self.runner is not None:
            self.runner.cancelled.set()

    def _recorded(self, event: Dict[str, Any], outcomes: List[ProbeOutcome]) -> None:
        if event.get("type") == "probes":
            self.last_batch = list(outcomes)
            register_secrets(self.redactor, self.walk.facts)
        self._history.append(event)
        self.journal.append(event)

    def _journal_cancelled(self, stop: Cancelled) -> None:
        if not self._cancel_journaled:
            self._cancel_journaled = True
            self.journal.append({"type": "cancelled", "node": stop.node.id, "reason": stop.reason})

    def finish(self, stop: Optional[Stop] = None) -> Diagnosis:
        """The diagnosis of a walk that reached its end (journaled as finished) or was cancelled
        (already journaled as cancelled: resume continues it)."""
        stop = stop if stop is not None else self.walk.next_action()
        calls = (self.runner.aws.call_count - self._calls_before) if self.runner and self.runner.aws is not None else 0
        elapsed = (time.perf_counter() - self.started) * 1000.0
        if isinstance(stop, Cancelled):
            return summarize(self.playbooks, self.walk, stop, calls, elapsed, calls_saved(self.runner))
        if not isinstance(stop, Done):
            raise RuntimeError("the walk has not reached an end node yet")
        diagnosis = summarize(self.playbooks, self.walk, stop, calls, elapsed, calls_saved(self.runner))
        from .report import outcome

        self.journal.append({"type": "end", "node": stop.node.id, "outcome": outcome(diagnosis),
                             "root_causes": [f.id for f in diagnosis.root_causes]})
        return diagnosis

    def run_to_end(self, answer: Callable[[NeedAnswer], str], listener: Optional[Listener] = None) -> Diagnosis:
        """Drive the walk non-interactively (answers from `answer`) to its diagnosis."""
        stop = self.drive(answer, listener=listener)
        if isinstance(stop, (NeedAnswer, NeedProbes)):
            raise RuntimeError(f"the walk needs an answer at {stop.node.id}")
        return self.finish(stop)

    def path(self) -> PathGraph:
        """The path graph as far as the walk has got (for the live picture)."""
        return path_of(self.walk)

    def graph(self) -> PathGraph:
        """The path with the security groups and network ACLs that guard it (analysis/path_model)."""
        from .analysis.path_model import graph_of

        return graph_of(self.path(), self.walk.facts.data)

    def back(self) -> bool:
        """Undo the last step: rebuild the walk from every event but the last (no probing again).
        Returns False when there is nothing to undo."""
        if not self._history:
            return False
        kept = self._history[:-1]
        walk = self.playbooks.walk(self.walk.facts.symptom)
        walk.replay(kept)
        self.walk = walk
        self._history = kept
        self.journal.append({"type": "back"})
        return True

    # Resume ---------------------------------------------------------------------------------------

    @classmethod
    def resume(cls, contents: JournalContents, runner, target: Target, playbooks: Optional[Playbooks] = None
               ) -> "WalkSession":
        """A session rebuilt from a journal: its complete steps are replayed (a torn last line is
        dropped; a step whose data was redacted is probed again) and new steps go to the same file."""
        header = contents.header
        symptom = Symptom(**header["symptom"])
        journal = Journal(contents.path)
        if contents.torn:
            journal.drop_torn_tail()
        session = cls(symptom, runner, target, playbooks, journal=journal)
        events = _effective_events(contents.events)
        usable, _ = replayable(events)
        session.walk.replay(usable)
        register_secrets(session.redactor, session.walk.facts)
        session._history = list(usable)
        session.journal.append({"type": "resume", "replayed": len(usable), "torn_tail": contents.torn})
        return session


def _effective_events(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Probe/answer events with 'back' undos applied."""
    out: List[Dict[str, Any]] = []
    for event in events:
        if event.get("type") == "back" and out:
            out.pop()
        elif event.get("type") in ("probes", "answer"):
            out.append(event)
    return out


def open_journal(path: Path) -> JournalContents:
    """Read a journal for resume (ValueError with a clear message when it is not one; JournalRefused
    when it is not the user's own or others can write it)."""
    return read_journal(path, private=True)
