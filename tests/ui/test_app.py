"""The app without the lab: the intake (prefilled from the launch options, a pasted console error, a bad URL),
a walk that stops short when AWS is not configured, help, themes, the command palette, NO_COLOR, and
untrusted text shown as text."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from textual import events
from textual.app import App

from wizard.front import Backend, LaunchOptions
from wizard.model import PathEdge, PathGraph, PathNode
from wizard.tui.app import EdgewizApp
from wizard.tui.widgets.path_graph_view import PathGraphView

from .screen import idle_walk, screen_text, start_walk, until, walk_to_verdict

SIZE = (80, 24)


@pytest.fixture
def backend(tmp_path):
    made = Backend(LaunchOptions(url="https://d111.cloudfront.net/assets/app.js", origin="https://app.example.com",
                                 profile="ops", region="eu-west-1", journal_dir=tmp_path))
    yield made
    made.close()


@pytest.fixture
def s3_403_site(tmp_path):
    """A local site that answers every request the way CloudFront passes on an S3 403."""

    class Handler(BaseHTTPRequestHandler):
        server_version, sys_version = "AmazonS3", ""

        def do_GET(self):
            body = b"<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"
            self.send_response(403)
            for name, value in (("X-Cache", "Error from cloudfront"),
                                ("Via", "1.1 abc.cloudfront.net (CloudFront)"), ("Content-Type", "application/xml"),
                                ("Content-Length", str(len(body)))):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    made = Backend(LaunchOptions(url="http://assets.example.test/a.js", no_aws=True, journal_dir=tmp_path,
                                 connect_to=f"127.0.0.1:{server.server_address[1]}"))
    yield made
    made.close()
    server.shutdown()
    server.server_close()


@pytest.fixture
def working_site(tmp_path):
    """A local site that answers 200: the walk cannot reproduce the error and has to ask."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    made = Backend(LaunchOptions(url="http://assets.example.test/a.js", saw="504", no_aws=True, journal_dir=tmp_path,
                                 connect_to=f"127.0.0.1:{server.server_address[1]}"))
    yield made
    made.close()
    server.shutdown()
    server.server_close()


async def test_intake_is_prefilled_from_the_launch_options(backend):
    """URL, page origin, profile and region a caller passes in LaunchOptions are in the form (the
    command line sets only --lab; resume passes profile and region; scripts and tests pass the rest)."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE):
        text = screen_text(app)
        assert "https://d111.cloudfront.net/assets/app.js" in text
        assert "https://app.example.com" in text
        assert "ops" in text and "eu-west-1" in text
        assert "⏎ or Ctrl+S starts the walk" in text


async def test_pasting_a_console_error_fills_the_form(backend):
    """A pasted Chrome error sets the URL and '403', and says what it read."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        console = app.screen.query_one("#console")
        console.focus()
        console.post_message(events.Paste(
            "GET https://d222.cloudfront.net/assets/application-4d5e6f.js net::ERR_FAILED 403 (Forbidden)"))
        await until(pilot, lambda: "Read:" in screen_text(app))
        assert app.screen.query_one("#url").value == "https://d222.cloudfront.net/assets/application-4d5e6f.js"
        assert app.screen.saw == "403"
        assert "◉ 403 Forbidden" in screen_text(app)


async def test_a_url_without_scheme_is_refused_with_a_reason(backend):
    """Starting with a malformed URL says what is wrong and stays on the intake."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#url").value = "d111.cloudfront.net/app.js"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The failing URL must look like https://host/path." in screen_text(app)
        assert type(app.screen).__name__ == "IntakeScreen"


async def test_walk_without_aws_stops_short_and_says_why(s3_403_site):
    """With no AWS access the walk reproduces the 403, cannot find the distribution, and the verdict says so."""
    app = EdgewizApp(s3_403_site)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: app.screen.probed)
        assert "passed on a 403 from S3" in screen_text(app)  # the viewer probe, in words
        await walk_to_verdict(pilot)
        diagnosis = app.screen.diagnosis
        assert diagnosis.end.result == "inconclusive" and diagnosis.root_causes == []
        assert f"Stopped: {diagnosis.end.title}"[:60] in screen_text(app).replace("\n", "")


async def test_question_preselects_the_suggestion_and_enter_answers_it(working_site):
    """When the request works from here the walk asks what the browser shows, with '504' (what the person
    said at the intake) preselected; Enter answers it and the walk moves on."""
    app = EdgewizApp(working_site)
    async with app.run_test(size=SIZE) as pilot:
        await start_walk(pilot)
        await until(pilot, lambda: app.screen.probed)
        await pilot.press("enter")
        await until(pilot, lambda: idle_walk(app) and type(app.screen.action_now).__name__ == "NeedAnswer")
        text = screen_text(app)
        assert "What does the browser show?" in text
        assert "504 Gateway Timeout (suggested)" in text
        choices = app.screen.query_one("#choices")
        assert choices.get_option_at_index(choices.highlighted).id == "504"
        await pilot.press("enter")
        await until(pilot, lambda: idle_walk(app) and type(app.screen.action_now).__name__ != "NeedAnswer")
        assert app.screen.session.walk.facts.answers == {"not_reproduced": "504"}


async def test_f1_opens_help_and_escape_closes_it(backend):
    """F1 shows the keys and what the marks mean; Esc goes back."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Marks  (they mean the same without colour)" in text
        assert "On the path (the graph)" in text
        assert "✗          blocked: the request stops here" in text
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "IntakeScreen"


async def test_ctrl_t_switches_between_dark_and_light(backend):
    """Ctrl+T toggles the light theme and back."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_command_palette_runs_the_screens_own_commands(backend):
    """Ctrl+P, 'start the', Enter: the palette offers the intake's 'Start the walk' and runs it."""
    app = EdgewizApp(backend)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#url").value = "not a url"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"start the")
        await until(pilot, lambda: "Walk the playbook for this URL" in screen_text(app))
        await pilot.press("enter")
        await until(pilot, lambda: "The failing URL must look like https://host/path." in screen_text(app))


RICH_DEFAULT_FOREGROUND = "c5c8c6"  # unstyled cells in Rich's SVG export: the terminal's own colour, not the app's


def _colours(svg: str):
    """The RGB colours the app paints (text classes and cell backgrounds, not the window frame)."""
    found = set(re.findall(r"\.terminal-\d+-r\d+ \{[^}]*fill: #([0-9a-f]{6})", svg))
    found |= set(re.findall(r'<rect fill="#([0-9a-f]{6})" x="[\d.]+" y="[\d.]+" width', svg))
    found.discard(RICH_DEFAULT_FOREGROUND)
    return [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in found]


async def test_no_color_draws_in_grey_only(backend, monkeypatch):
    """With NO_COLOR set every colour on screen is a grey, so the ✓ ✗ ? marks carry the meaning."""
    async def colours():
        app = EdgewizApp(backend)
        async with app.run_test(size=SIZE):
            return _colours(app.export_screenshot())

    assert any(len({r, g, b}) > 1 for r, g, b in await colours())  # the control: colour without NO_COLOR
    monkeypatch.setenv("NO_COLOR", "1")
    assert all(max(c) - min(c) <= 2 for c in await colours())


class _PictureApp(App):
    def __init__(self, graph: PathGraph) -> None:
        super().__init__()
        self.graph = graph

    def compose(self):
        yield PathGraphView(id="path")

    def on_mount(self) -> None:
        self.query_one(PathGraphView).show(self.graph)


async def test_untrusted_labels_are_shown_as_text():
    """Markup and escape sequences in a label from AWS are shown literally or dropped, never interpreted."""
    hostile = "[bold red]s3://evil[/] \x1b]52;c;ZXZpbA==\x07\x1b[2J"
    graph = PathGraph([PathNode("viewer", "viewer", "viewer", "ok"), PathNode("bucket", "bucket", hostile, "blocked")],
                      [PathEdge("viewer", "bucket", "blocked", "[link=https://evil]click[/link]")])
    app = _PictureApp(graph)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[✗] [bold red]s3://evil[/]" in text  # the hop
        assert "✗ blocked: viewer → [bold red]s3://evil[/]" in text  # the blocked hop, first, with its rule
        assert "[link=https://evil]click[/link]" in text
        assert "ZXZpbA" not in text and "\x1b" not in text
