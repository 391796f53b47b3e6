"""CloudFront Function code is untrusted text: the line the finding quotes as the code path reaches
every report, the journal and the TUI's probe detail as inert characters (no escape survives, markup
shows as what it is made of, bidi overrides are gone)."""

from __future__ import annotations

import json

import pytest
from wizard.report import json_report, markdown_report, text_report

from .conftest import journaled_lab_walk, trust_scenario
from .hostile import shows_markup_literally, unsafe_characters
from .tui_screen import draw

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def function_lab(tmp_path_factory):
    """The hostile-function-code scenario walked once in the lab (the function's code runs in V8)."""
    return journaled_lab_walk(trust_scenario("hostile-function-code"), tmp_path_factory.mktemp("journal"))


def test_the_hostile_code_is_still_diagnosed_and_quoted(function_lab):
    _, diagnosis = function_lab
    (finding,) = diagnosis.root_causes
    assert finding.id == "cf.function.generated-response"
    assert "statusCode: 403" in " ".join(finding.evidence)


def test_text_report_of_hostile_function_code_is_inert(function_lab):
    session, diagnosis = function_lab
    out = text_report.render(diagnosis, session.redactor, width=100)
    assert unsafe_characters(out) == []
    assert shows_markup_literally(out)
    assert "evil" in out and "live" not in out


def test_json_and_markdown_reports_of_hostile_function_code_are_inert(function_lab):
    session, diagnosis = function_lab
    out = json_report.render(diagnosis, session.redactor)
    assert unsafe_characters(json.dumps(json.loads(out), ensure_ascii=False)) == []
    assert shows_markup_literally(json.dumps(json.loads(out)["findings"], ensure_ascii=False))
    md = markdown_report.render(diagnosis, session.redactor)
    assert unsafe_characters(md) == [] and "\\[bold\\]x\\[/bold\\]" in md


def test_journal_keeps_the_code_as_escaped_data(function_lab):
    session, _ = function_lab
    raw = session.journal.path.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    assert b"[link=file:///etc/passwd]x[/link]" in raw


async def test_tui_probe_detail_of_the_function_code_is_inert(function_lab):
    from wizard.tui.screens.probe_detail import ProbeDetailScreen

    session, diagnosis = function_lab
    outcome = next(p for p in diagnosis.probes if p.name == "aws.edge_functions")
    drawn = await draw(ProbeDetailScreen("aws.edge_functions", outcome, session.redactor))
    assert unsafe_characters(drawn) == []
    assert "[bold]x[/bold]" in "".join(drawn.split())
