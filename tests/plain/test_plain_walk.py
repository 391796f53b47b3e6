"""Plain mode walks as a person meets it: prompts answered by question text, real HTTP servers on
127.0.0.1, the journal on disk; no lab needed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.journal import read_journal
from wizard.plain import run_plain

from .conftest import CTRL_C

Q_URL = "The failing URL"
Q_CHECK = "Check the AWS configuration anyway?"

DENIED = (b'<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>'
          b'<Message>User: arn:aws:iam::123456789012:user/intern is not authorized</Message></Error>'
          b'<RequestId>r-1</RequestId></ErrorResponse>')


def walk(tmp_path: Path, interactive: bool = True, resume: Optional[Path] = None, **options) -> Tuple[int, str]:
    """Run plain mode once; (exit status, everything it printed)."""
    options.setdefault("no_aws", True)
    backend = Backend(LaunchOptions(journal_dir=tmp_path, **options))
    out = io.StringIO()
    try:
        status = run_plain(backend, resume_path=resume, interactive=interactive, stream=out)
    finally:
        backend.close()
    return status, out.getvalue()


def journals(tmp_path: Path) -> List[Path]:
    return sorted(tmp_path.glob("walk-*.jsonl"))


def event_types(path: Path) -> List[str]:
    return [e["type"] for e in read_journal(path).events]


def test_choosing_stop_at_an_unreachable_url_ends_the_walk_there(tmp_path, prompts, closed_port):
    """Answering "No, stop here" to the unreachable question prints the stop verdict and journals the end."""
    url = f"http://127.0.0.1:{closed_port}/assets/app.js"
    fake = prompts({Q_URL: url, Q_CHECK: "stop"})
    status, out = walk(tmp_path)
    assert status == 0
    assert any(Q_CHECK in q for q in fake.asked)
    assert "Stopped: the URL is unreachable from here" in out
    (path,) = journals(tmp_path)
    assert out.count(f"Journal: {path}") == 2  # at the start and at the end
    assert event_types(path) == ["probes", "answer", "end"]


def test_every_step_shows_its_title_and_why(tmp_path, prompts, closed_port):
    """Each step prints a numbered title and the first sentence of why it matters."""
    prompts({Q_URL: f"http://127.0.0.1:{closed_port}/a.js", Q_CHECK: "stop"})
    _, out = walk(tmp_path)
    assert "── 1. Reproduce the error without the browser" in out
    assert "The browser's console often says \"CORS\" when the real answer was a 403" in out
    assert "── 2. The URL did not answer from here" in out


def test_without_a_terminal_questions_take_the_default_and_say_so(tmp_path, prompts, closed_port):
    """Piped stdin: no prompt is shown, each question takes its default, and the output says so."""
    fake = prompts()
    status, out = walk(tmp_path, interactive=False, url=f"http://127.0.0.1:{closed_port}/a.js")
    assert status == 0
    assert fake.asked == []
    assert "stdin is not a terminal" in out
    assert f"{Q_CHECK} → Yes, check the configuration" in out
    assert event_types(journals(tmp_path)[0])[-1] == "end"


def test_without_a_terminal_and_without_a_url_it_says_what_to_do(tmp_path, prompts):
    """Piped stdin and no URL from anywhere: a clear error, not a hang."""
    from wizard.commands.common import CliError

    prompts()
    with pytest.raises(CliError, match="no URL to diagnose"):
        walk(tmp_path, interactive=False)


def test_ctrl_c_at_a_question_exits_with_the_journal_and_the_resume_hint(tmp_path, prompts, closed_port):
    """Ctrl-C at a prompt ends cleanly: exit 130, the journal path, and `edgewiz resume`; the journal
    says the walk was cancelled there (not ended, so resume picks it up)."""
    prompts({Q_URL: f"http://127.0.0.1:{closed_port}/a.js", Q_CHECK: CTRL_C})
    status, out = walk(tmp_path)
    (path,) = journals(tmp_path)
    assert status == 130
    assert f"saved in {path}" in out and "edgewiz resume" in out
    assert not read_journal(path).finished
    assert event_types(path) == ["probes", "cancelled"]


def test_ctrl_c_during_the_intake_saves_nothing(tmp_path, prompts):
    """Ctrl-C before the walk starts says nothing was saved and leaves no journal."""
    prompts({Q_URL: CTRL_C})
    status, out = walk(tmp_path)
    assert status == 130
    assert "nothing was saved" in out
    assert journals(tmp_path) == []


def test_resume_replays_the_journal_and_asks_only_what_is_left(tmp_path, prompts, closed_port):
    """A resumed walk does not probe again what the journal holds; it asks the open question and finishes."""
    prompts({Q_URL: f"http://127.0.0.1:{closed_port}/a.js", Q_CHECK: CTRL_C})
    walk(tmp_path)
    (path,) = journals(tmp_path)
    prompts({Q_CHECK: "stop"})
    status, out = walk(tmp_path, resume=path)
    assert status == 0
    assert f"Resuming the walk in {path}" in out
    assert "✓ 1. Reproduce the error without the browser  (from the journal)" in out
    assert "Request the URL as the browser does" not in out  # not probed again
    assert event_types(path) == ["probes", "cancelled", "resume", "answer", "end"]


def test_a_denied_probe_prints_the_command_to_look_by_hand(tmp_path, prompts, site, monkeypatch):
    """AccessDenied from AWS: the probe says denied, names the missing permission, prints the CLI
    command to look by hand, and the walk still reaches its end."""
    server = site(403, [("Content-Type", "text/xml")], DENIED)
    for name, value in {"AWS_ENDPOINT_URL": server.url(""), "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE",
                        "AWS_SECRET_ACCESS_KEY": "secret-example", "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_CONFIG_FILE": str(tmp_path / "none"),
                        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    prompts({Q_URL: server.url("/assets/app.js")})
    status, out = walk(tmp_path, no_aws=False)
    assert status == 0
    assert "[denied] Who am I in AWS?: " in out  # the probe's own word, not the path's ✗
    assert "missing permission: sts:GetCallerIdentity" in out
    assert "aws sts get-caller-identity" in out
    assert "aws cloudfront list-distributions" in out and "'127.0.0.1'" in out
    assert event_types(journals(tmp_path)[0])[-1] == "end"


def test_a_signed_urls_signature_never_reaches_the_screen_or_the_journal(tmp_path, prompts, closed_port):
    """The Signature of a signed URL is shown as [REDACTED] and written nowhere in clear."""
    url = f"http://127.0.0.1:{closed_port}/a.js?Expires=1700000000&Signature=SIGsecretVALUE~&Key-Pair-Id=K2JCJMDEHXQW5F"
    prompts({Q_URL: url, Q_CHECK: "stop"})
    _, out = walk(tmp_path)
    journal = journals(tmp_path)[0].read_text()
    assert "Signature=[REDACTED]" in out
    for secret in ("SIGsecretVALUE", "K2JCJMDEHXQW5F"):
        assert secret not in out and secret not in journal


def test_control_sequences_from_a_server_never_reach_the_screen(tmp_path, prompts, site):
    """A hostile server's escape sequences (clear screen, clipboard write) are stripped from the output."""
    server = site(403, [("Server", "evil\x1b]52;c;cm0gLXJmIH4=\x07"), ("X-Cache", "Error from cloudfront")],
                  b"\x1b[2J\x1b]8;;http://evil/\x07click\x1b]8;;\x07 [bold]AccessDenied[/bold]")
    prompts({Q_URL: server.url("/a.js")})
    status, out = walk(tmp_path)
    assert status == 0
    assert "The application (evil" in out  # the server's own words reach the screen, as text
    assert "\x1b" not in out and "\x07" not in out
    assert "── 1. Reproduce the error without the browser" in out
