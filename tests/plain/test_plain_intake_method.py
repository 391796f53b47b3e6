"""Plain mode's intake asks the failing request's method (GET suggested): the answer reaches the
walk's symptom (and its journal), a prefilled method is the suggestion, and piped stdin takes it."""

from __future__ import annotations

from wizard.journal import read_journal
from wizard.plain.intake import Q_METHOD

from .test_plain_walk import Q_CHECK, Q_URL, journals, walk


def _symptom(tmp_path):
    (path,) = journals(tmp_path)
    return read_journal(path).header["symptom"]


def test_a_post_chosen_at_the_intake_is_the_walks_method(tmp_path, prompts, closed_port):
    """Choosing POST at the method question puts POST in the symptom the walk journals."""
    fake = prompts({Q_URL: f"http://127.0.0.1:{closed_port}/orders", Q_METHOD: "POST", Q_CHECK: "stop"})
    status, _ = walk(tmp_path)
    assert status == 0
    assert Q_METHOD in fake.asked
    assert _symptom(tmp_path)["method"] == "POST"


def test_enter_at_the_method_question_is_get(tmp_path, prompts, closed_port):
    """The suggestion is GET; taking it leaves the symptom without a method, as before."""
    prompts({Q_URL: f"http://127.0.0.1:{closed_port}/orders", Q_CHECK: "stop"})
    walk(tmp_path)
    assert _symptom(tmp_path).get("method") is None


def test_without_a_terminal_the_prefilled_method_is_taken_and_shown(tmp_path, prompts, closed_port):
    """Piped stdin: the launch method (a lab scenario's POST, say) is taken and printed with the intake."""
    prompts()
    status, out = walk(tmp_path, interactive=False, url=f"http://127.0.0.1:{closed_port}/orders", method="put")
    assert status == 0
    assert "   Method: PUT" in out
    assert _symptom(tmp_path)["method"] == "PUT"
