"""Provides the UI tests' fixtures: a lab scenario brought up once per test module (the module names
it in SCENARIO; moto's state is per process, so one lab at a time), and AwsBoundary, a real HTTP
proxy in front of the lab's AWS API that refuses chosen operations the way AWS does, or answers
slowly — so a denied or hung probe goes through the real botocore, error and runner code."""

from __future__ import annotations

import dataclasses
import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.shared_lab import shared_aws_server
from wizard.front import Backend, LaunchOptions

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade"}

# What S3 answers when IAM refuses a read (the shape botocore parses into ClientError AccessDenied).
S3_ACCESS_DENIED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>User: '
    "arn:aws:iam::123456789012:user/oncall is not authorized to perform: {action} on resource: "
    '"{resource}" because no identity-based policy allows the {action} action</Message>'
    "<RequestId>EDGEWIZUITEST0001</RequestId><HostId>edgewiz-ui-test</HostId></Error>"
)

Refusal = Callable[[str, str, dict], Optional[bytes]]  # (method, path, query) -> 403 body, or None to pass


class AwsBoundary:
    """A reverse proxy to the lab's AWS API: `refuse` answers 403 for the requests it picks, every
    other request goes through (after `delay` seconds)."""

    def __init__(self, upstream: str, refuse: Optional[Refusal] = None, delay: float = 0.0) -> None:
        target = urlsplit(upstream)
        boundary = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                refused = refuse(self.command, parts.path, parse_qs(parts.query, keep_blank_values=True)) \
                    if refuse else None
                if refused is not None:
                    boundary.refused += 1
                    self._answer(403, [("Content-Type", "application/xml")], refused)
                    return
                if delay:
                    time.sleep(delay)
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    reply = conn.getresponse()
                    data = reply.read()
                    kept = [(k, v) for k, v in reply.getheaders() if k.lower() not in _HOP_BY_HOP]
                    self._answer(reply.status, kept, data)
                finally:
                    conn.close()

            def _answer(self, status: int, headers, body: bytes) -> None:
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _relay

        self.refused = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # shutdown() waits for serve_forever's next poll: 50 ms, not the default 0.5 s (the tests' own
        # servers in tests/ui poll as often, for the same reason).
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def refuse_s3(bucket: str, subresource: str, action: str) -> Refusal:
    """Refuse `GET /bucket?subresource` as S3 does for a caller without `action`."""

    def pick(method: str, path: str, query: dict) -> Optional[bytes]:
        if method == "GET" and path.strip("/") == bucket and subresource in query:
            return S3_ACCESS_DENIED.format(action=action, resource=f"arn:aws:s3:::{bucket}").encode()
        return None

    return pick


@pytest.fixture(scope="module")
def lab(request, tmp_path_factory):
    """A Backend on the module's SCENARIO, lab started (journals in a temporary directory)."""
    options = LaunchOptions(lab=request.module.SCENARIO, journal_dir=tmp_path_factory.mktemp("journals"))
    backend = Backend(options, aws_server=shared_aws_server())
    backend.start_lab()
    yield backend
    backend.close()


@pytest.fixture
def behind_boundary(lab):
    """Route the lab backend's AWS calls through an AwsBoundary for one test: call it with the
    boundary's options; the original endpoint comes back afterwards."""
    original = lab.lab_env
    made = []

    def route(**kwargs) -> AwsBoundary:
        boundary = AwsBoundary(original.aws_endpoint, **kwargs)
        made.append(boundary)
        lab.lab_env = dataclasses.replace(original, aws_endpoint=boundary.url)
        return boundary

    yield route
    lab.lab_env = original
    for boundary in made:
        boundary.close()
