"""Provides Flow: a playbook loaded from flows/*.yaml and validated against the code's vocabulary.

A flow names probes, checks and predicates; the code defines them. Loading fails, with the file
and node named, on an unknown name, a dangling edge, an unreachable node, a cycle, or a dead end
that is not an explicit end. That way a typo is caught by the test suite, not at 3 a.m.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import networkx as nx
import yaml

from .errors import FlowError

KINDS = ("probe", "check", "branch", "question", "end")
END_RESULTS = ("verdict", "inconclusive")
_KEYS = {
    "probe": {"kind", "title", "why", "probes", "next"},
    "check": {"kind", "title", "why", "checks", "next"},
    "branch": {"kind", "title", "why", "by", "cases", "default"},
    "question": {"kind", "title", "why", "question", "choices", "suggest"},
    "end": {"kind", "title", "why", "result"},
}


@dataclass(frozen=True)
class Vocabulary:
    """The names a flow may use: probe names, check names (with the finding ids each may raise),
    and predicate names (with the values each may return)."""

    probes: Mapping[str, object]
    checks: Mapping[str, Sequence[str]]
    predicates: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Choice:
    """One answer to a question node."""

    value: str
    label: str
    next: str


@dataclass(frozen=True)
class Node:
    """One step of a playbook."""

    id: str
    kind: str
    title: str
    why: str = ""
    probes: Tuple[str, ...] = ()
    checks: Tuple[str, ...] = ()
    next: Optional[str] = None
    on: Optional[str] = None
    cases: Mapping[str, str] = field(default_factory=dict)
    default: Optional[str] = None
    question: str = ""
    choices: Tuple[Choice, ...] = ()
    suggest: Optional[str] = None
    result: Optional[str] = None

    def successors(self) -> List[str]:
        """Every node this one can lead to."""
        out: List[str] = []
        if self.next:
            out.append(self.next)
        out.extend(self.cases.values())
        if self.default:
            out.append(self.default)
        out.extend(c.next for c in self.choices)
        return out


@dataclass(frozen=True)
class Flow:
    """A validated playbook."""

    id: str
    title: str
    start: str
    nodes: Mapping[str, Node]
    path: str = ""

    def graph(self) -> nx.DiGraph:
        """The flow as a directed graph (node ids, with `kind` attributes)."""
        return _graph(self.nodes)


def _graph(nodes: Mapping[str, Node]) -> nx.DiGraph:
    g = nx.DiGraph()
    for node in nodes.values():
        g.add_node(node.id, kind=node.kind)
        for succ in node.successors():
            g.add_edge(node.id, succ)
    return g


def _strs(path: str, node_id: str, key: str, value) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise FlowError(path, f"'{key}' must be a non-empty list of names", node_id)
    return tuple(value)


def _parse_node(path: str, node_id: str, body) -> Node:
    if not isinstance(body, dict):
        raise FlowError(path, "a node must be a mapping", node_id)
    odd = [k for k in body if not isinstance(k, str)]
    if odd:
        raise FlowError(path, f"key {odd[0]!r} is not text (YAML reads yes/no/on/off as booleans: quote it)", node_id)
    kind = body.get("kind")
    if kind not in KINDS:
        raise FlowError(path, f"kind must be one of {', '.join(KINDS)} (got {kind!r})", node_id)
    unknown = set(body) - _KEYS[kind]
    if unknown:
        raise FlowError(path, f"unknown keys for a {kind} node: {', '.join(sorted(unknown))}", node_id)
    if not isinstance(body.get("title"), str):
        raise FlowError(path, "every node needs a 'title'", node_id)
    for link in ("next", "default", "suggest", "on", "by"):
        if body.get(link) is not None and not isinstance(body[link], str):
            raise FlowError(path, f"'{link}' must be one node or predicate name, not {type(body[link]).__name__}", node_id)
    common = dict(id=node_id, kind=kind, title=body["title"], why=str(body.get("why", "")).strip())
    if kind == "probe":
        return Node(**common, probes=_strs(path, node_id, "probes", body.get("probes")), next=body.get("next"))
    if kind == "check":
        return Node(**common, checks=_strs(path, node_id, "checks", body.get("checks")), next=body.get("next"))
    if kind == "branch":
        cases = body.get("cases")
        if not isinstance(body.get("by"), str):
            raise FlowError(path, "a branch needs 'by: <predicate>'", node_id)
        if not isinstance(cases, dict) or not cases:
            raise FlowError(path, "a branch needs a non-empty 'cases' mapping", node_id)
        if any(isinstance(k, bool) for k in list(cases) + list(body.get("choices") or {})):
            raise FlowError(path, "a case value is a boolean (YAML reads yes/no as true/false: quote it)", node_id)
        return Node(**common, on=body["by"], cases={str(k): str(v) for k, v in cases.items()},
                    default=body.get("default"))
    if kind == "question":
        choices = body.get("choices")
        if not isinstance(body.get("question"), str):
            raise FlowError(path, "a question node needs 'question: <text>'", node_id)
        if not isinstance(choices, dict) or not choices:
            raise FlowError(path, "a question needs a non-empty 'choices' mapping", node_id)
        if any(isinstance(k, bool) for k in choices):
            raise FlowError(path, "a choice is a boolean (YAML reads yes/no as true/false: quote it)", node_id)
        parsed = []
        for value, spec in choices.items():
            if not isinstance(spec, dict) or not isinstance(spec.get("next"), str):
                raise FlowError(path, f"choice '{value}' needs 'label' and 'next'", node_id)
            parsed.append(Choice(str(value), str(spec.get("label", value)), spec["next"]))
        return Node(**common, question=body["question"], choices=tuple(parsed), suggest=body.get("suggest"))
    result = body.get("result")
    if result not in END_RESULTS:
        raise FlowError(path, f"an end node needs 'result' in {', '.join(END_RESULTS)}", node_id)
    return Node(**common, result=result)


def _check_names(path: str, node: Node, vocab: Vocabulary) -> None:
    for name in node.probes:
        if name not in vocab.probes:
            raise FlowError(path, f"unknown probe '{name}' (known: {', '.join(sorted(vocab.probes))})", node.id)
    for name in node.checks:
        if name not in vocab.checks:
            raise FlowError(path, f"unknown check '{name}' (known: {', '.join(sorted(vocab.checks))})", node.id)
    for pred in filter(None, (node.on, node.suggest)):
        if pred not in vocab.predicates:
            raise FlowError(path, f"unknown predicate '{pred}' (known: {', '.join(sorted(vocab.predicates))})",
                            node.id)
    if node.kind == "branch":
        allowed = set(vocab.predicates[node.on])
        for value in node.cases:
            if value not in allowed:
                raise FlowError(path, f"predicate '{node.on}' never returns '{value}' "
                                      f"(it returns: {', '.join(sorted(allowed))})", node.id)
        if node.default is None and set(node.cases) != allowed:
            raise FlowError(path, f"no case for {', '.join(sorted(allowed - set(node.cases)))} and no default",
                            node.id)


def validate(flow: Flow, vocab: Vocabulary) -> None:
    """Check names and the graph; raise FlowError naming the file and node on the first problem."""
    path = flow.path
    if flow.start not in flow.nodes:
        raise FlowError(path, f"start node '{flow.start}' does not exist")
    for node in flow.nodes.values():
        _check_names(path, node, vocab)
        for succ in node.successors():
            if succ not in flow.nodes:
                raise FlowError(path, f"leads to '{succ}', which does not exist", node.id)
        if node.kind in ("probe", "check") and not node.next:
            raise FlowError(path, f"a {node.kind} node needs 'next' (only end nodes may stop)", node.id)
    g = flow.graph()
    unreachable = sorted(set(g.nodes) - nx.descendants(g, flow.start) - {flow.start})
    if unreachable:
        raise FlowError(path, "unreachable from the start node", unreachable[0])
    if not nx.is_directed_acyclic_graph(g):
        cycle = nx.find_cycle(g, flow.start)
        raise FlowError(path, "cycle: " + " -> ".join(a for a, _ in cycle) + f" -> {cycle[-1][1]}", cycle[0][0])
    for node_id in g.nodes:
        if g.out_degree(node_id) == 0 and flow.nodes[node_id].kind != "end":
            raise FlowError(path, "a dead end that is not an 'end' node", node_id)


def load_flow(path: Path, vocab: Vocabulary) -> Flow:
    """Read, parse and validate one flow file."""
    spath = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        # ValueError: PyYAML resolves "2024-13-45" as a date and then fails to build it.
        raise FlowError(spath, f"cannot read the flow: {exc}") from None
    if not isinstance(raw, dict):
        raise FlowError(spath, "a flow file must be a mapping with id, title, start and nodes")
    for key in ("id", "title", "start", "nodes"):
        if key not in raw:
            raise FlowError(spath, f"missing top-level '{key}'")
    if not isinstance(raw["nodes"], dict) or not raw["nodes"]:
        raise FlowError(spath, "'nodes' must be a non-empty mapping")
    nodes: Dict[str, Node] = {str(k): _parse_node(spath, str(k), v) for k, v in raw["nodes"].items()}
    flow = Flow(id=str(raw["id"]), title=str(raw["title"]), start=str(raw["start"]), nodes=nodes, path=spath)
    validate(flow, vocab)
    return flow
