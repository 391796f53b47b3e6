"""Provides AttemptRecorder: the attempt record (wizard/training/records.py) of a go at an exercise in
the TUI's training mode, written at the same moments the shell flow writes it — when the lab has been
read, after each hint, at the answer and after each check — so `edgewiz train report` counts both."""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Dict, List, Optional


class AttemptRecorder:
    """Keeps one record file per Attempt; a failed write is remembered (`error`), never raised: losing
    the record must not stop the trainee's exercise."""

    def __init__(self, exercise: str, started: float, trainee: Optional[str] = None) -> None:
        from . import records

        self.state: Dict[str, Any] = {"exercise": exercise, "started": started, "trainee": trainee or None,
                                      "pid": os.getpid(), "hints_used": 0, "faults": []}
        self.state["record"] = records.record_name(self.state)
        self.error: Optional[str] = None
        self.path = None
        self._lock = threading.Lock()  # hints land from the UI thread, checks from a worker: one read-modify-write at a time

    def _update(self, checked: bool = False, **changes: Any) -> None:
        from . import records

        with self._lock:
            try:
                self.path = records.update(self.state, checked=checked, **changes)
                self.error = None
            except OSError as exc:
                self.error = f"the attempt record was not written: {exc.strerror or exc}"

    def started(self, faults: List[str]) -> None:
        self.state["faults"] = list(faults)
        self._update(faults=list(faults))

    def hinted(self, hints_used: int) -> None:
        self.state["hints_used"] = hints_used
        self._update(hints_used=hints_used)

    def answered(self, answer_text: str) -> None:
        self._update(answer=answer_text)

    def checked(self, result: Any, hints_used: int) -> None:
        from .records import check_changes

        self.state["hints_used"] = hints_used
        self._update(checked=True, hints_used=hints_used, **check_changes(result, None))

    def ended(self) -> None:
        self._update(ended=time.time())
