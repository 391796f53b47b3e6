"""Provides the one way the app turns text into something on screen: cleaned of control sequences,
redacted with the session's Redactor, and wrapped in a Textual `Content` (which never parses
markup), with the status marks and colours the screens share.

Everything from HTTP, AWS or logs reaches a widget through here, so a header value cannot style
itself, clear the screen or write to the clipboard.
"""

from __future__ import annotations

from typing import Optional, Tuple, Union

from textual.content import Content

from ..redact import Redactor
from ..untrusted import sanitize

# Marks carry the meaning without colour (NO_COLOR, monochrome terminals, screen readers).
MARK = {"ok": "✓", "blocked": "✗", "unknown": "?", "denied": "✗", "error": "!", "skipped": "–",
        "queued": "·", "running": "⠋"}
STYLE = {"ok": "$text-success", "blocked": "$text-error bold", "unknown": "$text-warning",
         "denied": "$text-error bold", "error": "$text-error", "skipped": "$text-muted", "queued": "$text-muted",
         "running": "$text-accent bold"}
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

Part = Union[str, Content, Tuple[str, str]]


def text(value: object, redactor: Optional[Redactor] = None) -> str:
    """Untrusted text made safe to show: control sequences stripped, secrets redacted."""
    return sanitize(value, redactor)


def toast(widget, message: object, *, severity: str = "information", redactor: Optional[Redactor] = None) -> None:
    """A notification with its text shown as written: cleaned, redacted, and markup=False, so a
    path like `/tmp/a[/b]/x.md` cannot raise MarkupError and `[incident]` stays on screen."""
    widget.notify(sanitize(message, redactor), severity=severity, markup=False)


def plain(value: object, style: str = "", redactor: Optional[Redactor] = None) -> Content:
    """Untrusted text as Content (no markup is parsed), optionally styled."""
    return Content.styled(text(value, redactor), style)


def line(*parts: Part, redactor: Optional[Redactor] = None) -> Content:
    """Content assembled from (text, style) pairs and plain strings, every piece cleaned and redacted."""
    safe = []
    for part in parts:
        if isinstance(part, Content):
            safe.append(part)
        elif isinstance(part, tuple):
            safe.append((text(part[0], redactor), part[1]))
        else:
            safe.append(text(part, redactor))
    return Content.assemble(*safe)


def mark(status: str) -> Tuple[str, str]:
    """The (mark, style) pair for a hop or probe status."""
    return MARK.get(status, "?"), STYLE.get(status, "")
