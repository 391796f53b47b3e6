"""Provides WalkSession: one interactive walk as the front ends drive it — the pure Walk, the probe
runner, the journal (every step on disk as it happens) and the redactor (secrets learnt from
probes are registered as soon as they are seen).

The Textual app and plain mode are thin skins over this; `edgewiz resume` rebuilds one from a
journal and carries on from the last complete step.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from .diagnose import Diagnosis, calls_saved, path_of, summarize
from .aws.facts import EdgeFacts
from .engine.facts import Symptom
from .engine.walk import Action, Done, NeedAnswer, NeedProbes
from .journal import Journal, JournalContents, read_journal, replayable
from .model import PathGraph, ProbeOutcome
from .playbooks import Playbooks, load
from .redact import Redactor


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

    # Driving --------------------------------------------------------------------------------------

    def next_action(self) -> Action:
        return self.walk.next_action()

    def run_probes(self, action: NeedProbes, listener: Optional[Callable[[str, str, Optional[ProbeOutcome]], None]] = None
                   ) -> List[ProbeOutcome]:
        """Run the node's probes (concurrently), record them, journal them, move on."""
        outcomes = self.runner.run(self.walk.facts, action.probes, listener)
        self.walk.supply_probes(outcomes)
        register_secrets(self.redactor, self.walk.facts)
        self._record(self.walk.events[-1])
        return outcomes

    def answer(self, value: str) -> None:
        self.walk.supply_answer(value)
        self._record(self.walk.events[-1])

    def _record(self, event: Dict[str, Any]) -> None:
        self._history.append(event)
        self.journal.append(event)

    def finish(self) -> Diagnosis:
        """The diagnosis of a walk that reached its end (journaled as finished)."""
        action = self.walk.next_action()
        if not isinstance(action, Done):
            raise RuntimeError("the walk has not reached an end node yet")
        calls = (self.runner.aws.call_count - self._calls_before) if self.runner and self.runner.aws is not None else 0
        diagnosis = summarize(self.playbooks, self.walk, action, calls, (time.perf_counter() - self.started) * 1000.0,
                              calls_saved(self.runner))
        self.journal.append({"type": "end", "node": action.node.id,
                             "root_causes": [f.id for f in diagnosis.root_causes]})
        return diagnosis

    def run_to_end(self, answer: Callable[[NeedAnswer], str]) -> Diagnosis:
        """Drive the walk non-interactively (answers from `answer`)."""
        while True:
            action = self.next_action()
            if isinstance(action, Done):
                return self.finish()
            if isinstance(action, NeedAnswer):
                self.answer(answer(action))
            else:
                self.run_probes(action)

    def path(self) -> PathGraph:
        """The path graph as far as the walk has got (for the live picture)."""
        return path_of(self.walk)

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
