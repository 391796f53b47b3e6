"""The traffic graph (analysis/path_model) on real lab diagnoses: the seed-003 504 shows its security
groups as nodes, the group the ECS group's rule points at as a node attached to nothing, and the
blocked ALB → target edge with its rule; the stacked 403 blocks the bucket, object and CORS hops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wizard.analysis.path_model import unattached
from wizard.lab.scenario import load_scenario
from wizard.report import graph_text, json_report

pytestmark = pytest.mark.lab


def _ghost(lab_runs):
    return lab_runs(load_scenario("alb-504-ghost-sg-reference")).diagnosis


def test_seed_003_graph_has_the_groups_and_the_unattached_one(lab_runs):
    """The ALB's group guards the ALB, the ECS group guards each target, and the group its rule names
    is a node that guards nothing, joined to the ECS group by a blocked `refers` edge."""
    g = _ghost(lab_runs).graph
    labels = {n.id: n.label for n in g.nodes}
    guards = {(labels[e.src], e.dst) for e in g.edges if e.kind == "guards"}
    assert any("alb-cloudfront-only" in src and dst == "alb" for src, dst in guards), guards
    targets = [n.id for n in g.nodes if n.kind == "target"]
    assert targets and all(any("ecs-existing" in src and dst == t for src, dst in guards) for t in targets)
    (ghost,) = [n for n in unattached(g) if n.kind == "security-group"]
    assert "alb-allow-all" in ghost.label and "attached to nothing" in ghost.detail
    assert ghost.status == "blocked"
    (ref,) = [e for e in g.edges if e.kind == "refers" and e.dst == ghost.id]
    assert "ecs-existing" in labels[ref.src] and ref.status == "blocked" and ref.port == "tcp/80"


def test_seed_003_blocked_edge_alb_to_targets_carries_its_rule(lab_runs):
    """Every hop from the target group to a target is blocked on tcp/80 by the ECS group's rule."""
    g = _ghost(lab_runs).graph
    blocked = [e for e in g.edges if e.kind == "hop" and e.status == "blocked"]
    assert blocked and all(e.src == "tg:web-tg" and e.dst.startswith("target:") for e in blocked)
    for e in blocked:
        assert e.port == "tcp/80"
        assert "ecs-existing" in e.rule and "not attached" in e.rule


def test_seed_003_text_view_at_80_columns(lab_runs):
    """The terminal view names the blocked hop first and shows the lonely group, within 80 columns."""
    text = graph_text.render(_ghost(lab_runs).graph, 80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("✗ blocked: target group web-tg → ")
    head = " ".join(text.split("\n\n", 1)[0].split())  # the focus: the blocked hop and its neighbours
    assert "at 10.0." in head and "◂ SG ✗ sg-" in head and "(ecs-existing) ↳ rule tcp/80 from → SG ✗" in head
    assert "(alb-allow-all) · attached to nothing" in head
    assert "at web-alb (internet-facing): ◂ SG ✓ sg-" in head and "(alb-cloudfront-only)" in head


def test_stacked_403_graph_blocks_bucket_object_and_cors(lab_runs):
    """Bucket, object and CORS hops are ✗ on the graph; no security group appears (an S3 origin)."""
    d = lab_runs(load_scenario("asset-403-stacked")).diagnosis
    g = d.graph
    blocked = {(e.src, e.dst) for e in g.edges if e.status == "blocked"}
    assert blocked == {("origin", "bucket"), ("bucket", "object"), ("object", "page")}
    assert not [n for n in g.nodes if n.kind in ("security-group", "network-acl")]
    text = graph_text.render(g, 80)
    for label in ("[✗] s3://rails-assets-stg", "[✗] assets/application-4d5e6f.js", "[✗] page https://app.example.com"):
        assert label in text
    # The probes that read them ran: a blocked hop is not a failed probe.
    assert {p.name: p.status for p in d.probes}["aws.bucket_policy"] == "ok"


def test_json_report_has_the_graph(lab_runs):
    """The JSON report carries `graph` (nodes and edges, with kinds and ports) beside `path`."""
    report = json_report.as_dict(_ghost(lab_runs))
    kinds = {e["kind"] for e in report["graph"]["edges"]}
    assert kinds == {"hop", "guards", "refers"}
    assert any(n["kind"] == "security-group" for n in report["graph"]["nodes"])
    assert all(e["kind"] == "hop" for e in report["path"]["edges"])


def test_lab_run_graph_prints_the_diagram():
    """`edgewiz lab run … --graph` prints the diagram (80 columns when not a terminal), then the report."""
    out = subprocess.run([sys.executable, "-m", "wizard", "lab", "run", "alb-504-ghost-sg-reference", "--graph"],
                         capture_output=True, text=True, timeout=180,
                         env={"PATH": "/usr/bin:/bin", "EDGEWIZ_QUIET": "", "HOME": str(Path.home()),
                              "COLUMNS": "80", "NO_COLOR": "1"})
    assert out.returncode == 0, out.stderr
    head = out.stdout.split("\nedgewiz: ", 1)[0]
    assert head.startswith("✗ blocked: target group web-tg")
    assert max(len(line) for line in head.splitlines()) <= 80
    assert "\x1b" not in out.stdout
    assert "1 root cause" in out.stdout
