"""Tests the address policy (issue 10, item 5): a redirect, or a name, that leads a probe to the
instance metadata service, a link-local address or this host is refused before any connection,
and said so; the URL the user typed and --connect-to routes still reach loopback.

No packet leaves loopback here: every test records connect() calls and refuses (without sending)
any that is not to 127.0.0.1, so code that would follow such a redirect fails the test instead.
"""

from __future__ import annotations

import json
import socket

import pytest

from wizard.diagnose import diagnose
from wizard.engine.facts import Symptom
from wizard.http.client import HttpProber
from wizard.playbooks import load
from wizard.probes.runner import ProbeRunner

METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"


@pytest.fixture
def connects(monkeypatch):
    """Every address a socket tried to connect to; a non-loopback attempt is refused locally."""
    seen = []
    real_connect = socket.socket.connect

    def recording_connect(sock, address):
        seen.append(address[0])
        if address[0] not in ("127.0.0.1", "::1"):
            raise ConnectionRefusedError(f"test guard: no traffic to {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", recording_connect)
    return seen


def _redirector(serve, location: str):
    def bounce(conn, stop, srv):
        conn.recv(4096)
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode())

    return serve(bounce)


@pytest.mark.parametrize("location", [
    METADATA,
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://169.254.170.2/v2/credentials/",  # the ECS task credentials endpoint
])
def test_redirect_to_a_metadata_or_link_local_address_is_refused(serve, connects, location):
    """A 302 to IMDS (or any link-local address) is not followed: no connect, and the answer says why."""
    source = _redirector(serve, location)
    with HttpProber(timeout=3) as prober:
        answer = prober.request("GET", source.url("/page"), follow_redirects=True)
    assert answer.status is None and answer.error_kind == "address-refused"
    assert "did not connect" in answer.error and "--connect-to" in answer.error
    assert [a for a in connects if a != "127.0.0.1"] == []


def test_redirect_to_loopback_under_another_name_is_refused(serve, handlers, connects):
    """A redirect to this host under a name the user did not type (localhost) is refused."""
    target = serve(handlers.echo)
    source = _redirector(serve, f"http://localhost:{target.port}/admin")
    with HttpProber(timeout=3) as prober:
        answer = prober.request("GET", source.url("/page"), follow_redirects=True)
    assert answer.error_kind == "address-refused" and "loopback" in answer.error
    assert target.requests == []


def test_a_name_that_resolves_to_the_metadata_address_is_refused(serve, connects, monkeypatch):
    """The check is on the resolved address: a harmless-looking name for 169.254.169.254 is refused."""
    real = socket.getaddrinfo

    def fake_dns(host, port, *args, **kwargs):
        if host == "metadata.edgewiz-test.invalid":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_dns)
    source = _redirector(serve, "http://metadata.edgewiz-test.invalid/latest/meta-data/")
    with HttpProber(timeout=3) as prober:
        answer = prober.request("GET", source.url("/page"), follow_redirects=True)
    assert answer.error_kind == "address-refused" and "169.254.169.254" in answer.error
    assert [a for a in connects if a != "127.0.0.1"] == []


def test_the_typed_url_and_connect_to_routes_still_reach_loopback(serve, handlers, connects):
    """The user's own loopback URL works, and a redirect to a host routed by --connect-to is followed."""
    target = serve(handlers.echo)
    source = _redirector(serve, "http://assets.example.com/landed")
    with HttpProber(timeout=3, connect_to={"assets.example.com": f"127.0.0.1:{target.port}"}) as prober:
        typed = prober.request("GET", target.url("/direct"))
        routed = prober.request("GET", source.url("/page"), follow_redirects=True)
    assert typed.status == 200
    assert routed.status == 200 and json.loads(routed.body)["headers"]["host"] == "assets.example.com"


def test_page_probe_redirected_to_metadata_is_an_http_unknown(serve, connects):
    """`diagnose --page` whose page 302s to IMDS: the page part is unknown with the refusal as the
    reason, labelled as an HTTP fetch (not "AWS failed: RuntimeError"), and IMDS is never contacted."""
    page = _redirector(serve, METADATA)
    symptom = Symptom(url="http://d111111abcdef8.cloudfront.net/app.js", page_url=page.url("/"),
                      page_origin=page.url("/").rstrip("/"))
    runner = ProbeRunner(None, HttpProber(timeout=3, connect_to={"d111111abcdef8.cloudfront.net": "127.0.0.1:9"}))
    try:
        diagnosis = diagnose(load(), symptom, runner)
    finally:
        runner.close()
    outcome = next(p for p in diagnosis.probes if p.name == "page.assets")
    assert outcome.status == "error"
    assert outcome.error.startswith("HTTP GET of the page failed") and "did not connect" in outcome.error
    assert "AWS" not in outcome.error and "RuntimeError" not in outcome.error
    assert any("did not connect" in u.reason for u in diagnosis.unknowns)
    assert [a for a in connects if a != "127.0.0.1"] == []
