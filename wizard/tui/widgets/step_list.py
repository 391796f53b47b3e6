"""Provides StepList: the walk so far, one numbered line per playbook step (probed, checked, branched,
answered) with what it gave, and the current step marked ▶. The numbers are the walk's one
numbering: the step pane's "Step N" is line N here. Moving the cursor to a past line lets the walk
screen show what that step saw."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...redact import Redactor
from ...report.walk_words import branch_words
from ..display import line


Severity = Callable[[str], str]


def step_line(step: Any, redactor: Optional[Redactor] = None, severity: Optional[Severity] = None,
              hide_checks: bool = False) -> Content:
    """One finished step as a line: a mark, its title, and (for branches, answers, checks) what it gave.
    `severity(finding_id)` tells a check that found only something worth knowing from one that found a fault."""
    detail = step.detail or ""
    if step.kind == "probe":
        # A probe step's mark says whether its reads worked (• ran, ! not), never whether what they read
        # is fine: ✓ and ✗ are the checks' and the path's.
        bad = any(f": {s}" in detail for s in ("denied", "error"))
        return line(("! " if bad else "• ", "$text-warning" if bad else "$text-muted"), step.title,
                    redactor=redactor)
    if step.kind == "check" and hide_checks:  # training: what a check found is the verdict, held back
        return line(("· ", "$text-muted"), step.title, (" — checked (hidden until you answer)", "$text-muted"),
                    redactor=redactor)
    if step.kind == "check":
        faults = [h for h in step.hits if severity is None or severity(h) != "info"]
        if step.hits and not faults:
            return line(("i ", "$text-accent"), step.title, (" — noted", "$text-accent"), redactor=redactor)
        if faults:
            return line(("✗ ", "$text-error bold"), step.title, (f" — {len(faults)} found", "$text-error"),
                        redactor=redactor)
        return line(("✓ ", "$text-success"), step.title, redactor=redactor)
    if step.kind == "branch":
        return line(("→ ", "$text-muted"), step.title, (f" {branch_words(detail)}", "$text-muted"),
                    redactor=redactor)
    if step.kind == "question":
        return line(("? ", "$text-accent"), step.title, (f": {detail}", "$text-accent"), redactor=redactor)
    return line(("● ", "bold"), step.title, redactor=redactor)


class StepList(OptionList):
    """The steps walked so far and the current one."""

    DEFAULT_CSS = """
    StepList, StepList:focus {
        border: none; padding: 0; background: transparent; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: Optional[str] = None) -> None:
        super().__init__(id=id)
        self.steps: List[Any] = []  # the finished steps listed (line i + 1 is steps[i])

    def show(self, steps: Sequence[Any], current: Optional[str] = None, current_title: str = "",
             redactor: Optional[Redactor] = None, severity: Optional[Severity] = None,
             hide_checks: bool = False) -> None:
        """Replace the list: finished `steps`, then the current node (▶) unless it is already the last step.
        `hide_checks` (training, before the answer) leaves out what each check found."""
        self.steps = list(steps)
        prompts: List[Content] = [step_line(s, redactor, severity, hide_checks) for s in steps]
        if current and (not steps or steps[-1].node != current):
            prompts.append(line(("▶ ", "$text-accent bold"), (current_title, "bold"), redactor=redactor))
        width = len(str(len(prompts)))
        self.set_options([Option(Content.assemble((f"{n:>{width}} ", "$text-muted"), p))
                          for n, p in enumerate(prompts, 1)])
        if prompts:
            self.highlighted = len(prompts) - 1
