"""Provides TrainAnswerScreen: the trainee commits what they think is wrong — findings picked from the
catalogue (space to tick; typing in the filter narrows the list) and/or their own words. Committing
is final: the verdict and the check show from then on."""

from __future__ import annotations

import re
from typing import Optional

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static

from ..display import line, toast


def finding_choices():
    """(id, title) for every finding in the catalogue, sorted by id."""
    from ...playbooks import load

    specs = load().catalog.specs
    # Titles are templates ("Bucket policy of {bucket} ..."): shown with <bucket>, as an unnamed value reads.
    return [(fid, re.sub(r"\{(\w+)\}", r"<\1>", specs[fid].title)) for fid in sorted(specs)]


class TrainAnswerScreen(ModalScreen[Optional[object]]):
    """Dismisses with an Answer (None when cancelled)."""

    BINDINGS = [Binding("escape", "close", "Cancel"), Binding("ctrl+s", "commit", "Commit", priority=True)]
    DEFAULT_CSS = """
    TrainAnswerScreen #dialog { width: 100; height: 90%; }
    TrainAnswerScreen SelectionList { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.choices = finding_choices()
        self.picked = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(line(("Your answer", "bold"), "\n",
                              ("Tick the findings you think the lab had (space), and/or say it in your words. "
                               "Ctrl+S commits (final: the check and the verdict show next); Esc goes back.",
                               "$text-muted")))
            yield Input(placeholder="filter the findings (e.g. cors, policy, sg)", id="answer-filter")
            yield SelectionList(*self._items(""), id="answer-findings")
            yield Input(placeholder="in your words: what was wrong, what you changed", id="answer-text")

    def _items(self, needle: str):
        needle = needle.lower().strip()
        return [(line(fid, ("  " + title, "$text-muted")), fid, fid in self.picked) for fid, title in self.choices
                if not needle or needle in fid.lower() or needle in title.lower()]

    def on_mount(self) -> None:
        box = self.query_one("#answer-findings", SelectionList)
        box.highlighted = 0  # so that space ticks the first finding at once
        box.focus()

    @on(SelectionList.SelectionToggled)
    def _ticked(self, event: SelectionList.SelectionToggled) -> None:
        # Kept here, not read back from the list: the filter rebuilds the list, and ticks must survive it.
        value = event.selection.value
        if value in event.selection_list.selected:
            self.picked.add(value)
        else:
            self.picked.discard(value)

    @on(Input.Changed, "#answer-filter")
    def _filter(self, event: Input.Changed) -> None:
        box = self.query_one("#answer-findings", SelectionList)
        box.clear_options()
        box.add_options(self._items(event.value))
        box.highlighted = 0 if box.option_count else None

    @on(Input.Submitted, "#answer-text")
    def _submitted(self) -> None:
        self.action_commit()

    def action_commit(self) -> None:
        from ...training.attempt import Answer

        answer = Answer(tuple(fid for fid, _ in self.choices if fid in self.picked),
                        self.query_one("#answer-text", Input).value.strip())
        if answer.empty:
            toast(self, "Pick at least one finding (space) or write what you think is wrong.", severity="warning")
            return
        self.dismiss(answer)

    def action_close(self) -> None:
        self.dismiss(None)

