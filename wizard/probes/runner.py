"""Provides ProbeRunner: runs a probe node's probes concurrently (each as soon as what it `needs` is
done), times them, counts their AWS calls, and turns every failure into an outcome, never an
exception. Outcomes are recorded in the node's declared order, whatever finishes first."""

from __future__ import annotations

import contextvars
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Callable, Dict, List, Optional, Sequence

from ..engine.facts import Facts
from ..model import ProbeOutcome
from .prefetch import ReadAhead
from .context import ProbeContext, ProbeFailed, ProbeIncomplete, ProbeSkip
from .registry import IMPLEMENTATIONS
from .specs import PROBES

# The AWS calls of the probe running in this context. A context variable, not a thread-local: a
# probe that reads on helper threads (the ALB inventory) hands them a copy of its context, and
# their calls count for it too.
_PROBE_CALLS: "contextvars.ContextVar[Optional[List[str]]]" = contextvars.ContextVar("probe_calls", default=None)

Listener = Callable[[str, str, Optional[ProbeOutcome]], None]  # (probe, state, outcome)


def incomplete_outcome(name: str, reason: str, ms: float = 0.0, aws_calls: int = 0) -> ProbeOutcome:
    """A probe that read only part of what it needs: no data (so every check on it says unknown)."""
    return ProbeOutcome(name, "error", ms, error=f"could not check: incomplete read ({reason})", aws_calls=aws_calls)


def blocked_needs(facts: Facts, name: str) -> List[str]:
    """The probes `name` needs that have no data: it is skipped rather than run on a guess."""
    return [d for d in PROBES[name].needs if facts.status(d) not in ("ok",)]


class ProbeRunner:
    """Runs probes against one AWS access and one HTTP prober."""

    def __init__(self, aws=None, http=None, max_workers: int = 6, deadline=None, read_ahead: bool = True) -> None:
        self.aws = aws
        self.http = http
        # The diagnosis's overall time limit (wizard.deadline.Deadline), by default the AWS access's.
        self.deadline = deadline if deadline is not None else getattr(aws, "deadline", None)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="probe")
        self.cancelled = threading.Event()
        self._facts: Optional[Facts] = None  # the walk whose reads the access's cache holds
        # Reads of the next step sent early to warm the read cache (prefetch.py); needs a read cache.
        self._ahead = ReadAhead() if read_ahead and getattr(aws, "reads", None) is not None else None
        self._plan = None  # (the walk's facts, what to read ahead), for the next run() only
        if aws is not None:
            aws.add_listener(self._count_call)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._ahead is not None:
            self._ahead.close()

    def _count_call(self, service: str, operation: str) -> None:
        counter = _PROBE_CALLS.get()
        if counter is not None:
            counter.append(f"{service}:{operation}")

    def read_ahead(self, facts: Facts, plan: Callable[[Sequence[str]], Sequence[str]]) -> None:
        """For the next run() of this walk: `plan(unfinished)` names the probes later steps will
        certainly run, given the probes of the step not finished yet (prefetch.start_reading_ahead);
        they are read ahead into the read cache when the step starts and as its probes finish."""
        self._reads_for(facts)
        self._plan = (facts, plan) if self._ahead is not None else None

    def _read_ahead_now(self, facts: Facts, unfinished: Sequence[str]) -> None:
        if self._plan is None or self._plan[0] is not facts or self.cancelled.is_set():
            return
        names = self._plan[1](list(unfinished))
        if names:
            self._ahead.start(self, facts, names)

    def run(self, facts: Facts, names: Sequence[str], listener: Optional[Listener] = None) -> List[ProbeOutcome]:
        """Run `names` concurrently, each as soon as the probes it needs (among `names`) are done.

        Returns outcomes in `names` order, and records them in `facts` in that order too, whatever
        finished first: the journal and the report read the same on every run."""
        self._reads_for(facts)
        names = list(dict.fromkeys(names))
        order = {name: i for i, name in enumerate(names)}
        new = [n for n in names if n not in facts.outcomes]
        pending = list(names)
        done: Dict[str, ProbeOutcome] = {}
        running: Dict[Future, str] = {}

        def start_ready() -> None:
            ready = [n for n in pending if all(d in done or d not in order for d in PROBES[n].needs)]
            if not ready and not running:  # a dependency cycle cannot be declared in specs; guard anyway
                ready = pending[:]
            for name in ready:
                pending.remove(name)
                if listener:
                    listener(name, "running", None)
                running[self._pool.submit(self._run_one, facts, name)] = name

        self._read_ahead_now(facts, pending)
        start_ready()
        while running:
            # Poll so a cancel takes effect at once: a probe stuck in I/O is left to finish in its
            # thread (bounded by its own timeout) and reported as skipped now.
            finished, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
            expired = self.deadline is not None and self.deadline.expired
            stop = self.cancelled.is_set() or expired
            if stop:
                finished = set(running)
            for future in sorted(finished, key=lambda f: order[running[f]]):
                name = running.pop(future)
                outcome = future.result() if future.done() else self._abandoned(name)
                facts.outcomes[name] = outcome  # the probes that need it see it
                done[name] = outcome
                if listener:
                    listener(name, outcome.status, outcome)
            if finished and not stop:  # a finished probe may settle what comes after this step
                self._read_ahead_now(facts, pending + list(running.values()))
            if stop:  # what has not started is not started now
                for name in pending:
                    done[name] = facts.outcomes[name] = self._abandoned(name)
                    if listener:
                        listener(name, done[name].status, done[name])
                pending.clear()
            start_ready()
        self._plan = None  # the walk asks again for its next step
        for name in new:  # first recorded in declared order, not in the order they finished
            facts.outcomes[name] = facts.outcomes.pop(name)
        return [done[n] for n in names if n in done]

    def _reads_for(self, facts: Facts) -> None:
        """One read cache per diagnosis: a new walk (its own Facts), a re-check included, reads AWS
        afresh; the probe steps of one walk share what earlier steps read."""
        if facts is not self._facts:
            self._facts = facts
            fresh = getattr(self.aws, "fresh_reads", None)
            if fresh is not None:
                fresh()

    def _abandoned(self, name: str) -> ProbeOutcome:
        """A probe still running when the walk stopped waiting: cancelled, or out of time."""
        if self.deadline is not None and self.deadline.expired and not self.cancelled.is_set():
            return ProbeOutcome(name, "error", error=self.deadline.message())
        return ProbeOutcome(name, "skipped", error="cancelled")

    def _run_one(self, facts: Facts, name: str) -> ProbeOutcome:
        calls: List[str] = []
        token = _PROBE_CALLS.set(calls)
        try:
            outcome = self._attempt(facts, name, calls)
        finally:
            _PROBE_CALLS.reset(token)
        # A probe's count is the reads it asked, sent or answered from memory (a read-ahead's, or
        # another probe's): the same whichever probe of a running pair sent a shared read first.
        return outcome

    def _attempt(self, facts: Facts, name: str, calls: List[str]) -> ProbeOutcome:
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
            if calls[-1:] != [f"{service}:{operation}"]:
                # The failed read was not sent by this probe (its answer came from the read cache, e.g. a
                # read-ahead's refusal): the service is the one the spec declares for that operation.
                service = next((op.split(":", 1)[0] for op in PROBES[name].operations
                                if op.split(":", 1)[1] == operation), service)
            failure = explain(exc, service, operation)
            return ProbeOutcome(name, failure.status, ms(), error=failure.message,
                                missing_action=failure.missing_action, aws_calls=len(calls))
