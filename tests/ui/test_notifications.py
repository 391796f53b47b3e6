"""Notifications show their text as written (issue 10, item 8): a journal path with `[/b]` in it
does not raise MarkupError in the toast, `[incident]` stays on screen, and escapes or secrets in a
message never reach the terminal. Driven through the real app with the pilot."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.tui.app import EdgewizApp

from .screen import start_walk, until, walk_to_verdict

SIZE = (120, 30)


@pytest.fixture
def bracket_backend(tmp_path):
    """A walk (no AWS) against a local site answering like CloudFront passing on an S3 403, whose
    journal lives in a directory named with markup: `a[/b]` closes a tag that was never opened."""

    class Handler(BaseHTTPRequestHandler):
        server_version, sys_version = "AmazonS3", ""

        def do_GET(self):
            body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
            self.send_response(403)
            for name, value in (("X-Cache", "Error from cloudfront"), ("Via", "1.1 abc.cloudfront.net (CloudFront)"),
                                ("Content-Type", "application/xml"), ("Content-Length", str(len(body)))):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    journal_dir = tmp_path / "a[/b]" / "[incident]"
    made = Backend(LaunchOptions(url="http://assets.example.test/a.js", no_aws=True, journal_dir=journal_dir,
                                 connect_to=f"127.0.0.1:{server.server_address[1]}"))
    yield made
    made.close()
    server.shutdown()
    server.server_close()


def _toasts(app) -> list:
    return [n.message for n in app._notifications]


def _on_screen(app) -> str:
    """The text of the toasts as drawn (rendering is where markup would be parsed)."""
    from textual.widgets._toast import Toast

    return "\n".join(str(t.render()) for t in app.screen.query(Toast))


async def test_a_journal_path_with_markup_shows_literally_in_the_toast(bracket_backend):
    """`j` on the walk and on the verdict: the toast names the journal path with `a[/b]` and
    `[incident]` as written; the app does not crash on a MarkupError."""
    app = EdgewizApp(bracket_backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_walk(pilot)
        path = str(app.screen.session.journal.path)
        await pilot.press("j")
        await until(pilot, lambda: path in _on_screen(app), what="the journal toast, drawn")
        assert "a[/b]/[incident]/walk-" in _on_screen(app)
        await walk_to_verdict(pilot)
        count = len(_toasts(app))
        await pilot.press("j")
        await until(pilot, lambda: len(_toasts(app)) > count and _on_screen(app).count(path) >= 2,
                    what="the verdict's journal toast, drawn")
        assert app.return_code is None  # still running: nothing crashed


async def test_a_toast_of_hostile_text_is_inert(bracket_backend):
    """An error toast quoting hostile text (an exception message from a server) keeps the markup
    as characters, drops escapes and redacts a signed URL's signature."""
    from tests.trust.hostile import HOSTILE, unsafe_characters
    from wizard.tui.display import toast

    app = EdgewizApp(bracket_backend)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await start_walk(pilot)
        toast(app.screen, f"Re-check failed: {HOSTILE} https://x.example/a?Signature=s3cr3tSIGNATURE [incident]",
              severity="error")
        await until(pilot, lambda: "Re-check failed" in _on_screen(app), what="the toast, drawn")
        (message,) = [m for m in _toasts(app) if "Re-check failed" in m]
        assert unsafe_characters(message) == [] and "s3cr3tSIGNATURE" not in message
        shown = _on_screen(app)
        assert "[bold]x[/bold]" in shown and "[incident]" in shown and "Signature=[REDACTED]" in shown
        assert unsafe_characters(shown) == []
