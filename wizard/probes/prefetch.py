"""Provides the walk's read-ahead: while one probe step runs, the AWS reads of the next probe step
that the walk will certainly reach, with inputs already known, are sent too, so they are in the
diagnosis's read cache (wizard/aws/read_cache.py) when that step asks for them.

What it never does:
- decide anything: a read-ahead's result is thrown away; the real probe runs as always and gets its
  answers from the cache (or waits for a read still in flight). A read-ahead that fails changes
  nothing: a lasting error (a refusal) is the same answer the real probe would get; anything else
  is not remembered, so the real probe reads again.
- guess a path: it looks past check and probe nodes (they always go to their `next`) and past a
  branch only when the branch's predicate reads nothing but probes already finished
  (BRANCH_READS), so the nodes it reaches are the ones the walk will reach. A question, an end or
  an undecided branch stops it. It looks again each time a probe of the current step finishes:
  the distribution found, the origin's step is certain while the ECS search still runs.
- send a read the walk would not send: only probes whose inputs are the facts already known (the
  distribution, the caller's identity, the URL) and whose reads are all remembered by the cache
  (PREFETCHABLE: no streamed S3 object, no time window, no HTTP), or the part of a probe that such
  reads begin with (PARTLY_PREFETCHABLE: the same code up to its first read of another kind), and
  only when every probe they `need` is already done.

The read-only guard and the deadline live on the clients, so they apply as to any read; a
cancelled runner starts no read-ahead. A probe counts the reads it asks, answered from memory or
not (AwsAccess.add_listener), so each probe's call count reads the same with or without it.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..engine.facts import Facts
from ..engine.flow import Flow, Node
from .specs import PROBES

# Probes whose reads depend only on facts a step before theirs settled, and which the read cache
# remembers whole. Left out on purpose: aws.encryption (reads what aws.object found), aws.waf (its
# sample window ends "now": a second read is a different request), aws.cloudfront_logs (object
# bodies are streamed, never cached: its listing is PARTLY_PREFETCHABLE), aws.alb_metrics (a time
# window), aws.ecs_env (reads the HTTP probes' page), HTTP probes (no cache).
PREFETCHABLE = frozenset({
    "aws.bucket_policy", "aws.bucket_cors", "aws.object", "aws.object_owner", "aws.public_access",
    "aws.request_payment", "aws.bucket_website", "aws.scp", "aws.alb_inventory", "aws.apigw",
    "aws.lambda_url", "aws.origin_access", "aws.origin_policies",
})
# Probes whose first reads are remembered and depend only on such facts, while later ones are not:
# the read-ahead runs the function given here, the probe's own code up to those later reads.
# aws.cloudfront_logs: the logging bucket's listing (its log objects are streamed, never cached).
PARTLY_PREFETCHABLE = {"aws.cloudfront_logs": "cloudfront_logs_listing"}
# The object key of a website origin's folder path comes from the website configuration, which the
# same step reads (EdgeFacts.key): for those the key is not known ahead.
_KEYED = frozenset({"aws.object", "aws.object_owner"})

# Branch predicates and the probes each one reads (wizard/checks/predicates.py): a branch is looked
# past only when all of them are done before the current step started.
BRANCH_READS: Dict[str, Tuple[str, ...]] = {
    "distribution_found": ("aws.distribution",),  # its outcome's status and data
    "origin_kind": ("aws.distribution",),  # EdgeFacts.origin_kind: the distribution's data and the URL
}


def _predicate(name: str):
    from ..checks.predicates import PREDICATES

    return PREDICATES[name][0]


def probe_nodes_ahead(flow: Flow, current: str, facts: Facts, unfinished: Sequence[str]) -> List[Node]:
    """The probe nodes the walk will certainly reach after the probe node `current`, in order, while
    the probes `unfinished` (of the current step) have not finished: up to the first branch that
    depends on something not known yet, a question or an end."""
    node = flow.nodes.get(current)
    if node is None or node.kind != "probe":
        return []
    waiting, seen, found = set(unfinished), set(), []
    target = node.next
    while target is not None and target not in seen:
        seen.add(target)
        node = flow.nodes[target]
        if node.kind in ("probe", "check"):  # both always go on to their `next`
            if node.kind == "probe":
                found.append(node)
            target = node.next
        elif node.kind == "branch" and node.on in BRANCH_READS:
            if any(r in waiting or facts.outcome(r) is None for r in BRANCH_READS[node.on]):
                break
            value = _predicate(node.on)(facts)
            target = node.cases.get(value, node.default)
        else:  # a question waits for a person, an end ends, an undeclared branch could go anywhere
            break
    return found


def probes_ahead(flow: Flow, current: str, facts: Facts, unfinished: Sequence[str]) -> Tuple[str, ...]:
    """The probes of the certain probe nodes ahead that may be read ahead now."""
    waiting = set(unfinished)
    ahead: List[str] = []
    for node in probe_nodes_ahead(flow, current, facts, unfinished):
        for name in node.probes:
            if name not in PREFETCHABLE and name not in PARTLY_PREFETCHABLE:
                continue
            if name in waiting or name in facts.outcomes or name in ahead:
                continue
            if any(need in waiting or facts.status(need) != "ok" for need in PROBES[name].needs):
                continue
            if name in _KEYED and getattr(facts, "origin_kind", None) == "s3-website":
                continue
            ahead.append(name)
    return tuple(ahead)


def start_reading_ahead(runner, walk) -> None:
    """Before the walk's current probe step runs: let `runner` (a ProbeRunner) read ahead what the
    steps after it will certainly read, asked again as each probe of this step finishes (a finished
    probe may settle a branch). A runner without read-ahead (a test's stand-in) is left as it is."""
    read_ahead = getattr(runner, "read_ahead", None)
    if read_ahead is not None:
        read_ahead(walk.facts, lambda unfinished: probes_ahead(walk.flow, walk.current, walk.facts, unfinished))


class ReadAhead:
    """Runs read-aheads on their own small pool (the current step's probes keep the runner's) and
    remembers, per walk, which probes it has read ahead (each once)."""

    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read-ahead")
        self._started: Set[str] = set()
        self._walk: Optional[Facts] = None  # the walk those probes were read ahead for
        self._lock = threading.Lock()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def start(self, runner, facts: Facts, names: Sequence[str]) -> None:
        for name in names:
            with self._lock:
                if facts is not self._walk:  # a new walk (a re-check): read ahead afresh
                    self._walk, self._started = facts, set()
                if name in self._started:
                    continue  # already read ahead for this walk
                self._started.add(name)
            self._pool.submit(self._one, runner, facts, name)

    @staticmethod
    def _one(runner, facts: Facts, name: str) -> None:
        from . import aws_probes
        from .context import ProbeContext
        from .registry import IMPLEMENTATIONS
        from .runner import _PROBE_CALLS

        if runner.cancelled.is_set() or (runner.deadline is not None and runner.deadline.expired):
            return
        token = _PROBE_CALLS.set([])  # the real probe counts these reads when it asks them again
        try:
            part = PARTLY_PREFETCHABLE.get(name)
            read = getattr(aws_probes, part) if part else IMPLEMENTATIONS[name]
            read(ProbeContext(facts, runner.aws, runner.http))
        except Exception:  # a read-ahead's failure is no answer: the real probe reads again and says why
            pass
        finally:
            _PROBE_CALLS.reset(token)
