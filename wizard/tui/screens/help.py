"""Provides HelpScreen: the keys, what the marks mean, and how the walk works, on one page that reads
at 80×24 (plain aligned text, not tables)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = ("edgewiz walks the troubleshooting playbook for a CloudFront 403, CORS or 504 error. Each step says "
         "what it checks and why, runs read-only probes (HTTP and AWS), and moves on. Every step is journaled: "
         "after a dropped SSH session, `edgewiz resume` continues.")

MARKS = [
    ("✓", "ok: the hop lets the request through; the probe read what it needed"),
    ("✗", "blocked (a hop) or denied (a probe: AWS refused the read)"),
    ("?", "unknown: could not be checked, which is not the same as ok"),
    ("!", "a probe failed (network, throttling...)"),
    ("–", "skipped: does not apply, or cancelled"),
]

KEYS = [
    ("Intake", [("⏎ / Ctrl+S", "start the walk"), ("paste", "a console error into the box: URL, status, CORS")]),
    ("Walk", [("⏎", "run the probes / next step / answer / open the verdict"),
              ("Esc", "cancel running probes (those not started come back skipped)"),
              ("b", "back one step (nothing is probed again)"),
              ("a", "auto-advance until a question"),
              ("c", "copy the command to look by hand (denied probe)"),
              ("m", "note what you saw when you looked by hand"),
              ("o", "the highlighted probe's raw data")]),
    ("Verdict", [("c", "copy the highlighted finding's fix (OSC 52, works over SSH)"),
                 ("f", "copy every root cause's fix"),
                 ("Space/PgDn", "scroll the details"),
                 ("r", "re-check: probe again after a fix, show what changed"),
                 ("e", "export the incident report (Markdown + JSON)"),
                 ("b / n", "back to the walk / a new walk")]),
    ("Everywhere", [("Tab, ↑↓", "move between panes, move in a list"),
                    ("Ctrl+P", "command palette"), ("Ctrl+T", "light / dark theme"),
                    ("F1", "this help"), ("Ctrl+Q", "quit (the journal keeps every step)")]),
]


def help_content() -> Content:
    """The help page as styled text."""
    parts = [("edgewiz\n", "bold $text-primary"), INTRO, "\n\n", ("Marks", "bold"),
             ("  (they mean the same without colour)\n", "$text-muted")]
    for mark, meaning in MARKS:
        parts += [(f"  {mark}  ", "bold"), meaning, "\n"]
    for section, keys in KEYS:
        parts += ["\n", (section, "bold"), "\n"]
        for key, does in keys:
            parts += [(f"  {key:<12}", "bold $text-accent"), does, "\n"]
    parts += ["\n", ("Over SSH in tmux, clipboard copies need: set -g set-clipboard on", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    """The help page."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="wide"):
            with VerticalScroll():
                yield Static(help_content())
            yield Static(Content.styled("Esc closes", "$text-muted"))

    def action_close(self) -> None:
        self.dismiss(None)
