"""The F1 legend explains every mark the walk draws (steps list, probes, path graph, panes) and the
probes' words, so nothing on screen is a symbol the person has to guess."""

from __future__ import annotations

from types import SimpleNamespace

from wizard.tui.display import MARK
from wizard.tui.screens.help import MARK_GROUPS, help_content
from wizard.tui.widgets.pane import FOCUSED
from wizard.tui.widgets.step_list import step_line


def _marks_of_the_steps_list() -> set:
    """The first character of every kind of line step_line draws."""
    kinds = [("probe", "a: ok", []), ("probe", "a: denied", []), ("check", "", []), ("check", "", ["x"]),
             ("branch", "on = yes", []), ("question", "yes", []), ("end", "", [])]
    marks = {step_line(SimpleNamespace(kind=k, detail=d, hits=h, title="t")).plain.split()[0] for k, d, h in kinds}
    marks.add(step_line(SimpleNamespace(kind="check", detail="", hits=["x"], title="t"),
                        severity=lambda _fid: "info").plain.split()[0])
    return marks


def test_every_mark_on_the_walk_screen_is_in_the_legend():
    legend = help_content().plain
    marks = _marks_of_the_steps_list() | set(MARK.values()) | {"▶", FOCUSED.strip(), "◂", "↳", "[✓]"}
    assert {"→", "●", "i", "!", "✗", "✓", "?"} <= marks  # what the steps list draws today
    explained = {token for _place, rows in MARK_GROUPS for mark, _meaning in rows for token in mark.split()}
    missing = {m for m in marks if m not in explained and m != MARK["running"]} | ({"⠋"} - explained)
    assert not missing, f"marks not explained in F1: {sorted(missing)}"
    for word in ("ran", "denied", "error", "skipped"):
        assert word in explained
    for _place, rows in MARK_GROUPS:
        for mark, meaning in rows:
            assert f"{mark:<11}{meaning}" in legend  # drawn on the page, mark then meaning


def test_the_legend_says_where_each_mark_appears():
    legend = help_content().plain
    for place in ("On the path", "In the steps list", "Probes", "Panes"):
        assert place in legend
    assert "line N of the list" in legend  # one numbering for the step pane and the list
