"""The SVG view of the traffic graph (report/graph_svg) for incident docs: on a real lab diagnosis of
the seed-003 504 it parses as XML and carries the blocked edge with its rule and the lonely group;
hostile labels come out escaped; `edgewiz lab run --svg FILE` writes it and a bad path is one line."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from wizard.lab.scenario import load_scenario
from wizard.model import PathEdge, PathGraph, PathNode
from wizard.report import graph_svg

NS = "{http://www.w3.org/2000/svg}"


def _groups(root, cls: str):
    return [g for g in root.iter(f"{NS}g") if g.get("class", "").split()[:1] == [cls]]


def _words(el) -> str:
    return " ".join(" ".join(el.itertext()).split())


@pytest.mark.lab
def test_seed_003_svg_has_the_blocked_edge_its_rule_and_the_lonely_group(lab_runs):
    d = lab_runs(load_scenario("alb-504-ghost-sg-reference")).diagnosis
    root = ET.fromstring(graph_svg.render(d.graph))
    blocked = [g for g in _groups(root, "edge") if g.get("class") == "edge hop blocked"]
    assert blocked and all(g.get("data-src") == "tg:web-tg" and g.get("data-dst").startswith("target:")
                           for g in blocked)
    first = _words(blocked[0])
    assert "✗ tcp/80" in first and "ecs-existing" in first and "not attached" in first  # the rule, drawn
    lonely = [g for g in _groups(root, "node") if "security-group" in g.get("class") and "alb-allow-all" in _words(g)]
    assert len(lonely) == 1 and "attached to nothing" in _words(lonely[0]) and "blocked" in lonely[0].get("class")
    refers = [g for g in _groups(root, "edge") if g.get("class").startswith("edge refers")]
    assert any(g.get("data-dst") == lonely[0].get("data-id") for g in refers)
    heads = " ".join(_words(t) for t in root.iter(f"{NS}text") if t.get("class") == "head")
    assert heads.startswith("✗ blocked: target group web-tg →")


def test_hostile_labels_are_escaped():
    """<script>, & and quotes in labels, rules and ids stay text: the SVG parses, holds no element
    but its own, and the text reads back as written; control characters are dropped."""
    hostile = '<script>alert("x")</script> & \'q\' \x1b]52;c;ZXZpbA==\x07'
    g = PathGraph([PathNode("viewer", "viewer", "viewer", "ok"),
                   PathNode('b"><script>', "bucket", hostile, "blocked", detail=hostile)],
                  [PathEdge("viewer", 'b"><script>', "blocked", f"rule {hostile}", port="tcp/80")])
    svg = graph_svg.render(g, title=hostile)
    root = ET.fromstring(svg)
    assert {el.tag.replace(NS, "") for el in root.iter()} <= {"svg", "title", "defs", "marker", "path", "rect",
                                                             "g", "text", "line"}
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg
    texts = " ".join(_words(t) for t in root.iter(f"{NS}text"))
    assert '<script>alert("x")</script> & \'q\'' in texts
    assert "\x1b" not in svg and "ZXZpbA" not in svg
    (node,) = [g for g in _groups(root, "node") if g.get("data-id") != "viewer"]
    assert node.get("data-id") == 'b"><script>'


@pytest.mark.lab
def test_lab_run_svg_writes_the_file_and_a_bad_path_is_one_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "EDGEWIZ_QUIET": "1", "HOME": str(Path.home())}
    bad = subprocess.run([sys.executable, "-m", "wizard", "lab", "run", "alb-504-ghost-sg-reference",
                          "--svg", str(tmp_path / "missing" / "g.svg")], capture_output=True, text=True, timeout=60,
                         env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0 and "does not exist" in bad.stderr
    out = tmp_path / "g.svg"
    ok = subprocess.run([sys.executable, "-m", "wizard", "lab", "run", "alb-504-ghost-sg-reference", "--svg", str(out)],
                        capture_output=True, text=True, timeout=180, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "1 root cause" in ok.stdout
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert any(g.get("class") == "edge hop blocked" for g in root.iter(f"{NS}g"))
