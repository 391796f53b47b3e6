"""Provides the plain-text report a person reads in a terminal (and `lab run` prints)."""

from __future__ import annotations

import shutil
import textwrap
from typing import List, Optional

from ..diagnose import Diagnosis
from ..model import Finding
from ..probes.specs import PROBES
from ..redact import Redactor
from ..untrusted import sanitize
from . import no_root_cause_sentence
from .probe_words import status_word

_MARK = {"ok": "✓", "blocked": "✗", "unknown": "?"}


def _wrap(text: str, indent: str, width: int, redactor: Optional[Redactor] = None,
          hang: str = "") -> List[str]:
    # Cleaned and redacted before wrapping: a URL cut across two lines would hide its signature
    # from the redactor. Lines break at spaces only: a bucket name, an ARN or a key cut in two
    # (at a hyphen or mid-word) could not be searched for or copied.
    out: List[str] = []
    for para in sanitize(text, redactor).splitlines() or [""]:
        out.extend(textwrap.wrap(para, width=max(20, width), initial_indent=indent, subsequent_indent=hang or indent,
                                 break_long_words=False, break_on_hyphens=False) or [indent])
    return out


def _finding(n: int, f: Finding, width: int, redactor: Optional[Redactor] = None) -> List[str]:
    lines = _wrap(f"{n:>2}. [{f.layer}] {f.title}", "", width, redactor, hang="    ") + [f"    id: {f.id}"]
    lines += _wrap(f.why, "    ", width, redactor)
    if f.evidence:
        lines.append("    Evidence:")
        for item in f.evidence:
            lines += _wrap(f"- {item}", "      ", width, redactor, hang="        ")
    lines.append("    Fix:")
    lines += ["      " + line for line in f.fix.splitlines()]
    lines += _wrap(f"Docs: {f.docs}", "    ", width, redactor, hang="      ")
    return lines


def path_line(diagnosis: Diagnosis) -> str:
    """The path in one line: hops with ✓ ✗ ? marks."""
    parts = []
    by_dst = {e.dst: e for e in diagnosis.path.edges}
    for node in diagnosis.path.nodes:
        edge = by_dst.get(node.id)
        mark = _MARK.get(edge.status, "?") if edge else ""
        parts.append(f"{mark} {node.label}".strip())
    return " → ".join(parts)


def render(diagnosis: Diagnosis, redactor: Optional[Redactor] = None, width: Optional[int] = None) -> str:
    """The report as text (cleaned and redacted)."""
    width = width or min(100, shutil.get_terminal_size((100, 24)).columns)
    sym = diagnosis.symptom
    lines = _wrap(f"edgewiz: {sym.url}" + (f"  (page origin {sym.page_origin})" if sym.page_origin else ""), "",
                  width, redactor, hang="  ")
    answer = next((p for p in diagnosis.probes if p.name == "http.viewer" and p.ok), None)
    if answer and answer.data:
        from ..analysis.edge.responder import classify

        lines += _wrap("What answered: " + classify(answer.data).summary, "", width, redactor)
    lines += _wrap("Path: " + path_line(diagnosis), "", width, redactor, hang="  ")
    lines.append("")
    roots = diagnosis.root_causes
    others = [f for f in diagnosis.findings if f.severity != "root-cause"]
    if roots:
        lines += _wrap(f"{len(roots)} root cause{'s' if len(roots) > 1 else ''}, in the order the request meets them"
                       + (" (the browser hits #1 first):" if len(roots) > 1 else ":"), "", width, redactor)
        for i, f in enumerate(roots, 1):
            lines.append("")
            lines += _finding(i, f, width, redactor)
    elif diagnosis.end.result == "verdict":
        lines += _wrap(no_root_cause_sentence(diagnosis) or "", "", width, redactor)
    else:
        lines += _wrap(f"Stopped: {diagnosis.end.title}", "", width, redactor, hang="  ")
        lines += _wrap(diagnosis.end.why, "  ", width, redactor)
    if others:
        lines += ["", "Also worth knowing:"]
        for i, f in enumerate(others, 1):
            lines.append("")
            lines += _finding(i, f, width, redactor)
    if diagnosis.unknowns:
        lines += ["", "Could not check (unknown, not ok):"]
        for u in diagnosis.unknowns:
            lines += _wrap(f"- [{u.layer}] {u.what}: {u.reason}", "  ", width, redactor)
    failed = [p for p in diagnosis.probes if p.status in ("denied", "error")]
    if failed:
        lines += ["", "Probes that could not run:"]
        for p in failed:
            action = f" (missing {p.missing_action})" if p.missing_action else ""
            title = PROBES[p.name].title if p.name in PROBES else p.name
            lines += _wrap(f"- {title} [{p.name}]: {p.status}{action}: {p.error}", "  ", width, redactor, hang="    ")
    statuses = {}
    for p in diagnosis.probes:
        statuses[p.status] = statuses.get(p.status, 0) + 1
    counts = ", ".join(f"{n} {status_word(s)}" for s, n in sorted(statuses.items()))
    lines += [""] + _wrap(f"Probes: {len(diagnosis.probes)} ({counts}); {diagnosis.aws_calls} AWS calls (read-only); "
                          f"{diagnosis.elapsed_ms:.0f} ms", "", width, redactor, hang="  ")
    return sanitize("\n".join(lines), redactor) + "\n"
