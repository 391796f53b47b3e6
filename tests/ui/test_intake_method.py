"""The intake's Method field: the method the person reports (empty means GET) reaches the walk's
symptom, a lab scenario's method is prefilled, and a word that is not a method is refused."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wizard.front import Backend, LaunchOptions
from wizard.tui.app import EdgewizApp

from .screen import screen_text, start_walk

SIZE = (100, 30)


@pytest.fixture
def site(tmp_path):
    """A local site that answers 403 to everything (the walk needs something to reproduce)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield lambda **kw: Backend(LaunchOptions(url="http://api.example.test/orders", no_aws=True, journal_dir=tmp_path,
                                             connect_to=f"127.0.0.1:{server.server_address[1]}", **kw))
    server.shutdown()
    server.server_close()


async def test_a_typed_post_reaches_the_walks_symptom(site):
    """Typing post in the Method field starts a walk whose symptom says POST (probes still send GET)."""
    backend = site()
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            app.screen.query_one("#method").value = "post"
            await start_walk(pilot)
            assert app.screen.session.walk.facts.symptom.method == "POST"
    finally:
        backend.close()


async def test_an_empty_method_is_get(site):
    """Leaving Method empty is the usual GET: the symptom carries no method."""
    backend = site()
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await start_walk(pilot)
            assert app.screen.session.walk.facts.symptom.method is None
    finally:
        backend.close()


async def test_the_launch_method_is_prefilled_and_a_non_method_is_refused(site):
    """A method passed in (a lab scenario's, a caller's) shows in the field; FETCH is refused with the
    list of methods and the intake stays."""
    backend = site(method="PUT")
    app = EdgewizApp(backend)
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert app.screen.query_one("#method").value == "PUT"
            app.screen.query_one("#method").value = "FETCH"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "The method is one of GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE" in screen_text(app)
            assert type(app.screen).__name__ == "IntakeScreen"
    finally:
        backend.close()
