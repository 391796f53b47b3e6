"""Provides PathPicture: the traffic path as a vertical chain of hops (viewer → distribution →
behavior → origin → bucket/object, or → load balancer → targets), each marked ✓ ok, ✗ blocked or
? unknown in colour, with the rule that decides the highlighted hop underneath.

It fits a narrow column at 80×24: one line per hop, the rule wrapped below.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...model import PathEdge, PathGraph, PathNode
from ...redact import Redactor
from ..display import line, mark

_NODE_STYLE = {"ok": "", "blocked": "$text-error bold", "unknown": "$text-warning"}

Row = Tuple[PathNode, Optional[PathEdge]]


def hop_rows(graph: PathGraph) -> List[Row]:
    """One row per hop: the first node alone, then each edge with the node it leads to, in path order."""
    rows: List[Row] = []
    for i, node in enumerate(graph.nodes):
        into = [e for e in graph.edges if e.dst == node.id]
        if not into:
            rows.append((node, None))
        rows.extend((node, edge) for edge in into)
    return rows


class PathPicture(Vertical):
    """The path picture with the deciding rule of the highlighted hop."""

    DEFAULT_CSS = """
    PathPicture { height: auto; }
    PathPicture > #hops, PathPicture > #hops:focus {
        max-height: 12; border: none; padding: 0; background: transparent;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    PathPicture > #rule { color: $text-muted; max-height: 6; margin-bottom: 1; }
    """

    def __init__(self, *, id: Optional[str] = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self.graph = PathGraph()
        self.redactor: Optional[Redactor] = None
        self._rows: List[Row] = []
        self._labels = {}
        self.rule_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Path ", "bold"), ("✓ ok  ✗ blocked  ? unknown", "$text-muted")),
                     classes="pane-title")
        yield OptionList(id="hops")
        yield Static(id="rule")

    def show(self, graph: PathGraph, redactor: Optional[Redactor] = None) -> None:
        """Draw `graph`; highlight the first blocked hop (else the first unknown, else the last)."""
        self.graph, self.redactor = graph, redactor
        self._rows = hop_rows(graph)
        self._labels = {n.id: n.label for n in graph.nodes}
        hops = self.query_one("#hops", OptionList)
        hops.set_options([Option(self._prompt(i)) for i in range(len(self._rows))])
        hops.styles.height = max(1, len(self._rows))
        if self._rows:
            hops.highlighted = self._pick()
        self._show_rule(hops.highlighted)

    def _prompt(self, index: int) -> Content:
        node, edge = self._rows[index]
        if edge is None:
            return line(("● ", "bold"), (node.label, _NODE_STYLE.get(node.status, "")), redactor=self.redactor)
        symbol, style = mark(edge.status)
        parts = [(symbol + " ", style), (node.label, _NODE_STYLE.get(node.status, ""))]
        if index > 0 and self._rows[index - 1][0].id != edge.src:
            parts.append((f" ← {self._labels.get(edge.src, edge.src)}", "$text-muted"))
        return line(*parts, redactor=self.redactor)

    def _pick(self) -> int:
        for wanted in ("blocked", "unknown"):
            for i, (_, edge) in enumerate(self._rows):
                if edge is not None and edge.status == wanted:
                    return i
        return len(self._rows) - 1

    def _show_rule(self, index: Optional[int]) -> None:
        if index is None or not (0 <= index < len(self._rows)):
            content = Content("")
        else:
            node, edge = self._rows[index]
            if edge is None:
                content = line(("start: ", "$text-muted"), node.label, redactor=self.redactor)
            else:
                symbol, style = mark(edge.status)
                content = line((f"{symbol} {edge.status}: ", style),
                               (f"{self._labels.get(edge.src, edge.src)} → {node.label}", "bold"), "\n",
                               (edge.rule or "no rule recorded", ""), redactor=self.redactor)
        self.rule_text = content.plain
        self.query_one("#rule", Static).update(content)

    @on(OptionList.OptionHighlighted, "#hops")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_rule(event.option_index)
