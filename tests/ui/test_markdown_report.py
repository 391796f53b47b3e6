"""The incident report in Markdown: the path as a Mermaid graph, every finding with its evidence and
fix, the timeline — and text from HTTP or AWS that stays inert text, with secrets redacted."""

from __future__ import annotations

import json

from wizard.diagnose import Diagnosis
from wizard.engine.facts import Symptom
from wizard.engine.flow import Node
from wizard.engine.walk import Step
from wizard.model import Finding, PathEdge, PathGraph, PathNode, ProbeOutcome, Unknown
from wizard.redact import Redactor
from wizard.report.markdown_report import export, mermaid, render

END = Node(id="verdict", kind="end", title="Verdict", why="Every root cause found.", result="verdict")


def _finding(fid: str, evidence=("the viewer request got 403 AccessDenied",), fix="aws s3api put-bucket-cors",
             severity: str = "root-cause") -> Finding:
    return Finding(id=fid, layer="s3", severity=severity, title=f"title of {fid}", why="because", evidence=list(evidence),
                   fix=fix, docs="https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html")


def _diagnosis(findings, path=None, unknowns=()) -> Diagnosis:
    path = path or PathGraph([PathNode("viewer", "viewer", "viewer → d1.cloudfront.net", "ok"),
                              PathNode("bucket", "bucket", "s3://assets", "blocked")],
                             [PathEdge("viewer", "bucket", "blocked", "s3.cors.missing: no CORS rules")])
    return Diagnosis(symptom=Symptom(url="https://d1.cloudfront.net/a.js", page_origin="https://app.example.com",
                                     complaint="cors"),
                     end=END, findings=list(findings), unknowns=list(unknowns),
                     probes=[ProbeOutcome("aws.bucket_cors", "ok", 12.0, data={"rules": None}, aws_calls=1)],
                     path=path, steps=[Step("cors_checks", "check", "Does the page's origin get CORS headers?",
                                            "s3.cors.missing", ["s3.cors.missing"])],
                     aws_calls=1, elapsed_ms=340.0)


def test_report_has_the_path_as_mermaid_and_each_root_cause_with_its_fix():
    """The report draws the path (blocked hop styled) and lists the root cause, its evidence and its fix."""
    text = render(_diagnosis([_finding("s3.cors.missing")]))
    assert "```mermaid\nflowchart TD" in text
    assert 'n0 -->|"✗ blocked"| n1' in text and "class n1 blocked" in text
    assert "### 1. title of s3.cors.missing" in text
    assert "- the viewer request got 403 AccessDenied" in text
    assert "```sh\naws s3api put-bucket-cors\n```" in text
    assert "| 1 | Does the page's origin get CORS headers? | check | s3.cors.missing |" in text


def test_mermaid_labels_cannot_close_the_node_or_inject_directives():
    """A hostile label (quotes, brackets, a newline) stays inside its quoted node label."""
    graph = PathGraph([PathNode("a", "viewer", 'x"] --> evil["y\nclick a call alert()', "ok")], [])
    node_line = mermaid(graph)[1]
    assert node_line.startswith('  n0["') and node_line.endswith('"]')
    assert node_line[len('  n0["'):-2].count('"') == 0 and "\n" not in node_line


def test_evidence_from_aws_cannot_become_a_link_or_html():
    """Markdown and HTML in evidence are escaped: no link, no tag."""
    text = render(_diagnosis([_finding("s3.cors.missing",
                                       evidence=["[click](javascript:alert(1)) <img src=x onerror=alert(1)>"])]))
    assert "\\[click\\](javascript:alert(1)) \\<img src=x onerror=alert(1)\\>" in text
    assert "[click](" not in text


def test_a_fix_with_backticks_gets_a_longer_fence():
    """A fix that contains ``` is fenced with four backticks, so it cannot end the block early."""
    text = render(_diagnosis([_finding("s3.cors.missing", fix="echo ```\nrm -rf /")]))
    assert "````sh\necho ```\nrm -rf /\n````" in text


def test_known_secrets_are_redacted():
    """A secret registered with the session's redactor never reaches the file."""
    redactor = Redactor(secrets=["s3cr3t-referer-value"])
    text = render(_diagnosis([_finding("s3.website.referer-mismatch",
                                       evidence=["policy wants aws:Referer s3cr3t-referer-value"])]), redactor)
    assert "s3cr3t-referer-value" not in text and "[REDACTED]" in text


def test_unknowns_and_manual_checks_are_listed():
    """What could not be checked, and what the person saw by hand, are in the report."""
    text = render(_diagnosis([], unknowns=[Unknown("s3", "the bucket policy", "s3:GetBucketPolicy was denied")]),
                  notes=[("aws.bucket_policy", "grants only E1OLD")])
    assert "- [s3] the bucket policy: s3:GetBucketPolicy was denied" in text
    assert "- `aws.bucket_policy`: grants only E1OLD" in text


def test_export_writes_markdown_and_json_side_by_side(tmp_path):
    """export() writes BASE.md and BASE.json; the JSON names the journal and what a re-check changed."""
    md, js = export(_diagnosis([_finding("s3.cors.missing")]), tmp_path / "out" / "incident",
                    journal="/tmp/walk.jsonl", changes={"fixed": ["s3.object-missing"], "new": [], "still": []})
    assert md.name == "incident.md" and js.name == "incident.json"
    data = json.loads(js.read_text())
    assert data["root_causes"] == ["s3.cors.missing"]
    assert data["journal"] == "/tmp/walk.jsonl" and data["recheck"]["fixed"] == ["s3.object-missing"]
    assert "- fixed: `s3.object-missing`" in md.read_text()


def test_mermaid_of_the_graph_escapes_hostile_group_names_and_rules():
    """A security group name or rule with quotes, backticks, brackets and a newline stays inside its
    quoted label and cannot close the Markdown fence around the chart; guards and references are drawn."""
    hostile = 'x"]\n```\nclick n0 "javascript:alert(1)" <b>#'
    graph = PathGraph([PathNode("alb", "alb", "web-alb", "ok"),
                       PathNode("sg:a", "security-group", f"sg-a ({hostile})", "blocked"),
                       PathNode("sg:b", "security-group", "sg-b", "blocked")],
                      [PathEdge("sg:a", "alb", "blocked", "", kind="guards"),
                       PathEdge("sg:a", "sg:b", "blocked", hostile, port=f"tcp/80{hostile}", kind="refers")])
    lines = mermaid(graph)
    assert lines[2].startswith('  n1{{"SG sg-a (') and lines[2].endswith('"}}')
    body = "\n".join(lines)
    assert "`" not in body and "<b>" not in body and "javascript" in body
    assert all(line.count('"') in (0, 2, 4) for line in lines)
    assert "  n1 -.-|guards| n0" in lines
    assert any(line.startswith("  n1 ==>|\"rule ✗ tcp/80x#quot;]") and line.endswith("| n2") for line in lines)
