"""Provides Walk: the pure state machine that walks a flow.

The skins (Textual app, plain prompts, `lab run`) ask the walk what it needs next: probes to run,
or a question to answer. They run the probes (impure), hand the outcomes back, and repeat until
the walk is done. Every step is an event that can be journaled and replayed, so a walk survives
an SSH drop: replaying the same events rebuilds the same state without probing again.

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
class Done:
    """The walk reached an end node."""

    node: Node


Action = Union[NeedProbes, NeedAnswer, Done]


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
        self.hits: List[Hit] = []
        self.unknowns: List[Unknown] = []
        self.steps: List[Step] = []
        self.events: List[Dict[str, Any]] = []

    # The protocol the skins use ---------------------------------------------------------------

    def next_action(self) -> Action:
        """Advance through every node that needs nobody, and say what is needed next."""
        while True:
            node = self.flow.nodes[self.current]
            if node.kind == "end":
                if not self.steps or self.steps[-1].node != node.id:
                    self.steps.append(Step(node.id, node.kind, node.title, node.result or ""))
                return Done(node)
            if node.kind == "probe":
                return NeedProbes(node, node.probes)
            if node.kind == "question":
                suggestion = self._predicates[node.suggest](self.facts) if node.suggest else None
                if suggestion not in {c.value for c in node.choices}:
                    suggestion = None
                return NeedAnswer(node, node.question, node.choices, suggestion)
            if node.kind == "check":
                self._run_checks(node)
                self.current = node.next
                continue
            value = self._predicates[node.on](self.facts)
            self.steps.append(Step(node.id, node.kind, node.title, f"{node.on} = {value}"))
            self.current = node.cases.get(value, node.default)
            if self.current is None:  # validation makes this impossible; guard against misuse
                raise RuntimeError(f"branch {node.id} has no case for {value}")

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
        self.current = node.next

    def supply_answer(self, value: str) -> None:
        """Record the answer to the current question and move on."""
        node = self.flow.nodes[self.current]
        choice = next((c for c in node.choices if c.value == value), None)
        if node.kind != "question" or choice is None:
            raise ValueError(f"'{value}' is not an answer to {node.id}")
        self.facts.answers[node.id] = value
        self.steps.append(Step(node.id, node.kind, node.title, choice.label))
        self.events.append({"type": "answer", "node": node.id, "value": value})
        self.current = choice.next

    def run_to_end(self, run_probes: Callable[[Facts, Tuple[str, ...]], List[ProbeOutcome]],
                   answer: Callable[[NeedAnswer], str]) -> Done:
        """Drive the walk with a probe runner and an answerer (used by `lab run` and tests)."""
        while True:
            action = self.next_action()
            if isinstance(action, Done):
                return action
            if isinstance(action, NeedProbes):
                self.supply_probes(run_probes(self.facts, action.probes))
            else:
                self.supply_answer(answer(action))

    # Replay -------------------------------------------------------------------------------------

    def replay(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Re-apply journaled events (probe outcomes and answers) without probing again."""
        for event in events:
            action = self.next_action()
            if event.get("node") != self.current:
                raise ValueError(f"journal does not match the flow at {self.current} (journal says {event.get('node')})")
            if event["type"] == "probes" and isinstance(action, NeedProbes):
                self.supply_probes([ProbeOutcome(**o) for o in event["outcomes"]])
            elif event["type"] == "answer" and isinstance(action, NeedAnswer):
                self.supply_answer(event["value"])
            else:
                raise ValueError(f"journal event {event.get('type')} does not fit node {self.current}")

    # Internals ----------------------------------------------------------------------------------

    def _run_checks(self, node: Node) -> None:
        found: List[str] = []
        for name in node.checks:
            check, declared = self._checks[name]
            hits, unknowns = check(self.facts)
            for hit in hits:
                if hit.id not in declared:
                    raise UndeclaredFinding(name, hit.id, declared)
            self.hits.extend(hits)
            self.facts.hits.extend(hits)
            self.unknowns.extend(unknowns)
            self.facts.unknowns.extend(unknowns)
            found.extend(h.id for h in hits)
        self.steps.append(Step(node.id, node.kind, node.title, ", ".join(found) or "nothing wrong here", found))


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
