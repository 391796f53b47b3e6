"""Secrets are there, and redacted, in every report, the journal and the TUI: signed-URL parameters
(CloudFront Signature/Key-Pair-Id/Policy, S3 X-Amz-Signature/Credential/Security-Token),
Authorization, Cookie, a URL password, a Referer secret from an origin custom header, session tokens."""

from __future__ import annotations

import json

import pytest

from wizard.cli import main
from wizard.diagnose import auto_answer
from wizard.engine.facts import Symptom
from wizard.http.client import HttpProber
from wizard.probes.runner import ProbeRunner
from wizard.redact import Redactor
from wizard.report import json_report, markdown_report, text_report
from wizard.walk_session import Target, WalkSession

from .conftest import journaled_lab_walk, trust_scenario
from .servers import Reply
from .tui_screen import draw

SIGNATURE = "Zm9vYmFyc2lnbmF0dXJlc2VjcmV0MTIzNDU2Nzg5MA__"
KEY_PAIR = "K2JCJMDEHXQW5F"
POLICY = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExLmNsb3VkZnJvbnQubmV0LyoifV19"
URL_PASSWORD = "basic-pass-9876"
AMZ_SIGNATURE = "9f2b0c7d1e3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e"
AMZ_CREDENTIAL_KEY = "ASIAEXAMPLESECRETKEY"
AMZ_TOKEN = "FwoGZXIvYXdzEFAaDSessionTokenSecretValue"
BEARER = "eyJhbGciOiJIUzI1NiJ9.bearer-secret.sig"
COOKIE_SECRET = "cookie-secret-31337"
SIGNED_URL = (f"http://oncall:{URL_PASSWORD}@d111111abcdef8.cloudfront.net/private/report.pdf"
              f"?Expires=1700000000&Policy={POLICY}&Signature={SIGNATURE}&Key-Pair-Id={KEY_PAIR}")
PRESIGNED = (f"https://reports.s3.us-east-1.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256"
             f"&X-Amz-Credential={AMZ_CREDENTIAL_KEY}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
             f"&X-Amz-Date=20240101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
             f"&X-Amz-Security-Token={AMZ_TOKEN}&X-Amz-Signature={AMZ_SIGNATURE}")
SECRETS = [SIGNATURE, KEY_PAIR, POLICY, URL_PASSWORD, AMZ_SIGNATURE, AMZ_CREDENTIAL_KEY, AMZ_TOKEN, BEARER,
           COOKIE_SECRET]
PAGE = f"<html><script src='{PRESIGNED.replace('&', '&amp;')}'></script></html>".encode()


def _signed_answer(seen):
    if seen.path.startswith("/page"):
        return Reply(200, [("Content-Type", "text/html")], PAGE)
    # A misconfigured proxy that reflects credentials back, a signed cookie, and a presigned redirect.
    return Reply(403, [("Server", "CloudFront"), ("X-Cache", "Error from cloudfront"),
                       ("Set-Cookie", f"CloudFront-Signature={COOKIE_SECRET}; Path=/; Secure"),
                       ("Authorization", f"Bearer {BEARER}"), ("Cookie", f"session={COOKIE_SECRET}"),
                       ("Location", PRESIGNED)], b"<Error><Code>AccessDenied</Code></Error>", "Forbidden")


def _leaks(text: str):
    return [s for s in SECRETS if s in text]


@pytest.fixture
def signed_server(scripted, monkeypatch):
    """A loopback 'CloudFront' for a signed URL whose answer carries cookies, credentials and a presigned URL."""
    monkeypatch.setenv("EDGEWIZ_QUIET", "1")
    return scripted(_signed_answer)


def test_signed_url_is_redacted_in_the_text_report(signed_server, capsys):
    """`edgewiz diagnose SIGNED_URL`: the URL is shown with its parameter names and no secret value."""
    assert main(["diagnose", SIGNED_URL, "--no-aws", "--connect-to", signed_server.address]) == 0
    out = capsys.readouterr().out
    assert _leaks(out) == []
    for shown in ("oncall:[REDACTED]@", "Policy=[REDACTED]", "Signature=[REDACTED]", "Key-Pair-Id=[REDACTED]",
                  "Expires=1700000000"):
        assert shown in out


def test_signed_url_is_redacted_in_the_json_report(signed_server, capsys):
    """`--json`: the symptom URL keeps its parameter names, every secret value is [REDACTED]."""
    assert main(["diagnose", SIGNED_URL, "--no-aws", "--connect-to", signed_server.address, "--json"]) == 0
    out = capsys.readouterr().out
    assert _leaks(out) == []
    assert "Signature=[REDACTED]" in json.loads(out)["symptom"]["url"]


@pytest.fixture
def signed_walk(signed_server, tmp_path):
    """An interactive walk of the signed URL (with its page), journaled."""
    runner = ProbeRunner(None, HttpProber(connect_to={"*": signed_server.address}))
    try:
        session = WalkSession(Symptom(url=SIGNED_URL, page_origin="http://app.example.com",
                                      page_url="http://app.example.com/page"),
                              runner, Target(no_aws=True), journal_dir=tmp_path)
        session.run_to_end(auto_answer)
    finally:
        runner.close()
    return session


def test_journal_shows_which_secrets_were_there_and_none_of_their_values(signed_walk):
    """The journal keeps header names and parameter names with [REDACTED]; timing fields stay readable."""
    raw = signed_walk.journal.path.read_text(encoding="utf-8")
    assert _leaks(raw) == []
    viewer = json.loads(raw.splitlines()[1])["outcomes"][0]["data"]
    headers = dict((k, v) for k, v in viewer["headers"])
    assert headers["set-cookie"] == "CloudFront-Signature=[REDACTED]; Path=/; Secure"
    assert headers["authorization"] == "Bearer [REDACTED]"
    assert headers["cookie"] == "session=[REDACTED]"
    for shown in ("X-Amz-Signature=[REDACTED]", "X-Amz-Credential=[REDACTED]", "X-Amz-Security-Token=[REDACTED]",
                  "X-Amz-Expires=300", "X-Amz-Date=20240101T000000Z"):
        assert shown in headers["location"]


async def test_tui_probe_detail_of_a_signed_answer_shows_no_secret(signed_walk):
    """The TUI's raw view of the viewer probe draws the headers with their values redacted."""
    from wizard.tui.screens.probe_detail import ProbeDetailScreen

    outcome = signed_walk.walk.facts.outcomes["http.viewer"]
    drawn = await draw(ProbeDetailScreen("http.viewer", outcome, signed_walk.redactor))
    flat = "".join(drawn.split())
    assert _leaks(flat) == []
    assert "Bearer[REDACTED]" in flat and "Signature=[REDACTED]" in flat


def test_session_token_of_the_target_never_reaches_the_journal(tmp_path):
    """Credentials handed to a walk (the lab's, or a session token) are kept out of the journal header."""
    target = Target(endpoint_url="http://127.0.0.1:1", credentials={
        "aws_access_key_id": AMZ_CREDENTIAL_KEY, "aws_secret_access_key": "s" * 40, "aws_session_token": AMZ_TOKEN})
    session = WalkSession(Symptom(url="https://d111111abcdef8.cloudfront.net/a.js"), None, target,
                          journal_dir=tmp_path)
    assert _leaks(session.journal.path.read_text(encoding="utf-8")) == []


# The Referer secret (website-endpoint story): one value in the origin's custom header, another in
# the bucket policy's aws:Referer condition. Both are secrets.
CF_SECRET = "OLD-cloudfront-side-secret-8c2d4a6f0b"
BUCKET_SECRET = "NEW-bucket-side-secret-5b1f0c9e7d"


@pytest.fixture(scope="module")
def referer_walk(tmp_path_factory):
    """The Referer-secret scenario walked once in the lab, journaled."""
    return journaled_lab_walk(trust_scenario("website-referer-secret"), tmp_path_factory.mktemp("journal"))


@pytest.mark.lab
def test_referer_secret_is_diagnosed_without_being_shown(referer_walk):
    """The mismatch is found; the finding says a secret differs and shows neither value."""
    session, diagnosis = referer_walk
    assert [f.id for f in diagnosis.root_causes] == ["s3.website.referer-mismatch"]
    out = text_report.render(diagnosis, session.redactor, width=100)
    assert CF_SECRET not in out and BUCKET_SECRET not in out
    flat = " ".join(out.split())
    assert "aws:Referer StringEquals <secret>" in flat and "values are redacted" in flat


@pytest.mark.lab
def test_referer_secret_is_in_the_journal_only_as_redacted(referer_walk):
    """The journal records that the origin sends a Referer header and the policy checks one, never the values."""
    session, _ = referer_walk
    raw = session.journal.path.read_text(encoding="utf-8")
    assert CF_SECRET not in raw and BUCKET_SECRET not in raw
    assert '{"HeaderName":"Referer","HeaderValue":"[REDACTED]"}' in raw
    policies = [o["data"]["policy"] for line in raw.splitlines() for o in json.loads(line).get("outcomes") or []
                if o["name"] == "aws.bucket_policy"]
    condition = json.loads(policies[0])["Statement"][0]["Condition"]
    assert condition == {"StringEquals": {"aws:Referer": "[REDACTED]"}}


@pytest.mark.lab
@pytest.mark.parametrize("render", [text_report.render, json_report.render, markdown_report.render],
                         ids=["text", "json", "markdown"])
def test_referer_secret_is_in_no_report(referer_walk, render):
    """Text, JSON and Markdown reports, with the walk's redactor or a fresh one (`lab run`), show neither value."""
    session, diagnosis = referer_walk
    for redactor in (session.redactor, Redactor()):
        out = render(diagnosis, redactor)
        assert CF_SECRET not in out and BUCKET_SECRET not in out


@pytest.mark.lab
@pytest.mark.parametrize("probe", ["aws.distribution", "aws.bucket_policy"])
async def test_tui_probe_detail_shows_the_referer_secret_redacted(referer_walk, probe):
    """The TUI's raw view of the distribution and the policy shows [REDACTED] where each secret is."""
    from wizard.tui.screens.probe_detail import ProbeDetailScreen

    session, diagnosis = referer_walk
    outcome = next(p for p in diagnosis.probes if p.name == probe)
    flat = "".join((await draw(ProbeDetailScreen(probe, outcome, session.redactor))).split())
    assert CF_SECRET not in flat and BUCKET_SECRET not in flat
    assert "[REDACTED]" in flat


def test_plain_mode_walk_of_a_signed_url_shows_no_secret(signed_server, tmp_path):
    """`edgewiz --plain` on the signed URL prints the URL's parameter names, none of the values."""
    from io import StringIO

    from wizard.front import Backend, LaunchOptions
    from wizard.plain.run import run_plain

    stream = StringIO()
    backend = Backend(LaunchOptions(url=SIGNED_URL, page="http://app.example.com/page", no_aws=True,
                                    connect_to=signed_server.address, journal_dir=tmp_path))
    try:
        assert run_plain(backend, interactive=False, stream=stream) == 0
    finally:
        backend.close()
    out = stream.getvalue()
    assert _leaks(out) == []
    assert "Signature=[REDACTED]" in out
