"""The origin TLS probe against real servers on 127.0.0.1 with trustme certificates: what a port
speaks, the certificate's names and chain verdict, the SNI it is asked with, DNS failure and the
first byte's timing, reached through a --connect-to route (an HTTP CONNECT proxy written here, so
no name is ever looked up in real DNS)."""

from __future__ import annotations

import contextlib
import datetime
import select
import socket
import ssl
import threading
import time
from typing import Dict, List, Optional, Tuple

import pytest
import trustme

from wizard.http.origin_tls import ROOTS_PATH, OriginTarget, probe_origin


def read_head(conn: socket.socket) -> Tuple[str, Dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return lines[0], {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}


def respond(conn: socket.socket, status: str, headers: List[Tuple[str, str]], body: bytes = b"") -> None:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers)
    conn.sendall((head + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("latin-1") + body)

PUBLIC = trustme.CA(organization_name="test public CA")
PRIVATE = trustme.CA(organization_name="test private CA")


def server_context(ca: trustme.CA, *names: str, expired: bool = False) -> ssl.SSLContext:
    dates = {}
    if expired:
        now = datetime.datetime.now(datetime.timezone.utc)
        dates = {"not_before": now - datetime.timedelta(days=90), "not_after": now - datetime.timedelta(days=1)}
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names, **dates).configure_cert(ctx)
    return ctx


def page(delay: float = 0.0):
    def handler(conn, stop, server):
        tls = isinstance(conn, ssl.SSLSocket)
        if not tls and conn.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS ClientHello at a plain-HTTP port: web servers answer 400
            respond(conn, "400 Bad Request", [])
            return
        line, headers = read_head(conn)
        server.requests.append((line, headers))
        if delay and stop.wait(delay):
            return
        respond(conn, "200 OK", [("Content-Type", "text/plain")], b"origin")
    return handler


class ConnectProxy:
    """A CONNECT proxy on 127.0.0.1: `names` maps host:port to a local port; an unknown host is a DNS
    error (RFC 9209 Proxy-Status), and GET ROOTS_PATH serves `roots`."""

    def __init__(self, names: Dict[Tuple[str, int], int], roots: bytes = b"") -> None:
        self.names, self.roots = names, roots
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.stop_event = threading.Event()
        self.seen: List[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop_event.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            line, _ = read_head(conn)
            self.seen.append(line)
            method, target = (line.split(" ") + ["", ""])[:2]
            if method == "GET" and target == ROOTS_PATH:
                respond(conn, "200 OK", [("Content-Type", "application/x-pem-file")], self.roots)
                return
            host, _, port = target.rpartition(":")
            if (host, int(port or 0)) not in self.names:
                known = any(h == host for h, _ in self.names)
                error = "connection_refused" if known else "dns_error"
                respond(conn, "502 Bad Gateway", [("Proxy-Status", f"test; error={error}")])
                return
            upstream = socket.create_connection(("127.0.0.1", self.names[(host, int(port))]))
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with upstream, contextlib.suppress(OSError):
                while True:
                    readable, _, _ = select.select([conn, upstream], [], [], 5)
                    if not readable:
                        return
                    for sock in readable:
                        data = sock.recv(65536)
                        if not data:
                            return
                        (upstream if sock is conn else conn).sendall(data)

    def stop(self) -> None:
        self.stop_event.set()
        self.sock.close()


@pytest.fixture
def proxy():
    proxies: List[ConnectProxy] = []

    def start(names, roots: bytes = PUBLIC.cert_pem.bytes()) -> ConnectProxy:
        proxies.append(ConnectProxy(names, roots))
        return proxies[-1]

    yield start
    for p in proxies:
        p.stop()


def https(host: str = "origin.test", port: int = 443, sni: Optional[str] = None, read_timeout: Optional[float] = None):
    return OriginTarget(host, port, "https", sni or host, sni or host, "/api", read_timeout)


def test_valid_certificate_reads_names_issuer_and_verifies(serve, proxy):
    server = serve(page(), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(), routes={"*": route.address}, timeout=5)
    assert data["error_kind"] is None, data["error"]
    assert data["speaks"] == "tls" and data["tls"]["verified"] is True
    assert data["tls"]["names"] == ["origin.test"]
    assert data["tls"]["issuer"] == "test public CA"
    assert data["response"]["status"] == 200
    assert server.requests[0][1]["host"] == "origin.test"


def test_certificate_for_another_name_still_verifies_and_shows_its_names(serve, proxy):
    """Names are the caller's judgement: the chain verdict and the names both come back."""
    server = serve(page(), server_context(PUBLIC, "www.other.test"))
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(), routes={"*": route.address}, timeout=5)
    assert data["tls"]["verified"] is True
    assert data["tls"]["names"] == ["www.other.test"]


@pytest.mark.parametrize("ctx, message", [
    (server_context(PUBLIC, "origin.test", expired=True), "expired"),
    (server_context(PRIVATE, "origin.test"), "local issuer"),
])
def test_untrusted_chain_is_reported_with_the_certificate_it_served(serve, proxy, ctx, message):
    server = serve(page(), ctx)
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(), routes={"*": route.address}, timeout=5)
    assert data["tls"]["verified"] is False
    assert message in data["tls"]["verify_error"]
    assert data["tls"]["names"] == ["origin.test"]  # read from the unverified handshake


def test_roots_are_trusted_only_when_the_route_publishes_them(serve, proxy):
    server = serve(page(), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port}, roots=b"")
    data = probe_origin(https(), routes={"*": route.address}, timeout=5)
    assert data["tls"]["verified"] is False


def test_sni_is_the_name_asked_for(serve, proxy):
    """With Host forwarded CloudFront sends the viewer's host as SNI; the server sees that name."""
    seen: List[Optional[str]] = []
    ctx = server_context(PUBLIC, "shop.test")
    ctx.sni_callback = lambda sock, name, _ctx: seen.append(name)
    server = serve(page(), ctx)
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(sni="shop.test"), routes={"*": route.address}, timeout=5)
    assert data["tls"]["names"] == ["shop.test"]
    assert seen and set(seen) == {"shop.test"}


def test_tls_to_a_plain_http_port_says_the_port_speaks_http(serve, proxy):
    server = serve(page())
    route = proxy({("origin.test", 80): server.port})
    data = probe_origin(https(port=80), routes={"*": route.address}, timeout=5)
    assert data["speaks"] == "http"
    assert data["error_kind"] == "tls"


def test_plain_http_to_a_tls_port_says_the_port_speaks_tls(serve, proxy):
    server = serve(page(), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port})
    target = OriginTarget("origin.test", 443, "http", "origin.test", "origin.test")
    data = probe_origin(target, routes={"*": route.address}, timeout=5)
    assert data["speaks"] == "tls"


def test_unresolvable_name_is_a_dns_failure(proxy):
    route = proxy({("origin.test", 443): 1})
    data = probe_origin(https(host="origin.tset"), routes={"*": route.address}, timeout=5)
    assert data["error_kind"] == "dns"
    assert data["connected"] is False
    assert "origin.tset" in data["error"]


def test_nothing_listening_is_refused_not_dns(proxy):
    route = proxy({("origin.test", 443): 1})
    data = probe_origin(https(port=8443), routes={"*": route.address}, timeout=5)
    assert data["error_kind"] == "refused"


def test_an_answer_slower_than_the_read_timeout_times_out(serve, proxy):
    server = serve(page(delay=2.0), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(read_timeout=0.5), routes={"*": route.address}, timeout=5)
    assert data["tls"]["verified"] is True
    assert data["response"]["timed_out"] is True and data["response"]["status"] is None


def test_an_answer_within_the_read_timeout_does_not(serve, proxy):
    server = serve(page(delay=0.2), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(read_timeout=3), routes={"*": route.address}, timeout=5)
    assert data["response"]["timed_out"] is False and data["response"]["status"] == 200


def test_an_answer_just_after_the_read_timeout_is_late_not_ok(serve, proxy):
    """CloudFront gives up at the response timeout: a first byte 0.45 s after it (on loopback, where the
    probe's own round trip is ~0) is a timeout, not an answer (the old fixed 0.5 s margin read it as ok)."""
    server = serve(page(delay=0.95), server_context(PUBLIC, "origin.test"))
    route = proxy({("origin.test", 443): server.port})
    data = probe_origin(https(read_timeout=0.5), routes={"*": route.address}, timeout=5)
    assert data["response"]["timed_out"] is True and data["response"]["status"] is None


def test_the_wait_covers_the_probes_own_round_trip_to_the_origin():
    """An origin that answers within the timeout must not look late because this host is far from it:
    the wait is the response timeout plus (at least) the round trip the first connection took."""
    from wizard.http.origin_tls import _answer_wait

    assert _answer_wait(1.0, 0.3, timeout=10) >= 1.0 + 0.3
    assert _answer_wait(1.0, 0.0, timeout=10) > 1.0
    assert _answer_wait(30.0, 0.2, timeout=10) == 10  # never past the probe's own timeout
    assert _answer_wait(None, 0.2, timeout=7) == 7  # no known response timeout: the probe's timeout


def test_unrouted_origin_that_is_loopback_is_refused_without_a_packet(serve):
    """An origin domain from the configuration is held to the address policy: no route, no loopback."""
    server = serve(page(), server_context(PUBLIC, "origin.test"))
    target = OriginTarget("127.0.0.1", server.port, "https", "origin.test", "origin.test")
    data = probe_origin(target, routes=None, timeout=5)
    assert data["error_kind"] == "address-refused"
    time.sleep(0.05)
    assert server.requests == []
