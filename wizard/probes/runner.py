"""Provides ProbeRunner: runs a probe node's probes concurrently (in waves, by their `needs`), times
them, counts their AWS calls, and turns every failure into an outcome, never an exception."""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from typing import Callable, Dict, List, Optional, Sequence

from ..engine.facts import Facts
from ..model import ProbeOutcome
from .context import ProbeContext, ProbeFailed, ProbeIncomplete, ProbeSkip
from .registry import IMPLEMENTATIONS
from .specs import PROBES

Listener = Callable[[str, str, Optional[ProbeOutcome]], None]  # (probe, state, outcome)


def incomplete_outcome(name: str, reason: str, ms: float = 0.0, aws_calls: int = 0) -> ProbeOutcome:
    """A probe that read only part of what it needs: no data (so every check on it says unknown)."""
    return ProbeOutcome(name, "error", ms, error=f"could not check: incomplete read ({reason})", aws_calls=aws_calls)


def blocked_needs(facts: Facts, name: str) -> List[str]:
    """The probes `name` needs that have no data: it is skipped rather than run on a guess."""
    return [d for d in PROBES[name].needs if facts.status(d) not in ("ok",)]


class ProbeRunner:
    """Runs probes against one AWS access and one HTTP prober."""

    def __init__(self, aws=None, http=None, max_workers: int = 6, deadline=None) -> None:
        self.aws = aws
        self.http = http
        # The diagnosis's overall time limit (wizard.deadline.Deadline), by default the AWS access's.
        self.deadline = deadline if deadline is not None else getattr(aws, "deadline", None)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="probe")
        self._local = threading.local()
        self.cancelled = threading.Event()
        if aws is not None:
            aws.add_listener(self._count_call)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _count_call(self, service: str, operation: str) -> None:
        counter = getattr(self._local, "counter", None)
        if counter is not None:
            counter.append(f"{service}:{operation}")

    def run(self, facts: Facts, names: Sequence[str], listener: Optional[Listener] = None) -> List[ProbeOutcome]:
        """Run `names` in dependency waves; each wave concurrently. Returns outcomes in `names` order."""
        pending = list(names)
        done: Dict[str, ProbeOutcome] = {}
        while pending:
            ready = [n for n in pending if all(d not in pending for d in PROBES[n].needs)]
            if not ready:  # a dependency cycle cannot be declared in specs; guard anyway
                ready = pending[:]
            for name in ready:
                if listener:
                    listener(name, "running", None)
            futures = {self._pool.submit(self._run_one, facts, name): name for name in ready}
            waiting = set(futures)
            while waiting:
                # Poll so a cancel takes effect at once: a probe stuck in I/O is left to finish in
                # its thread (bounded by its own timeout) and reported as skipped now.
                finished, waiting = wait(waiting, timeout=0.2, return_when=FIRST_COMPLETED)
                expired = self.deadline is not None and self.deadline.expired
                if (self.cancelled.is_set() or expired) and waiting:
                    for future in waiting:
                        finished.add(future)
                    waiting = set()
                for future in finished:
                    name = futures[future]
                    outcome = future.result() if future.done() else self._abandoned(name)
                    facts.outcomes[name] = outcome  # later waves see it
                    done[name] = outcome
                    if listener:
                        listener(name, outcome.status, outcome)
            pending = [n for n in pending if n not in done]
        return [done[n] for n in names if n in done]

    def _abandoned(self, name: str) -> ProbeOutcome:
        """A probe still running when the walk stopped waiting: cancelled, or out of time."""
        if self.deadline is not None and self.deadline.expired and not self.cancelled.is_set():
            return ProbeOutcome(name, "error", error=self.deadline.message())
        return ProbeOutcome(name, "skipped", error="cancelled")

    def _run_one(self, facts: Facts, name: str) -> ProbeOutcome:
        self._local.counter = calls = []
        start = time.perf_counter()
        ms = lambda: (time.perf_counter() - start) * 1000.0  # noqa: E731
        if self.cancelled.is_set():
            return ProbeOutcome(name, "skipped", 0.0, error="cancelled")
        if self.deadline is not None and self.deadline.expired:
            return ProbeOutcome(name, "error", 0.0, error=self.deadline.message())
        blocked = blocked_needs(facts, name)
        if blocked:
            return ProbeOutcome(name, "skipped", 0.0, error=f"needs {', '.join(blocked)}, which has no data")
        try:
            data = IMPLEMENTATIONS[name](ProbeContext(facts, self.aws, self.http))
            return ProbeOutcome(name, "ok", ms(), data=data, aws_calls=len(calls))
        except ProbeSkip as skip:
            return ProbeOutcome(name, "skipped", ms(), error=str(skip), aws_calls=len(calls))
        except ProbeIncomplete as cut:
            return incomplete_outcome(name, str(cut), ms(), len(calls))
        except ProbeFailed as failed:  # already one sentence (an HTTP fetch): not an AWS error
            return ProbeOutcome(name, "error", ms(), error=str(failed), aws_calls=len(calls))
        except Exception as exc:  # every failure becomes an outcome: the walk goes on
            from ..aws.errors import explain

            operation = getattr(exc, "operation_name", "") or (calls[-1].split(":", 1)[1] if calls else "")
            service = calls[-1].split(":", 1)[0] if calls else ""
            failure = explain(exc, service, operation)
            return ProbeOutcome(name, failure.status, ms(), error=failure.message,
                                missing_action=failure.missing_action, aws_calls=len(calls))
        finally:
            self._local.counter = None
