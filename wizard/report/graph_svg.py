"""Provides render(): the traffic graph (analysis/path_model) as a standalone SVG for incident docs —
the same graph as the terminal view (report/graph_text) and the Mermaid in the Markdown report.

Layout, our own and layered (the reasons are graph_text's: the path is a chain that branches at
listeners and targets, guards hang beside what they guard): one row per hop depth, top to bottom;
each row holds its hops, then the security groups and network ACLs that guard them, then the groups
their rules name. Hop edges are solid arrows, `guards` edges dashed, `refers` edges dotted arrows.
The marks carry the meaning (✓ allowed, ✗ blocked, ? unknown); colour only decorates them. The
deciding rule of every blocked or unknown edge is written beside it (and in full in its <title>).

Pure but for export_svg(), which writes the file beside the Markdown report. Every label (from AWS, HTTP, scenarios) is cleaned of control characters, redacted,
and XML-escaped; ids go into attributes through quoteattr only.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from xml.sax.saxutils import escape, quoteattr

from ..analysis.path_model import GUARD_KINDS, GUARDS, HOP, REFERS, unattached
from ..model import PathEdge, PathGraph, PathNode
from ..redact import Redactor
from ..untrusted import sanitize

MARKS = {"ok": "✓", "blocked": "✗", "unknown": "?"}
_COLOUR = {"ok": "#2e7d32", "blocked": "#c62828", "unknown": "#ef6c00"}
_FILL = {"ok": "#f1f8e9", "blocked": "#ffebee", "unknown": "#fff3e0"}
_KIND_WORD = {"security-group": "SG", "network-acl": "NACL"}
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

CHAR_W, LINE_H, PAD = 7.2, 16, 10  # monospace at 12px: a character's width, a line's height, box padding
LABEL_CHARS, RULE_CHARS, RULE_LINES = 40, 56, 3
ROW_GAP, COL_GAP, MARGIN = 90, 40, 20


class _Box:
    def __init__(self, node: PathNode, lines: List[str]) -> None:
        self.node, self.lines = node, lines
        self.w = max(120.0, max(len(s) for s in lines) * CHAR_W + 2 * PAD)
        self.h = len(lines) * LINE_H + 2 * PAD
        self.x = self.y = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


class _Svg:
    def __init__(self, g: PathGraph, redactor: Optional[Redactor]) -> None:
        self.g, self.redactor = g, redactor
        self.nodes = {n.id: n for n in g.nodes}
        self.lonely = {n.id for n in unattached(g)}
        self.told: set = set()  # (status, rule) of the edges whose rule is written already

    def clean(self, text: object) -> str:
        return _NOT_XML.sub("", " ".join(sanitize(text, self.redactor).split()))

    def text(self, text: object) -> str:
        """Untrusted text, ready to sit between tags."""
        return escape(self.clean(text))

    def wrap(self, text: str, width: int, max_lines: int = 0) -> List[str]:
        lines = textwrap.wrap(self.clean(text), width, break_long_words=True, break_on_hyphens=False) or [""]
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][:width - 1] + "…"
        return lines

    # Layout ------------------------------------------------------------------------------------

    def ranks(self) -> Dict[str, int]:
        """Hop depth of every node (longest path from a start); guards share the row of what they guard."""
        hops = [e for e in self.g.edges if (e.kind or HOP) == HOP]
        rank = {n.id: 0 for n in self.g.nodes if n.kind not in GUARD_KINDS}
        for _ in range(len(rank)):  # relax; a cycle (never built, but untrusted) stops after |nodes| rounds
            changed = False
            for e in hops:
                if e.src in rank and e.dst in rank and rank[e.dst] < rank[e.src] + 1:
                    rank[e.dst], changed = rank[e.src] + 1, True
            if not changed:
                break
        for e in self.g.edges:
            if e.kind == GUARDS and e.dst in rank:
                rank[e.src] = min(rank.get(e.src, rank[e.dst]), rank[e.dst])
        for e in self.g.edges:
            if e.kind == REFERS and e.dst not in rank and e.src in rank:
                rank[e.dst] = rank[e.src]
        for n in self.g.nodes:
            rank.setdefault(n.id, 0)
        return rank

    def box(self, n: PathNode) -> _Box:
        head = f"{MARKS.get(n.status, '?')} "
        if n.kind in GUARD_KINDS:
            head += _KIND_WORD.get(n.kind, n.kind) + " "
        lines = self.wrap(head + n.label, LABEL_CHARS, 3)
        if n.id in self.lonely:
            lines += self.wrap("attached to nothing" if "attached to nothing" in n.detail
                               else (n.detail or "guards nothing on this path"), LABEL_CHARS, 2)
        return _Box(n, lines)

    def layout(self) -> Tuple[Dict[str, _Box], float, float]:
        rank = self.ranks()
        rows: Dict[int, List[_Box]] = {}
        order = [n for n in self.g.nodes if n.kind not in GUARD_KINDS] + \
                [n for n in self.g.nodes if n.kind in GUARD_KINDS and n.id not in self.lonely] + \
                [n for n in self.g.nodes if n.id in self.lonely]
        for n in order:
            rows.setdefault(rank[n.id], []).append(self.box(n))
        widths = {r: sum(b.w for b in bs) + COL_GAP * (len(bs) - 1) for r, bs in rows.items()}
        width = max(widths.values(), default=0.0)
        y = 0.0
        boxes: Dict[str, _Box] = {}
        for r in sorted(rows):
            x = (width - widths[r]) / 2
            height = max(b.h for b in rows[r])
            for b in rows[r]:
                b.x, b.y = x, y + (height - b.h) / 2
                x += b.w + COL_GAP
                boxes[b.node.id] = b
            y += height + ROW_GAP
        return boxes, width, max(0.0, y - ROW_GAP)

    # Drawing -----------------------------------------------------------------------------------

    def edge(self, e: PathEdge, boxes: Dict[str, _Box]) -> List[str]:
        a, b = boxes.get(e.src), boxes.get(e.dst)
        if a is None or b is None:
            return []
        kind = e.kind or HOP
        if abs(a.y + a.h / 2 - (b.y + b.h / 2)) < 1:  # the same row: side to side
            left = a.x < b.x
            x1, x2 = (a.x + a.w, b.x) if left else (a.x, b.x + b.w)
            y1 = y2 = a.y + a.h / 2
        else:
            down = a.y < b.y
            x1, y1 = a.cx, (a.y + a.h if down else a.y)
            x2, y2 = b.cx, (b.y if down else b.y + b.h)
        colour = _COLOUR.get(e.status, _COLOUR["unknown"])
        dash = {GUARDS: ' stroke-dasharray="6 4"', REFERS: ' stroke-dasharray="2 3"'}.get(kind, "")
        arrow = "" if kind == GUARDS else f' marker-end="url(#arrow-{e.status if e.status in _COLOUR else "unknown"})"'
        width = 2.5 if e.status == "blocked" else 1.5
        words = [MARKS.get(e.status, "?")]
        if kind == REFERS:
            words.append("rule")
        # The deciding rule of a blocked or unknown hop, once: its siblings blocked by the same rule
        # say so (the full rule is in every edge's <title>); a reference's rule is the guard's own.
        rule = e.rule if e.status != "ok" and kind == HOP else ""
        if rule and (e.status, rule) in self.told:
            rule = "the same rule"
        self.told.add((e.status, e.rule))
        if e.port and not rule.startswith(e.port):
            words.append(e.port)
        label = self.wrap(" ".join(words) + (f" {rule}" if rule else ""), RULE_CHARS, RULE_LINES)
        if kind == GUARDS:
            label = []  # a dashed line says "guards"; its status is the group's mark
        tip = f"{a.node.label} → {b.node.label}: {e.status}" + (f" — {e.rule}" if e.rule else "")
        out = [f'<g class={quoteattr(self.clean(f"edge {kind} {e.status}"))} data-src={quoteattr(self.clean(e.src))} '
               f'data-dst={quoteattr(self.clean(e.dst))}>',
               f"<title>{self.text(tip)}</title>",
               f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
               f'stroke-width="{width}"{dash}{arrow}/>']
        if y1 == y2:  # side to side: the words above the line, from its start
            tx, ty = min(x1, x2) + 4, y1 - 6 - (len(label) - 1) * LINE_H
        else:
            t = 0.8 if rule == "the same rule" else 0.5  # siblings' short labels nearer their ends
            tx, ty = x1 + (x2 - x1) * t + 6, y1 + (y2 - y1) * t - (len(label) - 1) * LINE_H / 2
        for i, chunk in enumerate(label):
            out.append(f'<text class="rule" x="{tx:.1f}" y="{ty + i * LINE_H:.1f}" fill="{colour}">'
                       f"{escape(chunk)}</text>")
        out.append("</g>")
        return out

    def node(self, b: _Box) -> List[str]:
        n = b.node
        colour = _COLOUR.get(n.status, _COLOUR["unknown"])
        tip = n.label + (f" — {n.detail}" if n.detail else "")
        dash = ' stroke-dasharray="6 4"' if n.kind in GUARD_KINDS else ""
        fill = _FILL.get(n.status, _FILL["unknown"])
        stroke = 2.5 if n.status == "blocked" else 1.2
        out = [f'<g class={quoteattr(self.clean(f"node {n.kind} {n.status}"))} data-id={quoteattr(self.clean(n.id))}>',
               f"<title>{self.text(tip)}</title>",
               f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6" '
               f'fill="{fill}" stroke="{colour}" stroke-width="{stroke}"{dash}/>']
        for i, chunk in enumerate(b.lines):
            out.append(f'<text x="{b.x + PAD:.1f}" y="{b.y + PAD + (i + 0.8) * LINE_H:.1f}">{escape(chunk)}</text>')
        out.append("</g>")
        return out

    def header(self) -> List[str]:
        """The first blocked (else unknown) hop and its rule: what an incident doc reader needs first."""
        hops = [e for e in self.g.edges if (e.kind or HOP) == HOP]
        focus = next((e for e in hops if e.status == "blocked"), None) or \
            next((e for e in hops if e.status == "unknown"), None)
        if focus is None:
            return self.wrap("✓ no hop on this path is blocked", 100)
        src = self.nodes[focus.src].label if focus.src in self.nodes else focus.src
        dst = self.nodes[focus.dst].label if focus.dst in self.nodes else focus.dst
        word = "blocked" if focus.status == "blocked" else "unknown"
        port = f" ({focus.port})" if focus.port else ""
        return self.wrap(f"{MARKS[focus.status]} {word}: {src} → {dst}{port}", 100, 2) + \
            self.wrap(focus.rule or "no rule recorded", 100, 4)

    def run(self, title: str) -> str:
        boxes, width, height = self.layout()
        head = ([self.clean(title)] if title else []) + self.header()
        legend = "✓ allowed  ✗ blocked  ? unknown  ·  solid arrow: hop  ·  dashed: guards  ·  dotted arrow: a rule names that group"
        top = MARGIN + len(head) * LINE_H + LINE_H
        total_w = max(width, max(len(s) for s in head + [legend]) * CHAR_W) + 2 * MARGIN + 200  # room for rule text
        total_h = top + height + 2 * LINE_H + MARGIN
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" height="{total_h:.0f}" '
               f'viewBox="0 0 {total_w:.0f} {total_h:.0f}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" '
               'font-size="12">',
               "<title>edgewiz traffic path</title>",
               "<defs>"]
        for status, colour in _COLOUR.items():
            out.append(f'<marker id="arrow-{status}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                       f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
        out += ["</defs>", f'<rect width="{total_w:.0f}" height="{total_h:.0f}" fill="#ffffff"/>']
        for i, chunk in enumerate(head):
            weight = ' font-weight="bold"' if i == (1 if title else 0) else ""
            out.append(f'<text class="head" x="{MARGIN}" y="{MARGIN + (i + 0.8) * LINE_H:.1f}"{weight}>{escape(chunk)}</text>')
        out.append(f'<g transform="translate({MARGIN + (total_w - 2 * MARGIN - 200 - width) / 2:.1f},{top:.1f})">')
        for e in self.g.edges:
            out += self.edge(e, boxes)
        for b in boxes.values():
            out += self.node(b)
        out.append("</g>")
        out.append(f'<text class="legend" x="{MARGIN}" y="{total_h - MARGIN:.1f}" fill="#555555">{escape(legend)}</text>')
        out.append("</svg>")
        return "\n".join(out) + "\n"


def render(g: PathGraph, redactor: Optional[Redactor] = None, title: str = "") -> str:
    """The graph as an SVG document (UTF-8 text), every label cleaned, redacted and escaped."""
    return _Svg(g, redactor).run(title)


def export_svg(diagnosis: Any, markdown: Path, redactor: Optional[Redactor] = None) -> Optional[Path]:
    """Write the diagnosis's graph beside the Markdown report (BASE.svg); None when there is no graph."""
    graph = diagnosis.graph
    if not graph.nodes:
        return None
    path = Path(markdown).with_suffix(".svg")
    path.write_text(render(graph, redactor, title=f"edgewiz: {diagnosis.symptom.url}"), encoding="utf-8")
    return path
