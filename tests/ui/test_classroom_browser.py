"""The classroom in a real browser: `edgewiz train serve` (textual-serve) on loopback, Debian's headless
Chromium driven by playwright. The page loads, the catalogue shows, Enter starts an exercise (a lab of
its own in the served process), the brief shows, h gives a hint, a + space + Ctrl+S commits an answer and
the check runs. xterm.js draws on a canvas, so what the browser was sent (the terminal stream over the
page's websocket, escape sequences stripped) is what the test reads. Every request that is not to
loopback is refused: the page's web font stays unfetched, nothing leaves the machine."""

from __future__ import annotations

import codecs
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.lab

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78MDEc]")

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install -y chromium): the classroom's browser test "
                f"needs a real Chromium", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
pytest.importorskip("textual_serve", reason="textual-serve is not installed (the classroom extra)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def classroom(tmp_path):
    """`edgewiz train serve` on a free loopback port (its own state dir); stopped afterwards."""
    port = free_port()
    env = dict(os.environ, EDGEWIZ_STATE_DIR=str(tmp_path / "state"))
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "wizard", "train", "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("train serve did not listen:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/", tmp_path / "serve.log"
    proc.terminate()  # textual-serve ends the connection's process (and so its lab) on the way out
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


class Stream:
    """The terminal output the page received over its websocket, as text."""

    def __init__(self) -> None:
        self._decode = codecs.getincrementaldecoder("utf-8")("replace")
        self.raw = ""

    def frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            self.raw += self._decode.decode(bytes(payload))

    @property
    def text(self) -> str:
        return ESCAPES.sub("", self.raw)


def wait_for(page, stream: Stream, needle: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while needle not in stream.text:
        if time.monotonic() > deadline:
            raise AssertionError(f"the browser was never sent {needle!r}; the end of what it got:\n"
                                 + stream.text[-3000:])
        page.wait_for_timeout(100)


def loopback_only(route) -> None:
    if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def test_a_browser_starts_an_exercise_reads_the_brief_and_reaches_the_check(classroom, tmp_path):
    """Page → catalogue → Enter starts the seed exercise → brief and time budget → h: the first hint →
    a, space, Ctrl+S: an answer → the check says NOT YET (nothing was fixed) with the faults remaining."""
    url, log = classroom
    stream = Stream()
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", loopback_only)
            page.on("websocket", lambda ws: ws.on("framereceived", stream.frame))
            page.goto(url)
            wait_for(page, stream, "Training: pick an exercise", timeout=60)
            page.focus("#terminal .xterm-helper-textarea")  # a click would pick the option under it
            page.keyboard.press("Enter")  # the first exercise: seed 000, asset-403-stacked
            wait_for(page, stream, "Exercise asset-403-stacked")
            wait_for(page, stream, "The Rails app at https://app.example.com loads")
            wait_for(page, stream, "✓ running", timeout=120)
            assert "s3.policy.oac-sourcearn-mismatch" not in stream.text  # the verdict is hidden

            page.keyboard.press("h")
            wait_for(page, stream, "Follow the request from CloudFront to its origin")

            page.keyboard.press("a")
            wait_for(page, stream, "Tick the findings you think the lab had")
            page.wait_for_timeout(1000)  # the form focuses its list once mounted: keys before that go elsewhere
            page.keyboard.press("Space")
            page.wait_for_timeout(300)
            page.keyboard.press("Control+s")
            wait_for(page, stream, "NOT YET", timeout=120)
            wait_for(page, stream, "faults remaining (3)")
            page.screenshot(path=str(tmp_path / "classroom-check.png"))
        finally:
            browser.close()
    assert "Traceback" not in Path(log).read_text(errors="replace")
