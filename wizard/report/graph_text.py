"""Provides the terminal view of the traffic graph (analysis/path_model): a layered diagram read top to
bottom, one hop per layer, security groups and network ACLs hung beside the node they guard, and the
groups their rules point at — legible at 80 columns, in NO_COLOR and over SSH.

Why our own layout rather than grandalf's Sugiyama or netext: the path is a chain that branches only
at listeners and targets, with guards as side attachments. A general layered layout spreads such a
graph sideways (one column per target and per group), which at 80 columns means panning for every
read; a top-down layering with side attachments keeps every line within the width by construction
(labels and rules wrap under their own stem), needs no new dependency, and costs O(nodes + edges).

The marks are the meaning (✓ allowed, ✗ blocked, ? unknown); colour (the TUI) only decorates.
Focus + context: the first blocked (else unknown) hop is stated first with its full rule; in the
diagram a node's guards and a node's branches beyond a few are folded with a count, the blocked and
unknown ones kept in view.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Dict, List, Optional, Set

from ..analysis.path_model import GUARD_KINDS, GUARDS, HOP, REFERS, unattached
from ..model import PathEdge, PathGraph, PathNode
from ..redact import Redactor
from ..untrusted import sanitize

MARKS = {"ok": "✓", "blocked": "✗", "unknown": "?"}
_RANK = {"blocked": 0, "unknown": 1, "ok": 2}
_KIND_WORD = {"security-group": "SG", "network-acl": "NACL"}


@dataclass
class GraphLine:
    """One line of the diagram, and the status it shows (for colour; "" for structure)."""

    text: str
    status: str = ""


def mark(status: str) -> str:
    return MARKS.get(status, "?")


class _Layout:
    def __init__(self, g: PathGraph, width: int, redactor: Optional[Redactor], max_branches: int,
                 max_guards: int, rule_lines: int) -> None:
        self.g, self.width, self.redactor = g, max(30, width), redactor
        self.focus: Optional[PathEdge] = None
        self.max_branches, self.max_guards, self.rule_lines = max_branches, max_guards, rule_lines
        self.nodes: Dict[str, PathNode] = {n.id: n for n in g.nodes}
        self.hops: Dict[str, List[PathEdge]] = {}
        self.guards: Dict[str, List[str]] = {}
        self.refers: Dict[str, List[PathEdge]] = {}
        for e in g.edges:
            if e.kind == GUARDS:
                self.guards.setdefault(e.dst, []).append(e.src)
            elif e.kind == REFERS:
                self.refers.setdefault(e.src, []).append(e)
            else:
                self.hops.setdefault(e.src, []).append(e)
        self.lonely = {n.id for n in unattached(g)}
        self.out: List[GraphLine] = []
        self.seen: Set[str] = set()

    def clean(self, text: str) -> str:
        return " ".join(sanitize(text, self.redactor).split())

    def emit(self, text: str, status: str, first: str, rest: str, max_lines: int = 0) -> None:
        """`text` wrapped under its stem: the first line after `first`, the others after `rest`."""
        room = max(10, self.width - max(len(first), len(rest)))
        lines = textwrap.wrap(self.clean(text), room, break_long_words=True, break_on_hyphens=False) or [""]
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][:room - 1] + "…"
        for i, chunk in enumerate(lines):
            self.out.append(GraphLine(((first if i == 0 else rest) + chunk)[:self.width], status))

    @staticmethod
    def lonely_text(n: PathNode) -> str:
        """Why a referenced group guards nothing here, without repeating its label."""
        if "attached to nothing" in n.detail:
            return "attached to nothing"
        return n.detail.replace(n.label, "").strip() or "guards nothing on this path"

    def label(self, nid: str) -> str:
        n = self.nodes.get(nid)
        return n.label if n else nid

    # Header: the blocked hop first -------------------------------------------------------------

    def header(self) -> None:
        hops = [e for e in self.g.edges if e.kind == HOP]
        focus = next((e for e in hops if e.status == "blocked"), None) or \
            next((e for e in hops if e.status == "unknown"), None)
        self.focus = focus
        told: Set[str] = set()
        if focus is None:
            self.emit("✓ no hop drawn below is blocked", "ok", "", "  ")
        else:
            word = "blocked" if focus.status == "blocked" else "unknown"
            port = f" ({focus.port})" if focus.port and not (focus.rule or "").startswith(focus.port) else ""
            self.emit(f"{mark(focus.status)} {word}: {self.label(focus.src)} → {self.label(focus.dst)}{port}",
                      focus.status, "", "  ")
            self.emit(focus.rule or "no rule recorded", focus.status, "  ", "  ", 3)
            told = self.neighbours(focus)
        for nid in sorted(self.lonely - told):
            n = self.nodes[nid]
            self.emit(f"{mark(n.status)} {_KIND_WORD.get(n.kind, n.kind)} {n.label}: {self.lonely_text(n)}",
                      n.status, "", "  ")
        self.out.append(GraphLine(""))

    def neighbours(self, focus: PathEdge) -> Set[str]:
        """The guards on both ends of the focus hop (and the load balancer's, for a hop behind it):
        the groups whose rules decide it, with the groups those rules name."""
        ends = [focus.dst, focus.src] + (["alb"] if focus.src.startswith(("tg:", "listener:")) else [])
        for nid in dict.fromkeys(ends):
            # An allowing network ACL is no part of this hop's story; the diagram still shows it.
            gids = [g for g in self.guards.get(nid, [])
                    if self.nodes[g].kind == "security-group" or self.nodes[g].status != "ok"]
            if gids:
                self.emit(f"at {self.label(nid)}:", "", "  ", "    ", 1)
                self.guard_lines(nid, " ", gids)
        told = set(self.seen)
        self.seen.clear()  # the diagram below draws them again, in place
        return told

    # The diagram -------------------------------------------------------------------------------

    def node(self, nid: str, prefix: str) -> None:
        n = self.nodes.get(nid) or PathNode(nid, "?", nid)
        if nid in self.seen:
            self.emit(f"[{mark(n.status)}] {n.label} (drawn above)", n.status, prefix, prefix + "    ")
            return
        self.seen.add(nid)
        children = self.hops.get(nid, [])
        self.emit(f"[{mark(n.status)}] {n.label}", n.status, prefix, prefix + ("│   " if children else "    "))
        stem = prefix + ("│" if children else " ")
        self.guard_lines(nid, stem)
        if len(children) == 1:
            self.edge_line(children[0], prefix + "│ ", prefix + "│   ")
            self.node(children[0].dst, prefix)
            return
        shown, folded = self.pick(children, self.max_branches, lambda e: e.status)
        for i, e in enumerate(shown):
            last = i == len(shown) - 1 and not folded
            same = i > 0 and e.status != "ok" and (e.status, e.rule) == (shown[i - 1].status, shown[i - 1].rule)
            self.edge_line(e, prefix + ("└─" if last else "├─"), prefix + ("    " if last else "│   "), same)
            self.node(e.dst, prefix + ("  " if last else "│ "))
        if folded:
            self.seen.update(e.dst for e in folded)  # counted here, not listed again below
            kinds = {self.nodes[e.dst].kind for e in folded if e.dst in self.nodes}
            what = f"{kinds.pop()}s" if len(kinds) == 1 else "hops"
            self.emit(f"… {len(folded)} more {what} folded: {_counts(e.status for e in folded)}", "",
                      prefix + "└─", prefix + "  ")

    def edge_line(self, e: PathEdge, first: str, rest: str, same_as_above: bool = False) -> None:
        parts = [mark(e.status)]
        rule = e.rule if e.status != "ok" else ""  # an allowed hop's rule is noise here; deciding ones show
        if e.port and not rule.startswith(e.port):
            parts.append(e.port)
        if rule and e is self.focus:
            rule = "the rule at the top"  # stated in full in the header: keep the diagram compact
        if rule:
            parts.append("the same rule as above" if same_as_above else rule)
        self.emit(" ".join(parts), e.status, first, rest, self.rule_lines)

    def guard_lines(self, nid: str, stem: str, only: Optional[List[str]] = None) -> None:
        gids = self.guards.get(nid, []) if only is None else only
        if not gids:
            return
        shown, folded = self.pick(gids, self.max_guards, self._guard_status)
        for gid in shown:
            g = self.nodes[gid]
            word = _KIND_WORD.get(g.kind, g.kind)
            self.emit(f"◂ {word} {mark(g.status)} {g.label}", g.status, stem + "  ", stem + "      ")
            self.seen.add(gid)
            for ref in self.refers.get(gid, []):
                peer = self.nodes.get(ref.dst)
                if peer is None:
                    continue
                alone = f" · {self.lonely_text(peer)}" if ref.dst in self.lonely else ""
                self.emit(f"↳ rule {ref.port} {'to' if ' egress ' in ref.rule else 'from'} → SG {mark(peer.status)} "
                          f"{peer.label}{alone}", ref.status, stem + "      ", stem + "        ")
                if ref.dst in self.lonely:
                    self.seen.add(ref.dst)
        if folded:
            self.emit(f"… {len(folded)} more guards folded: {_counts(self.nodes[g].status for g in folded)}", "",
                      stem + "  ", stem + "    ")

    def _guard_status(self, gid: str) -> str:
        # A guard whose rule points at a blocked or lonely group is part of the story: keep it in view.
        worst = [self.nodes[gid].status] + [r.status for r in self.refers.get(gid, [])]
        if any(r.dst in self.lonely for r in self.refers.get(gid, [])):
            worst.append("unknown")
        return min(worst, key=lambda s: _RANK.get(s, 1))

    @staticmethod
    def pick(items: list, limit: int, status_of) -> tuple:
        """Up to `limit` items, the blocked then unknown ones first, in their order; the rest folded."""
        if len(items) <= limit:
            return list(items), []
        order = sorted(range(len(items)), key=lambda i: (_RANK.get(status_of(items[i]), 1), i))
        keep = sorted(order[:limit])
        return [items[i] for i in keep], [items[i] for i in order[limit:]]

    def run(self) -> List[GraphLine]:
        self.header()
        hop_dsts = {e.dst for es in self.hops.values() for e in es}
        roots = [n.id for n in self.g.nodes if n.kind not in GUARD_KINDS and n.id not in hop_dsts]
        for root in roots:
            self.node(root, "")
        rest = [n for n in self.g.nodes if n.id not in self.seen and n.kind not in GUARD_KINDS]
        for n in rest:
            self.emit(f"[{mark(n.status)}] {n.label}", n.status, "", "    ")
        return self.out


def _counts(statuses) -> str:
    tally: Dict[str, int] = {}
    for s in statuses:
        tally[s] = tally.get(s, 0) + 1
    return "  ".join(f"{mark(s)} {tally[s]}" for s in ("blocked", "unknown", "ok") if tally.get(s))


def graph_lines(g: PathGraph, width: int = 80, redactor: Optional[Redactor] = None, *, max_branches: int = 3,
                max_guards: int = 3, rule_lines: int = 3) -> List[GraphLine]:
    """The diagram as lines no wider than `width` (at least 30), each with the status it shows."""
    return _Layout(g, width, redactor, max_branches, max_guards, rule_lines).run()


def render(g: PathGraph, width: int = 80, redactor: Optional[Redactor] = None) -> str:
    """The diagram as plain text (marks carry the meaning; no colour, no escapes)."""
    return "\n".join(line.text.rstrip() for line in graph_lines(g, width, redactor)) + "\n"
