"""Provides settle() and together(): the independent reads of one probe sent at once instead of one
after another (a round trip is 50-200 ms from a bastion), their answers handed back in the order asked.

Each read runs on a small shared pool in a copy of the caller's context, so its AWS call counts for
the probe that asked (wizard/probes/runner.py). Only single reads are pooled (a pooled read never
waits for another pooled read), so the pool cannot deadlock. Callers make their boto3 clients before
handing reads over: botocore clients are thread-safe, boto3 sessions are not. The deadline and the
read-only guard apply as on any call: they live on the clients.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, List, Optional

_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="aws-read")


@dataclass(frozen=True)
class Settled:
    """One read's end: its value, or the exception it raised."""

    value: Any = None
    error: Optional[BaseException] = None

    def get(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value


def _capture(thunk: Callable[[], Any]) -> Settled:
    try:
        return Settled(thunk())
    except Exception as exc:  # handed back to the caller, who decides what a failure means
        return Settled(error=exc)


def settle(*thunks: Callable[[], Any]) -> List[Settled]:
    """Run the reads at once and wait for all of them; each one's value or exception, in order."""
    if len(thunks) < 2:
        return [_capture(t) for t in thunks]
    futures = [_POOL.submit(contextvars.copy_context().run, _capture, t) for t in thunks]
    wait(futures)  # all done before the probe returns: no call is counted after its outcome
    return [f.result() for f in futures]


def begin(thunk: Callable[[], Any]) -> "Future[Any]":
    """Start one read now, in a copy of the caller's context; its Future (the caller waits for it
    later, on its own thread, never on a pooled one)."""
    return _POOL.submit(contextvars.copy_context().run, thunk)


def together(*thunks: Callable[[], Any]) -> List[Any]:
    """Run the reads at once; their values in order, or the first failure in that order (as reading
    them one after another would have raised it)."""
    return [s.get() for s in settle(*thunks)]
