"""Provides Deadline: the whole diagnosis's time limit, and the per-call budget (timeouts and tries)
that shrinks with the time left, so a hung endpoint costs seconds, not minutes.

Pure: no boto3 import. wizard.aws.session turns a budget into botocore's Config; the probe runner
stops waiting for probes when the deadline passes and reports them as having run out of time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

DEFAULT_SECONDS = 60.0
ENV = "EDGEWIZ_TIMEOUT"

# Read timeouts a call may get (seconds): the largest that lets every try fit in the time left.
_READ_LEVELS = (15, 8, 4, 2, 1)


class DeadlineExceeded(RuntimeError):
    """Raised instead of sending (or retrying) a call once the diagnosis deadline has passed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the diagnosis deadline of {seconds:g} s passed (--timeout)")
        self.seconds = seconds


@dataclass(frozen=True)
class CallBudget:
    """What one AWS call may spend: connect and read timeouts and the total number of tries."""

    connect_timeout: int
    read_timeout: int
    attempts: int


def call_budget(remaining: float) -> CallBudget:
    """The budget for a call started with `remaining` seconds left: botocore's usual reach (5 s
    connect, 15 s read, 5 tries) with 75 s or more left, then fewer tries and shorter timeouts so
    every try fits in the time left."""
    attempts = 5 if remaining >= 60 else 3 if remaining >= 20 else 2 if remaining >= 6 else 1
    per_try = remaining / attempts
    read = next((level for level in _READ_LEVELS if level <= per_try), 1)
    return CallBudget(min(5, read), read, attempts)


class Deadline:
    """A point in time `seconds` from its creation."""

    def __init__(self, seconds: float = DEFAULT_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = float(seconds)
        self._clock = clock
        self._end = clock() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def budget(self) -> CallBudget:
        return call_budget(self.remaining())

    def message(self) -> str:
        return f"ran out of time: the diagnosis deadline of {self.seconds:g} s (--timeout) passed before it answered"
