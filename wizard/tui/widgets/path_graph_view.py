"""Provides PathGraphView: the traffic graph (analysis/path_model) drawn in a pane as the walk narrows it:
the blocked hop first, then the hops top to bottom with their security groups and network ACLs beside
them, each marked ✓ allowed, ✗ blocked or ? unknown (colour only decorates the marks).

The drawing is report/graph_text's, laid out again for the pane's width whenever the graph or the
width changes; the pane scrolls (arrows, PgUp/PgDn) when the graph is taller than it.
"""

from __future__ import annotations

from typing import Optional

from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.content import Content
from textual.widgets import Static

from ...model import PathGraph
from ...redact import Redactor
from ...report.graph_text import graph_lines
from ..display import line

_STYLE = {"ok": "", "blocked": "$text-error bold", "unknown": "$text-warning"}


class PathGraphView(Vertical):
    """The path graph pane: a title with the legend, and the scrollable diagram."""

    DEFAULT_CSS = """
    PathGraphView { height: 1fr; }
    PathGraphView > #graph-scroll { height: 1fr; scrollbar-size-vertical: 1; scrollbar-size-horizontal: 1; }
    PathGraphView > #graph-scroll:focus { background: $boost; }
    PathGraphView #graph-body { width: auto; }
    """

    def __init__(self, *, id: Optional[str] = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes)
        self.graph = PathGraph()
        self.redactor: Optional[Redactor] = None
        self.text = ""  # the diagram as drawn last (plain), for tests and copy
        self._width = 0

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Path ", "bold"), ("✓ allowed ✗ blocked ? unknown", "$text-muted")),
                     classes="pane-title")
        with ScrollableContainer(id="graph-scroll"):
            yield Static(id="graph-body")

    def show(self, graph: PathGraph, redactor: Optional[Redactor] = None) -> None:
        """Draw `graph` (a new step's, or the same one after a check decided a hop)."""
        self.graph, self.redactor = graph, redactor
        self._draw()

    def on_resize(self) -> None:
        if self._pane_width() != self._width:
            self._draw()

    def _pane_width(self) -> int:
        return max(30, (self.query_one("#graph-scroll").size.width or 80) - 1)

    def _draw(self) -> None:
        self._width = self._pane_width()
        lines = graph_lines(self.graph, self._width, self.redactor) if self.graph.nodes else []
        self.text = "\n".join(gl.text for gl in lines)
        parts = []
        for i, gl in enumerate(lines):
            if i:
                parts.append("\n")
            parts.append((gl.text, _STYLE.get(gl.status, "")))
        # graph_lines cleaned and redacted every label already; line() cleans once more on the way out.
        self.query_one("#graph-body", Static).update(line(*parts, redactor=self.redactor) if parts else "")
