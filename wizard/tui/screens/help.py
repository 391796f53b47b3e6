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

# Every mark the walk and verdict screens draw, by where it appears (the same mark can mean different
# things in different places, so each place has its own list; tests/ui/test_walk_layout.py checks
# that the marks the screens use are all here).
MARK_GROUPS = [
    ("On the path (the graph)", [
        ("✓", "allowed: this hop lets the request through"),
        ("✗", "blocked: the request stops here; the deciding rule is written under it"),
        ("?", "unknown: could not be checked, which is not the same as allowed"),
        ("[✓]", "a hop (viewer, distribution, behavior, origin, load balancer, targets...)"),
        ("◂ SG / NACL", "a security group or network ACL guarding the hop above it"),
        ("↳ rule", "a group's rule that points at another group (which may be attached to nothing)"),
    ]),
    ("In the steps list", [
        ("1 2 3", "the step's number: \"Step N\" in the step pane is line N of the list"),
        ("▶", "the current step (Enter runs it or moves on)"),
        ("•", "a probe step whose probes ran (what they found is in the step, in words)"),
        ("!", "a probe of this step could not read what it needed (that part stays unknown)"),
        ("✓", "the check found nothing wrong"),
        ("✗", "the check found a fault (with how many)"),
        ("i", "the check noted something worth knowing, not a fault"),
        ("→", "a fork in the playbook, and the way the walk went"),
        ("?", "a question you answered, and your answer"),
        ("●", "the end of the walk (the verdict, or where it stops)"),
    ]),
    ("Probes (words, not verdicts: a probe that ran may well have found the bug)", [
        ("• ran", "the probe read what it needed; what it found follows in words"),
        ("! denied", "AWS refused the read (the missing permission is named)"),
        ("! error", "the probe could not run (network, throttling...)"),
        ("– skipped", "does not apply, or cancelled, or a probe it needs had nothing"),
        ("· / ⠋", "queued / running"),
    ]),
    ("Panes", [
        ("▶ ┏━┓", "a ▶ in the title and a heavy border: the pane with the focus (Tab moves it)"),
    ]),
]

KEYS = [
    ("Intake", [("⏎ / Ctrl+S", "start the walk"), ("paste", "a console error into the box: URL, status, CORS")]),
    ("Walk", [("⏎", "run the probes / next step / answer / open the verdict"),
              ("Tab", "next pane: path, steps, step"),
              ("↑↓ in Steps", "show what a past step saw (nothing runs again); ⏎ comes back"),
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
    for place, marks in MARK_GROUPS:
        parts += [("  " + place, "italic"), "\n"]
        for mark, meaning in marks:
            parts += [(f"    {mark:<11}", "bold"), meaning, "\n"]
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
