"""The stopped screen of a walk with no AWS credentials at all (no keys, no profile, no config, no
instance role): it names what could not be read with AWS's own answer on screen, never says "with
these credentials", offers no Copy that does nothing; the journal records the walk as inconclusive
and `edgewiz resume --list` labels it so."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wizard.commands.resume_cmd import describe
from wizard.front import Backend, LaunchOptions
from wizard.journal import read_journal
from wizard.tui.app import EdgewizApp

from .screen import screen_text, start_walk, walk_to_verdict


@pytest.fixture
def no_credentials(tmp_path, monkeypatch):
    """A CloudFront-style 403 on loopback, and an AWS chain that finds nothing (and asks no metadata
    service: AWS_EC2_METADATA_DISABLED; the endpoint is a closed loopback port all the same)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("EDGEWIZ_STATE_DIR", str(tmp_path / "state"))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
            self.send_response(403)
            for name, value in (("Server", "AmazonS3"), ("X-Cache", "Error from cloudfront"),
                                ("Via", "1.1 abc.cloudfront.net (CloudFront)"), ("Content-Type", "application/xml"),
                                ("Content-Length", str(len(body)))):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    made = Backend(LaunchOptions(url="http://assets.example.test/a.js", region="us-east-1", journal_dir=tmp_path,
                                 endpoint_url="http://127.0.0.1:9", connect_to=f"127.0.0.1:{server.server_address[1]}"))
    yield made
    made.close()
    server.shutdown()
    server.server_close()


async def test_no_credentials_stop_says_what_could_not_be_read_and_what_to_do(no_credentials):
    app = EdgewizApp(no_credentials)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_walk(pilot)
        await walk_to_verdict(pilot)
        screen = app.screen
        d = screen.diagnosis
        assert d.end.result == "inconclusive" and not d.root_causes
        text = screen_text(app)
        flat = " ".join(text.split())
        assert "Stopped: CloudFront could not be read" in flat
        assert "with these credentials" not in flat and "error below" not in flat
        assert "What could not be read" in flat
        assert "No AWS credentials were found" in flat  # AWS's answer itself, on screen
        assert "Copy fix" not in text  # nothing to copy: not offered
        detail = screen.query_one("#detail")
        detail.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "What to do" in screen_text(app)  # the rest is reachable by scrolling
        journal = screen.session.journal.path
    contents = read_journal(journal)
    assert contents.events[-1]["type"] == "end" and contents.events[-1]["outcome"] == "inconclusive"
    line = describe(contents)
    assert "inconclusive" in line and "no root cause" not in line
