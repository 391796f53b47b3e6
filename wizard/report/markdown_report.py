"""Provides the incident report in Markdown (timeline, evidence, findings, fixes, the path as a
Mermaid graph) and export(), which writes it next to the JSON report.

Text that came from HTTP, AWS or logs is cleaned of control sequences, redacted, and escaped so it
cannot become a link, an HTML tag or a Mermaid directive in whatever renders the file.
"""

from __future__ import annotations

import contextvars
import re
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..diagnose import Diagnosis
from ..model import Finding, PathGraph
from ..redact import MARK, Redactor
from .probe_words import found, status_word
from .walk_words import branch_words
from ..untrusted import clean, sanitize
from . import no_root_cause_sentence

__all__ = ["render", "mermaid", "export"]

_MARK = {"ok": "✓", "blocked": "✗", "unknown": "?"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_ESCAPED_MARK_FREE = re.compile(re.escape(_MD_SPECIAL.sub(r"\\\1", MARK)) + r"(?![(:])")


# The Redactor of the render in progress: text is redacted before it is escaped, because escaping
# (`access_token` -> `access\_token`) would hide a secret's name or value from the redactor.
_REDACTOR: contextvars.ContextVar[Optional[Redactor]] = contextvars.ContextVar("markdown_redactor", default=None)


def _md(text: Any) -> str:
    """Untrusted text as inert Markdown: one line, redacted, every markup character backslash-escaped."""
    escaped = _MD_SPECIAL.sub(r"\\\1", sanitize(text, _REDACTOR.get()).replace("\n", " ").strip())
    # The mark reads as written; never right before `(` or `:`, where `[REDACTED](url)` would be a link.
    return _ESCAPED_MARK_FREE.sub(MARK, escaped)


def _fence(text: str, lang: str = "") -> List[str]:
    """A fenced code block longer than any backtick run inside it, so the content cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + lang, sanitize(text, _REDACTOR.get()).rstrip("\n"), fence]


def _mermaid_label(text: str) -> str:
    # Inside a quoted Mermaid label only the quote needs an entity; '#' starts one, so it is encoded
    # too; a backtick run could close the Markdown fence around the chart, so backticks are entities.
    text = " ".join(sanitize(text, _REDACTOR.get()).split())
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(char, entity)
    return text


def mermaid(path: PathGraph) -> List[str]:
    """The traffic graph as a Mermaid flowchart: each hop's verdict and port on its edge, the security
    groups and network ACLs as nodes joined to what they guard (dotted), the group references their
    rules make (thick), blocked nodes in red."""
    ids: Dict[str, str] = {node.id: f"n{i}" for i, node in enumerate(path.nodes)}
    lines = ["flowchart TD"]
    for node in path.nodes:
        word = {"security-group": "SG ", "network-acl": "NACL "}.get(node.kind, "")
        shape = ('{{"', '"}}') if word else ('["', '"]')
        lines.append(f"  {ids[node.id]}{shape[0]}{_mermaid_label(word + node.label)}{shape[1]}")
    for edge in path.edges:
        src, dst = ids.get(edge.src), ids.get(edge.dst)
        if src is None or dst is None:
            continue
        kind = getattr(edge, "kind", "hop")
        if kind == "guards":
            lines.append(f"  {src} -.-|guards| {dst}")
            continue
        label = f"{_MARK.get(edge.status, '?')} {edge.status}"
        if getattr(edge, "port", ""):
            label += f" {edge.port}"
        if kind == "refers":
            label = f"rule {_MARK.get(edge.status, '?')} {getattr(edge, 'port', '')}".rstrip()
            lines.append(f'  {src} ==>|"{_mermaid_label(label)}"| {dst}')
            continue
        arrow = "-.->" if edge.status == "unknown" else "-->"
        lines.append(f'  {src} {arrow}|"{_mermaid_label(label)}"| {dst}')
    lines += ["  classDef ok stroke:#2e7d32,stroke-width:2px",
              "  classDef blocked fill:#fdecea,stroke:#c62828,stroke-width:2px",
              "  classDef unknown stroke:#f9a825,stroke-dasharray:4 3"]
    for status in ("ok", "blocked", "unknown"):
        members = [ids[n.id] for n in path.nodes if n.status == status]
        if members:
            lines.append(f"  class {','.join(members)} {status}")
    return lines


def _finding(n: int, f: Finding) -> List[str]:
    lines = [f"### {n}. {_md(f.title)}", "",
             # The id follows the words (for search), never the line's subject.
             f"layer {_md(f.layer)} · {f.severity} · `{f.id}`", "", _md(f.why), ""]
    if f.evidence:
        lines.append("**Evidence**")
        lines.append("")
        lines += [f"- {_md(item)}" for item in f.evidence]
        lines.append("")
    lines.append("**Fix**")
    lines.append("")
    lines += _fence(f.fix, "sh")
    lines += ["", f"Docs: <{f.docs}>" if f.docs.startswith("https://") else f"Docs: {_md(f.docs)}", ""]
    return lines


def _timeline(diagnosis: Diagnosis) -> List[str]:
    icon = {"probe": "probe", "check": "check", "branch": "branch", "question": "answer", "end": "end"}
    lines = ["| # | step | kind | result |", "|---|---|---|---|"]
    for i, step in enumerate(diagnosis.steps, 1):
        detail = branch_words(step.detail) if step.kind == "branch" else step.detail  # words, not "error-403"
        lines.append(f"| {i} | {_md(step.title)} | {icon.get(step.kind, step.kind)} | {_md(detail) or '—'} |")
    return lines


def _probes(diagnosis: Diagnosis) -> List[str]:
    lines = ["| probe | status | ms | AWS calls | found |", "|---|---|---|---|---|"]
    for p in diagnosis.probes:
        note = found(p)  # what it found, with values (or why it found nothing)
        if p.missing_action and p.missing_action not in note:
            note = f"missing {p.missing_action}: {note}"
        lines.append(f"| `{p.name}` | {status_word(p.status)} | {p.ms:.0f} | {p.aws_calls} | {_md(note) or '—'} |")
    return lines


def render(diagnosis: Diagnosis, redactor: Optional[Redactor] = None, journal: Optional[str] = None,
           notes: Sequence[Tuple[str, str]] = (), changes: Optional[Dict[str, List[str]]] = None,
           generated: Optional[float] = None) -> str:
    """The incident report as Markdown (cleaned, escaped and redacted).

    `notes` are (probe, what the person saw) pairs from manual routes; `changes` is what a re-check
    changed ({"fixed": [...], "still": [...], "new": [...]} finding ids).
    """
    token = _REDACTOR.set(redactor or Redactor())
    try:
        return _render(diagnosis, redactor, journal, notes, changes, generated)
    finally:
        _REDACTOR.reset(token)


def _render(diagnosis: Diagnosis, redactor: Optional[Redactor], journal: Optional[str],
            notes: Sequence[Tuple[str, str]], changes: Optional[Dict[str, List[str]]],
            generated: Optional[float]) -> str:
    sym = diagnosis.symptom
    when = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(generated or time.time()))
    roots = diagnosis.root_causes
    lines = [f"# Incident report: {_md(sym.url)}", "",
             "| | |", "|---|---|",
             f"| URL | {_md(sym.url)} |",
             f"| page origin | {_md(sym.page_origin) or '—'} |",
             f"| reported | {_md(sym.complaint) or '—'} |",
             f"| result | {diagnosis.end.result}: {_md(diagnosis.end.title)} |",
             f"| root causes | {len(roots)} |",
             f"| probes | {len(diagnosis.probes)}, {diagnosis.aws_calls} AWS calls (read-only), "
             f"{diagnosis.elapsed_ms:.0f} ms |",
             f"| generated | {when} |"]
    if journal:
        lines.append(f"| journal | `{clean(journal).replace('`', '')}` |")
    lines.append("")
    if changes:
        lines += ["## What the re-check changed", ""]
        for key, label in (("fixed", "fixed"), ("new", "newly found"), ("still", "still there")):
            for fid in changes.get(key) or []:
                lines.append(f"- {label}: `{clean(fid).replace('`', '')}`")
        lines.append("")
    lines += ["## Summary", ""]
    if roots:
        lines.append(f"{len(roots)} root cause(s), in the order the request meets them"
                     + (" (the browser hits #1 first):" if len(roots) > 1 else ":"))
        lines.append("")
        lines += [f"{i}. {_md(f.title)} (`{f.id}`)" for i, f in enumerate(roots, 1)]
    elif diagnosis.end.result == "verdict":
        lines.append(no_root_cause_sentence(diagnosis) or "")
    else:
        lines += [f"Stopped: {_md(diagnosis.end.title)}", "", _md(diagnosis.end.why)]
    lines += ["", "## The path", "", "```mermaid"] + mermaid(diagnosis.graph) + ["```", ""]
    deciding = [e for e in diagnosis.path.edges if e.status != "ok"]
    if deciding:
        labels = {n.id: n.label for n in diagnosis.path.nodes}
        lines += [f"- {_MARK.get(e.status, '?')} {_md(labels.get(e.src, e.src))} → {_md(labels.get(e.dst, e.dst))}: "
                  f"{_md(e.rule)}" for e in deciding]
        lines.append("")
    if roots:
        lines += ["## Root causes", ""]
        for i, f in enumerate(roots, 1):
            lines += _finding(i, f)
    others = [f for f in diagnosis.findings if f.severity != "root-cause"]
    if others:
        lines += ["## Also worth knowing", ""]
        for i, f in enumerate(others, 1):
            lines += _finding(i, f)
    if diagnosis.unknowns:
        lines += ["## Could not check (unknown, not ok)", ""]
        lines += [f"- [{_md(u.layer)}] {_md(u.what)}: {_md(u.reason)}" for u in diagnosis.unknowns]
        lines.append("")
    if notes:
        lines += ["## Checked by hand", ""]
        lines += [f"- `{clean(probe).replace('`', '')}`: {_md(text)}" for probe, text in notes]
        lines.append("")
    lines += ["## Timeline", ""] + _timeline(diagnosis) + ["", "## Probes", ""] + _probes(diagnosis) + [""]
    return sanitize("\n".join(lines), redactor)


def export(diagnosis: Diagnosis, base: Path, redactor: Optional[Redactor] = None, journal: Optional[str] = None,
           notes: Sequence[Tuple[str, str]] = (), changes: Optional[Dict[str, List[str]]] = None) -> Tuple[Path, Path]:
    """Write `base`.md (this report) and `base`.json (the JSON report); returns both paths."""
    from . import json_report

    base = Path(base)
    if base.suffix in (".md", ".json"):
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    md_path, json_path = base.with_name(base.name + ".md"), base.with_name(base.name + ".json")
    md_path.write_text(render(diagnosis, redactor, journal, notes, changes), encoding="utf-8")
    extra: Dict[str, Any] = {}
    if journal:
        extra["journal"] = journal
    if notes:
        extra["manual_checks"] = [{"probe": p, "saw": t} for p, t in notes]
    if changes:
        extra["recheck"] = changes
    json_path.write_text(json_report.render(diagnosis, redactor, extra or None) + "\n", encoding="utf-8")
    return md_path, json_path
