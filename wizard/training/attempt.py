"""Provides Attempt: one trainee's go at an exercise in a front end (the TUI's training mode) — the
lab as it started (its faults and safety state, read as `train start` reads them, never from the
scenario's `expect`), the hints taken, the committed answer, and the check over the lab as it is now.

The verdict is held back until an answer is committed: faults() and check() refuse before that, so a
front end cannot show them early by mistake."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .attempt_record import AttemptRecorder
from .catalogue import Exercise
from .check import CheckResult, LabRun, judge, look, symptom_dict, symptom_of
from .safety import SafetyState


class VerdictHidden(RuntimeError):
    """The verdict was asked for before the trainee committed an answer."""


@dataclass(frozen=True)
class Answer:
    """What the trainee says is wrong: finding ids picked from the catalogue and/or their own words."""

    findings: Tuple[str, ...] = ()
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.findings and not self.text.strip()

    def as_text(self) -> str:
        """The answer as one line for the attempt record: the picked ids, then the trainee's words."""
        return "; ".join(part for part in (", ".join(self.findings), " ".join(self.text.split())) if part)


@dataclass
class Grade:
    """The committed answer against the faults the lab started with."""

    named: List[str]  # faults the answer picked
    missed: List[str]  # faults the answer did not pick
    wrong: List[str]  # picked ids that were not faults


@dataclass
class Attempt:
    exercise: Exercise
    started: float = field(default_factory=time.time)
    hints_used: int = 0
    answer: Optional[Answer] = None
    walked: bool = False  # the trainee ran the wizard's own walk (an optional hint)
    trainee: Optional[str] = None  # for the attempt record
    state: Optional[Dict[str, Any]] = None  # as `train start`'s state file: endpoints, keys, symptom
    _faults: Optional[List[str]] = None
    _baseline: Optional[SafetyState] = None
    last_check: Optional[CheckResult] = None
    recorder: Optional[AttemptRecorder] = None  # the attempt record, as the shell flow writes it
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # The lab ------------------------------------------------------------------------------------

    def attach(self, env) -> None:
        """Point the attempt at the running lab (a LabEnv) and read it as it starts (slow: a worker)."""
        self.state = {"exercise": self.exercise.name, "aws_endpoint": env.aws_endpoint,
                      "edge_address": env.edge_address, "region": env.region,
                      "credentials": dict(env.credentials), "symptom": symptom_dict(env.symptom)}
        first = self.look()
        with self._lock:
            self._faults = [f.id for f in first.diagnosis.root_causes]
            self._baseline = first.safety
        recorder = AttemptRecorder(self.exercise.name, self.started, self.trainee)
        recorder.state["hints_used"] = self.hints_used  # hints taken while the lab was building count
        recorder.started(self._faults or [])
        self.recorder = recorder

    @property
    def ready(self) -> bool:
        return self._faults is not None

    def look(self) -> LabRun:
        """One read-only look at the lab (a diagnosis and the safety state), as `train check` takes."""
        from ..aws.session import AwsAccess
        from ..http.client import HttpProber
        from ..probes.runner import ProbeRunner

        state = self.state
        if state is None:
            raise RuntimeError("the lab is not attached yet")
        access = AwsAccess(region=state["region"], endpoint_url=state["aws_endpoint"], credentials=state["credentials"])
        runner = ProbeRunner(access, HttpProber(connect_to={"*": state["edge_address"]}))
        try:
            return look(symptom_of(state["symptom"]), runner, access)
        finally:
            runner.close()

    # The trainee --------------------------------------------------------------------------------

    def minutes(self, now: Optional[float] = None) -> float:
        return ((now or time.time()) - self.started) / 60.0

    def over_time(self, now: Optional[float] = None) -> bool:
        return self.minutes(now) > self.exercise.minutes

    def next_hint(self) -> Optional[str]:
        """The next hint of the ladder (counted), or None when every hint was taken."""
        hints = self.exercise.hints
        if self.hints_used >= len(hints):
            return None
        self.hints_used += 1
        if self.recorder is not None:
            self.recorder.hinted(self.hints_used)
        return hints[self.hints_used - 1]

    @property
    def hints_taken(self) -> List[str]:
        return list(self.exercise.hints[:self.hints_used])

    def commit(self, answer: Answer) -> None:
        """Commit the answer (once: the verdict shows from now on)."""
        if answer.empty:
            raise ValueError("pick at least one finding or write what you think is wrong")
        if self.answer is None:
            self.answer = answer
            if self.recorder is not None:
                self.recorder.answered(answer.as_text())

    @property
    def answered(self) -> bool:
        return self.answer is not None

    # The verdict (after the answer) -------------------------------------------------------------

    def faults(self) -> List[str]:
        """The root causes the lab started with."""
        if not self.answered:
            raise VerdictHidden("commit an answer first")
        return list(self._faults or [])

    def grade(self) -> Grade:
        faults = self.faults()
        picked = list(self.answer.findings) if self.answer else []
        return Grade([f for f in faults if f in picked], [f for f in faults if f not in picked],
                     [p for p in picked if p not in faults])

    def check(self) -> CheckResult:
        """The check over the lab as it is now (slow: call it in a worker)."""
        faults = self.faults()
        result = judge(self.look(), faults, self._baseline)
        self.last_check = result
        if self.recorder is not None:
            self.recorder.checked(result, self.hints_used)
        return result

    def end(self) -> None:
        """The trainee leaves the exercise: the record gets its end time (as `train stop` gives it)."""
        if self.recorder is not None:
            self.recorder.ended()
