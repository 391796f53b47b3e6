"""Local servers for the trust tests: a scriptable HTTP server on 127.0.0.1 that answers whatever
bytes a test gives it (hostile headers and bodies, AWS error documents, throttling) and counts
every request that reaches it. Real sockets, loopback only: nothing is mocked."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

Header = Tuple[str, Union[str, bytes]]


@dataclass
class Reply:
    """One canned answer: status, raw header pairs (bytes allowed, nothing validated) and body."""

    status: int = 200
    headers: Sequence[Header] = ()
    body: bytes = b""
    reason: str = "OK"


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: Dict[str, str]
    body: bytes


@dataclass
class ScriptedServer:
    """Answers each request with `answer(seen)`; records what it saw."""

    answer: Callable[[Seen], Reply]
    requests: List[Seen] = field(default_factory=list)
    _server: Optional[ThreadingHTTPServer] = None

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    def start(self) -> "ScriptedServer":
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:  # keep pytest output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                owner.requests.append(seen)
                reply = owner.answer(seen)
                out = [f"HTTP/1.1 {reply.status} {reply.reason}\r\n".encode()]
                for name, value in reply.headers:
                    raw = value if isinstance(value, bytes) else value.encode("utf-8")
                    out.append(name.encode() + b": " + raw + b"\r\n")
                payload = b"" if self.command == "HEAD" else reply.body
                out.append(f"Content-Length: {len(reply.body)}\r\nConnection: close\r\n\r\n".encode())
                self.wfile.write(b"".join(out) + payload)
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # shutdown() waits for serve_forever's next poll: 50 ms instead of the default 0.5 s per stop.
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

