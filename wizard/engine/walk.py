"""Provides Walk: the pure state machine that walks a flow.

The walk says what its current node needs (next_action, which changes nothing): probes to run, a
question to answer, its checks and branches to pass (pass_node), or nothing more (Done). The one
drive loop (engine/drive.py) does what it says; every front end drives through that loop. Every
probe and answer step is an event that can be journaled and replayed, so a walk survives an SSH
drop: replaying the same events rebuilds the same state without probing again.

Hits and unknowns live in one place, the facts (later checks read earlier hits there); `hits` and
`unknowns` on the walk are views of them.

Each check comes with the finding ids it declares; a hit with any other id is refused
(UndeclaredFinding) before it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..model import Hit, ProbeOutcome, Unknown
from .catalog import Catalog
from .errors import UndeclaredFinding
from .facts import Facts, Symptom
from .flow import Choice, Flow, Node

CheckFn = Callable[[Facts], Tuple[List[Hit], List[Unknown]]]
PredicateFn = Callable[[Facts], str]
DeclaredCheck = Tuple[CheckFn, Sequence[str]]  # a check and the finding ids it may raise


@dataclass(frozen=True)
class NeedProbes:
    """The walk needs these probes run (concurrently where they are independent)."""

    node: Node
    probes: Tuple[str, ...]


@dataclass(frozen=True)
class NeedAnswer:
    """The walk needs the person to choose (a suggestion from the facts, when there is one)."""

    node: Node
    question: str
    choices: Tuple[Choice, ...]
    suggestion: Optional[str]


@dataclass(frozen=True)
class PassNode:
    """The current node needs nobody: a check node (its checks run) or a branch (its predicate picks
    the way). `Walk.pass_node()` does it; nothing runs until it is called."""

    node: Node


@dataclass(frozen=True)
class Done:
    """The walk reached an end node."""

    node: Node


Action = Union[NeedProbes, NeedAnswer, PassNode, Done]


@dataclass
class Step:
    """One visited node and what happened there (the journal's unit)."""

    node: str
    kind: str
    title: str
    detail: str = ""
    hits: List[str] = field(default_factory=list)


class Walk:
    """Walks one flow for one symptom.

    `checks` maps each check name to (function, the finding ids it declares); `catalog` is the
    findings catalogue the ids belong to, kept for the skins (the path picture reads its hops);
    `facts_type` is the Facts class the checks read (a subclass with the domain's readings).
    """

    def __init__(
        self,
        flow: Flow,
        symptom: Symptom,
        checks: Mapping[str, DeclaredCheck],
        predicates: Mapping[str, PredicateFn],
        catalog: Optional[Catalog] = None,
        facts_type: Callable[[Symptom], Facts] = Facts,
    ) -> None:
        self.flow = flow
        self.facts = facts_type(symptom)  # the domain's Facts (typed readings), or the generic one
        self._checks = checks
        self._predicates = predicates
        self.catalog = catalog
        self.current = flow.start
        self.steps: List[Step] = []
        self.events: List[Dict[str, Any]] = []
        self._arrive(flow.start)

    @property
    def hits(self) -> List[Hit]:
        """Every hit the checks have raised so far (the facts hold them: later checks read them)."""
        return self.facts.hits

    @property
    def unknowns(self) -> List[Unknown]:
        """Every part the checks could not check so far (held by the facts, like the hits)."""
        return self.facts.unknowns

    # The protocol the drive loop uses -----------------------------------------------------------

    def next_action(self) -> Action:
        """What the current node needs. Changes nothing: asking twice gives the same answer."""
        node = self.flow.nodes[self.current]
        if node.kind == "end":
            return Done(node)
        if node.kind == "probe":
            return NeedProbes(node, node.probes)
        if node.kind == "question":
            suggestion = self._predicates[node.suggest](self.facts) if node.suggest else None
            if suggestion not in {c.value for c in node.choices}:
                suggestion = None
            return NeedAnswer(node, node.question, node.choices, suggestion)
        return PassNode(node)

    def pass_node(self) -> Step:
        """Pass the current check or branch node: run its checks (hits and unknowns go into the
        facts) or follow its predicate. Returns the step it records."""
        node = self.flow.nodes[self.current]
        if node.kind == "check":
            step = self._run_checks(node)
            self._arrive(node.next)
            return step
        if node.kind != "branch":
            raise RuntimeError(f"node {node.id} needs {node.kind}, not passing")
        value = self._predicates[node.on](self.facts)
        step = Step(node.id, node.kind, node.title, f"{node.on} = {value}")
        self.steps.append(step)
        target = node.cases.get(value, node.default)
        if target is None:  # validation makes this impossible; guard against misuse
            raise RuntimeError(f"branch {node.id} has no case for {value}")
        self._arrive(target)
        return step

    def advance(self) -> Action:
        """Pass every check and branch node up to one that needs probes, an answer, or the end; return
        that node's need. (The drive loop passes them one at a time, to look for a cancel between.)"""
        while True:
            action = self.next_action()
            if not isinstance(action, PassNode):
                return action
            self.pass_node()

    def supply_probes(self, outcomes: Sequence[ProbeOutcome]) -> None:
        """Record the outcomes of the current probe node and move on."""
        node = self.flow.nodes[self.current]
        if node.kind != "probe":
            raise RuntimeError(f"node {node.id} is not waiting for probes")
        for outcome in outcomes:
            self.facts.outcomes[outcome.name] = outcome
        summary = ", ".join(f"{o.name}: {o.status}" for o in outcomes)
        self.steps.append(Step(node.id, node.kind, node.title, summary))
        self.events.append({"type": "probes", "node": node.id, "outcomes": [_outcome_dict(o) for o in outcomes]})
        self._arrive(node.next)

    def supply_answer(self, value: str) -> None:
        """Record the answer to the current question and move on."""
        node = self.flow.nodes[self.current]
        choice = next((c for c in node.choices if c.value == value), None)
        if node.kind != "question" or choice is None:
            raise ValueError(f"'{value}' is not an answer to {node.id}")
        self.facts.answers[node.id] = value
        self.steps.append(Step(node.id, node.kind, node.title, choice.label))
        self.events.append({"type": "answer", "node": node.id, "value": value})
        self._arrive(choice.next)

    # Replay -------------------------------------------------------------------------------------

    def replay(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Re-apply journaled events (probe outcomes and answers) without probing again."""
        for event in events:
            action = self.advance()
            if event.get("node") != self.current:
                raise ValueError(f"journal does not match the flow at {self.current} (journal says {event.get('node')})")
            if event["type"] == "probes" and isinstance(action, NeedProbes):
                self.supply_probes([ProbeOutcome(**o) for o in event["outcomes"]])
            elif event["type"] == "answer" and isinstance(action, NeedAnswer):
                self.supply_answer(event["value"])
            else:
                raise ValueError(f"journal event {event.get('type')} does not fit node {self.current}")

    # Internals ----------------------------------------------------------------------------------

    def _arrive(self, node_id: str) -> None:
        """Move to a node; reaching an end node is itself a step (the verdict's line in the list)."""
        self.current = node_id
        node = self.flow.nodes[node_id]
        if node.kind == "end":
            self.steps.append(Step(node.id, node.kind, node.title, node.result or ""))

    def _run_checks(self, node: Node) -> Step:
        found: List[str] = []
        for name in node.checks:
            check, declared = self._checks[name]
            hits, unknowns = check(self.facts)
            for hit in hits:
                if hit.id not in declared:
                    raise UndeclaredFinding(name, hit.id, declared)
            self.facts.hits.extend(hits)
            self.facts.unknowns.extend(unknowns)
            found.extend(h.id for h in hits)
        step = Step(node.id, node.kind, node.title, ", ".join(found) or "nothing wrong here", found)
        self.steps.append(step)
        return step


def _outcome_dict(outcome: ProbeOutcome) -> Dict[str, Any]:
    return {
        "name": outcome.name,
        "status": outcome.status,
        "ms": round(outcome.ms, 1),
        "data": outcome.data,
        "error": outcome.error,
        "missing_action": outcome.missing_action,
        "aws_calls": outcome.aws_calls,
    }
