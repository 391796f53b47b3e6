"""Provides what the plain-mode tests share: a stand-in for questionary's prompts that answers by
the question's text (the third-party prompt library is faked, never our code), and small real
HTTP servers on 127.0.0.1."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Sequence, Tuple

import pytest
import questionary

CTRL_C = object()  # an answer that stands for Ctrl-C at that prompt (questionary's ask() gives None)


class FakeQuestion:
    """What questionary.select/text return: something to ask()."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def ask(self, **_kwargs: Any) -> Any:
        return None if self.answer is CTRL_C else self.answer


class FakePrompts:
    """Answers each prompt with the value whose key is part of the question text; a question with
    no key gets its default, as if the person pressed Enter."""

    def __init__(self, answers: Dict[str, Any]) -> None:
        self.answers = answers
        self.asked: List[str] = []

    def _answer(self, message: str, default: Any) -> Any:
        self.asked.append(message)
        return next((v for k, v in self.answers.items() if k in message), default)

    def select(self, message: str, choices: Sequence[Any], default: Any = None, **_kwargs: Any) -> FakeQuestion:
        answer = self._answer(message, default)
        values = [c.value if isinstance(c, questionary.Choice) else c for c in choices]
        assert answer is CTRL_C or answer in values, f"{answer!r} is not a choice of {message!r}: {values}"
        return FakeQuestion(answer)

    def text(self, message: str, default: str = "", validate: Any = None, **_kwargs: Any) -> FakeQuestion:
        answer = self._answer(message, default)
        if validate is not None and answer is not CTRL_C:
            verdict = validate(answer)
            assert verdict is True, f"questionary would not accept {answer!r} for {message!r}: {verdict}"
        return FakeQuestion(answer)

    def confirm(self, message: str, default: bool = True, **_kwargs: Any) -> FakeQuestion:
        return FakeQuestion(self._answer(message, default))


@pytest.fixture
def prompts(monkeypatch):
    """Factory: prompts({question text: answer}) -> the FakePrompts now standing in for questionary."""

    def install(answers: Optional[Dict[str, Any]] = None) -> FakePrompts:
        fake = FakePrompts(answers or {})
        for name in ("select", "text", "confirm"):
            monkeypatch.setattr(questionary, name, getattr(fake, name))
        return fake

    return install


Reply = Tuple[int, List[Tuple[str, str]], bytes]


class Site:
    """A real HTTP server on 127.0.0.1 that gives every request the same reply."""

    def __init__(self, reply: Reply) -> None:
        status, headers, body = reply

        server_header = next((v for k, v in headers if k.lower() == "server"), None)
        headers = [(k, v) for k, v in headers if k.lower() != "server"]

        class Handler(BaseHTTPRequestHandler):
            # send_response() always sends a Server header; make it the one the test asked for.
            server_version = server_header or BaseHTTPRequestHandler.server_version
            sys_version = "" if server_header else BaseHTTPRequestHandler.sys_version

            def version_string(self) -> str:
                return server_header or BaseHTTPRequestHandler.version_string(self)

            def _reply(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_OPTIONS = _reply

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    """Factory: site(status, headers, body) -> a started Site, stopped at teardown."""
    sites: List[Site] = []

    def start(status: int, headers: Sequence[Tuple[str, str]] = (), body: bytes = b"") -> Site:
        s = Site((status, list(headers), body))
        sites.append(s)
        return s

    yield start
    for s in sites:
        s.stop()
