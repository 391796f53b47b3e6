"""Text an attacker controls — HTTP headers and bodies from a hostile server, and AWS names (a policy
Sid, object keys, a distribution comment, page HTML) in a lab scenario — reaches every display path
as inert text: no escape sequence survives, markup shows as the characters it is made of."""

from __future__ import annotations

import json

import pytest
from wizard.cli import main
from wizard.diagnose import auto_answer
from wizard.http.client import HttpProber
from wizard.journal import read_journal
from wizard.probes.runner import ProbeRunner
from wizard.report import json_report, markdown_report, text_report
from wizard.walk_session import Target, WalkSession

from .conftest import journaled_lab_walk, trust_scenario
from .hostile import HOSTILE, shows_markup_literally, unsafe_characters
from .servers import Reply
from .tui_screen import draw

S3_DENIED = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied{HOSTILE}</Code>'
             f'<Message>Access Denied {HOSTILE}</Message><RequestId>{HOSTILE}</RequestId></Error>').encode()
PAGE = (f"<html><script src='https://d111111abcdef8.cloudfront.net/js/{HOSTILE}.js'></script>"
        f"<link rel=stylesheet href='https://d111111abcdef8.cloudfront.net/{HOSTILE}.css'></html>").encode()


def _hostile_answer(seen):
    if seen.path.startswith("/page"):
        return Reply(200, [("Content-Type", "text/html; charset=utf-8"), ("X-Page", HOSTILE.encode())], PAGE)
    return Reply(403, [("Server", ("AmazonS3 " + HOSTILE).encode()), ("Content-Type", "application/xml"),
                       ("X-Cache", ("Error from cloudfront " + HOSTILE).encode()),
                       ("Via", "1.1 0123456789abcdef.cloudfront.net (CloudFront)"),
                       ("X-Amz-Cf-Id", HOSTILE.encode()), ("Set-Cookie", ("tracking=" + HOSTILE).encode())],
                 S3_DENIED, "Forbidden")


@pytest.fixture
def hostile_server(scripted):
    """A loopback server that answers like S3-behind-CloudFront with every field poisoned."""
    return scripted(_hostile_answer)


def _diagnose_cli(server, capsys, *extra):
    argv = ["diagnose", "http://d111111abcdef8.cloudfront.net/assets/app.js", "--page",
            "http://app.example.com/page", "--no-aws", "--connect-to", server.address, *extra]
    assert main(argv) == 0
    return capsys.readouterr().out


def test_cli_text_report_from_a_hostile_server_is_inert(hostile_server, capsys, monkeypatch):
    """`edgewiz diagnose --no-aws` against the server: the report has no escapes and shows the markup as text."""
    monkeypatch.setenv("EDGEWIZ_QUIET", "1")
    out = _diagnose_cli(hostile_server, capsys)
    assert unsafe_characters(out) == []
    assert shows_markup_literally(out)  # the S3 error code reached the "What answered" line, as text


def _walk_hostile_server(server, tmp_path):
    runner = ProbeRunner(None, HttpProber(connect_to={"*": server.address}))
    try:
        session = WalkSession(_symptom(), runner, Target(no_aws=True), journal_dir=tmp_path)
        diagnosis = session.run_to_end(auto_answer)
    finally:
        runner.close()
    return session, diagnosis


def _symptom():
    from wizard.engine.facts import Symptom

    return Symptom(url="http://d111111abcdef8.cloudfront.net/assets/app.js", page_origin="http://app.example.com",
                   page_url="http://app.example.com/page")


def test_journal_of_a_hostile_walk_holds_no_escape_byte(hostile_server, tmp_path):
    """The journal keeps the hostile headers as data, JSON-escaped: the file has no raw ESC or BEL to print."""
    session, _ = _walk_hostile_server(hostile_server, tmp_path)
    raw = session.journal.path.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    contents = read_journal(session.journal.path)
    assert any("[bold]x[/bold]" in json.dumps(e, ensure_ascii=False) for e in contents.events)


def test_journal_of_a_hostile_walk_holds_no_c1_or_bidi_character(hostile_server, tmp_path):
    """`cat journal.jsonl` is safe: no C1 control or bidi override in the file, only their JSON escapes."""
    session, _ = _walk_hostile_server(hostile_server, tmp_path)
    assert unsafe_characters(session.journal.path.read_text(encoding="utf-8")) == []


@pytest.fixture(scope="module")
def hostile_lab(tmp_path_factory):
    """The hostile-AWS-text scenario walked once in the lab: the session (with its journal) and the diagnosis."""
    return journaled_lab_walk(trust_scenario("hostile-aws-text"), tmp_path_factory.mktemp("journal"))


@pytest.mark.lab
def test_the_hostile_scenario_is_still_diagnosed(hostile_lab):
    """Poisoned names do not derail the walk: both root causes are found."""
    _, diagnosis = hostile_lab
    assert sorted(f.id for f in diagnosis.root_causes) == ["s3.object-missing", "s3.policy.oac-sourcearn-mismatch"]


@pytest.mark.lab
def test_text_report_of_hostile_aws_names_is_inert(hostile_lab):
    """The Sid and the object keys reach the text report's evidence as plain characters."""
    session, diagnosis = hostile_lab
    out = text_report.render(diagnosis, session.redactor, width=100)
    assert unsafe_characters(out) == []
    assert shows_markup_literally(out)
    assert "evil" in out and "live" not in out  # the override is gone, the word reads as written


@pytest.mark.lab
def test_json_report_of_hostile_aws_names_is_inert(hostile_lab):
    """The JSON report's findings carry the names cleaned: no escape in the output or in any decoded string."""
    session, diagnosis = hostile_lab
    out = json_report.render(diagnosis, session.redactor)
    assert unsafe_characters(out) == []
    assert unsafe_characters(json.dumps(json.loads(out), ensure_ascii=False)) == []
    assert shows_markup_literally(json.dumps(json.loads(out)["findings"], ensure_ascii=False))


@pytest.mark.lab
def test_markdown_report_of_hostile_aws_names_is_inert(hostile_lab):
    """The incident record escapes the markup (it shows as text when rendered) and keeps no escape."""
    session, diagnosis = hostile_lab
    out = markdown_report.render(diagnosis, session.redactor)
    assert unsafe_characters(out) == []
    assert "\\[bold\\]x\\[/bold\\]" in out


@pytest.mark.lab
def test_journal_of_hostile_aws_names_holds_no_escape_byte(hostile_lab):
    """The walk's journal keeps the policy (with its Sid) and the keys as JSON-escaped data."""
    session, _ = hostile_lab
    raw = session.journal.path.read_bytes()
    assert b"\x1b" not in raw and b"\x07" not in raw
    assert b"[link=file:///etc/passwd]x[/link]" in raw


@pytest.mark.lab
@pytest.mark.parametrize("probe", ["aws.bucket_policy", "aws.object", "aws.distribution", "http.viewer"])
async def test_tui_probe_detail_of_hostile_data_is_inert(hostile_lab, probe):
    """The TUI's probe-detail screen draws the raw probe data with no escape and the markup as text."""
    from wizard.tui.screens.probe_detail import ProbeDetailScreen

    session, diagnosis = hostile_lab
    outcome = next(p for p in diagnosis.probes if p.name == probe)
    drawn = await draw(ProbeDetailScreen(probe, outcome, session.redactor))
    assert unsafe_characters(drawn) == []
    if probe != "http.viewer":  # the viewer's answer is the edge simulator's; the rest is AWS data
        assert "[bold]x[/bold]" in "".join(drawn.split())


def _plain_walk(options) -> str:
    from io import StringIO

    from wizard.front import Backend
    from wizard.plain.run import run_plain

    stream = StringIO()
    backend = Backend(options)
    try:
        assert run_plain(backend, interactive=False, stream=stream) == 0
    finally:
        backend.close()
    return stream.getvalue()


def test_plain_mode_walk_of_a_hostile_server_is_inert(hostile_server, tmp_path):
    """`edgewiz --plain` (every step as it happens, then the report) prints no escape and the markup as text."""
    from wizard.front import LaunchOptions

    out = _plain_walk(LaunchOptions(url="http://d111111abcdef8.cloudfront.net/assets/app.js",
                                    page="http://app.example.com/page", no_aws=True,
                                    connect_to=hostile_server.address, journal_dir=tmp_path))
    assert unsafe_characters(out) == []
    assert shows_markup_literally(out)
