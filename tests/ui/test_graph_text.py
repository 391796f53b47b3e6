"""The terminal view of the traffic graph: within 80 columns with a dozen security groups, the blocked
hop first and in the diagram, the rest folded with a count; hostile labels stay inert text."""

from __future__ import annotations

from wizard.analysis.path_model import traffic_graph
from wizard.model import PathEdge, PathGraph, PathNode
from wizard.report import graph_text


def _alb_graph(n_groups: int = 12, n_targets: int = 6) -> PathGraph:
    g = PathGraph()
    chain = [("viewer", "viewer → d1.cloudfront.net"), ("distribution", "CloudFront E1"),
             ("behavior", "behavior Default (*)"), ("origin", "origin web (alb)"),
             ("alb", "web-alb (internet-facing)"), ("listener:443", "listener HTTPS:443"),
             ("tg:web", "target group web-tg")]
    for nid, label in chain:
        g.add_node(PathNode(nid, nid.split(":")[0], label, "ok"))
    for (a, _), (b, _) in zip(chain, chain[1:]):
        g.add_edge(PathEdge(a, b, "ok", "tcp/443: fine"))
    for t in range(n_targets):
        status = "blocked" if t == 4 else "ok"
        g.add_node(PathNode(f"target:{t}", "target", f"10.0.1.{t}:80", status))
        g.add_edge(PathEdge("tg:web", f"target:{t}", status,
                            "tcp/80: sg-00000000000000004 (app-4) has no rule that admits web-alb"
                            if status == "blocked" else "tcp/80: sg-1 admits it"))
    for i in range(n_groups):
        status = "blocked" if i == 4 else "ok"
        g.add_node(PathNode(f"sg:sg-{i:017d}", "security-group", f"sg-{i:017d} (app-{i})", status, "attached"))
        g.add_edge(PathEdge(f"sg:sg-{i:017d}", "target:4", status, "", kind="guards"))
    return g


def test_twelve_groups_fit_80_columns_and_the_blocked_hop_leads():
    """With 12 groups on a target and 6 targets: no line over 80, the blocked hop is the first line and
    is in the diagram, its group is shown, and the rest are folded with counts."""
    text = graph_text.render(traffic_graph(_alb_graph()), 80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0] == "✗ blocked: target group web-tg → 10.0.1.4:80"
    assert "[✗] 10.0.1.4:80" in text
    assert "◂ SG ✗ sg-00000000000000004 (app-4)" in text
    assert "… 9 more guards folded: ✓ 9" in text
    assert "… 3 more targets folded: ✓ 3" in text
    # Three groups in the focus header (the blocked hop's neighbours), the same three in the diagram.
    assert len([line for line in lines if "◂ SG" in line]) == 6
    assert "10.0.1.5:80" not in text  # folded means counted, not listed elsewhere


def test_narrow_pane_stays_within_its_width():
    """At 34 columns (the TUI's narrowest pane) every line still fits."""
    for width in (34, 40, 60):
        assert max(len(line) for line in graph_text.render(_alb_graph(), width).splitlines()) <= width


def test_marks_carry_the_meaning_without_colour():
    """Plain text only: no escape sequences, and ✓ ✗ on the nodes and edges."""
    text = graph_text.render(_alb_graph(), 80)
    assert "\x1b" not in text and "[✓] web-alb (internet-facing)" in text and "├─✗" in text


def test_hostile_labels_are_cleaned():
    """A label with terminal escapes and newlines is one line of inert text."""
    g = PathGraph([PathNode("viewer", "viewer", "evil\x1b]52;c;aGk=\x07\nhost\x1b[2J", "ok")], [])
    text = graph_text.render(g, 80)
    assert "\x1b" not in text and "\x07" not in text
    assert "[✓] evil" in text and "host" in text
