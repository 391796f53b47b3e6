"""Provides the lab's custom origins (a web server on EC2, on-premises, another cloud): real servers
on loopback, one per port a scenario's `sim.origins` describes, speaking TLS with a certificate made
for the case (trustme) or plain HTTP; the lab's DNS for their names; the tunnel (HTTP CONNECT) the
diagnosis reaches them through; and CloudFront's own connection to them.

    sim:
      origins:
        origin.shop.example:                 # the name the lab's DNS resolves; any other does not
          ports: {443: https, 80: http}      # what each port speaks
          certificate: {names: [origin.shop.example], issuer: public, expired: false}
          answer_after_s: 0                  # how long the application takes to answer

Nothing here is a switch that picks CloudFront's answer: CloudFront's side (`cloudfront_answer`)
connects to the server like CloudFront does — the port its origin protocol policy picks, a real
TLS handshake that trusts only the lab's public CA, the name rule (the origin domain, or the Host
it forwards), the origin read timeout — and answers 502 or 504 with its own page when that fails.
The servers know nothing of CloudFront. The lab's public CA stands in for the public roots (Mozilla's
list); its root is published at wizard.http.origin_tls.ROOTS_PATH for probes routed to the lab.
"""

from __future__ import annotations

import datetime
import select
import socket
import ssl
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from ..scenario import ScenarioError
from . import pages

Answer = Tuple[int, List[Tuple[str, str]], bytes, Optional[float]]
_PROTOCOLS = ("https", "http")
_ISSUERS = ("public", "private")
_HEAD_LIMIT = 64 * 1024
_DEFAULT_READ_TIMEOUT_S = 30.0  # CloudFront's default origin response timeout


class Unreachable(Exception):
    """The lab's network cannot connect to host:port; `error` is the RFC 9209 Proxy-Status error."""

    def __init__(self, error: str, why: str) -> None:
        super().__init__(why)
        self.error = error


def _match(pattern: str, host: str) -> bool:
    """The lab CloudFront's own name rule (one wildcard label, RFC 6125), kept apart from the probe's."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        return host.count(".") == pattern.count(".") and host.split(".", 1)[1] == pattern[2:]
    return pattern == host


class _Server:
    """One port of one origin host: accepts connections and answers every request with a page."""

    def __init__(self, host: str, protocol: str, context: Optional[ssl.SSLContext], delay: float,
                 stop: threading.Event) -> None:
        self.host, self.protocol, self.context, self.delay, self._stop = host, protocol, context, delay, stop
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.sock.settimeout(0.1)
        self.address = self.sock.getsockname()
        threading.Thread(target=self._accept, name=f"lab-origin-{host}", daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()
        self.sock.close()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            if self.context is not None:
                conn = self.context.wrap_socket(conn, server_side=True)  # a plain-HTTP client fails here
            head = b""
            while b"\r\n\r\n" not in head and len(head) < _HEAD_LIMIT:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                if not head and chunk[:1] == b"\x16":
                    # A TLS ClientHello at a plain-HTTP port: web servers answer it as a bad request.
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                head += chunk
            if self.delay and self._stop.wait(self.delay):
                return
            path = head.split(b" ", 2)[1].decode("latin-1") if head.count(b" ") >= 2 else "/"
            body = (f"<!DOCTYPE html>\n<html><head><title>{self.host}</title></head><body>\n"
                    f"<h1>It works</h1>\n<p>{self.host} served {path}</p>\n</body></html>\n").encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n"
                         b"Cache-Control: max-age=60\r\nContent-Length: " + str(len(body)).encode()
                         + b"\r\nConnection: close\r\n\r\n" + body)
        except (OSError, ssl.SSLError):
            pass  # the client went away or the handshake failed: the client sees that, not the server
        finally:
            try:
                conn.close()
            except OSError:
                pass


class LabOrigins:
    """Every custom origin server of a scenario, and the lab's DNS for their names."""

    def __init__(self, specs: Optional[Mapping[str, Any]], where: str = "sim.origins") -> None:
        self._specs = self._validate(specs or {}, where)
        self._stop = threading.Event()
        self._servers: Dict[Tuple[str, int], _Server] = {}
        self._public = self._private = None
        # Whether a name without a server here still resolves (a Route 53 record, a load balancer):
        # then it is the ALB simulator's, or nothing listens; set by EdgeServer from the lab's state.
        self.resolves: Callable[[str], bool] = lambda _host: False
        if any(p == "https" for spec in self._specs.values() for p in spec["ports"].values()):
            import trustme

            self._public = trustme.CA(organization_name="edgewiz lab public CA")
            self._private = trustme.CA(organization_name="edgewiz lab private CA")

    @staticmethod
    def _validate(specs: Mapping[str, Any], where: str) -> Dict[str, Dict[str, Any]]:
        out: Dict[str, Dict[str, Any]] = {}
        if not isinstance(specs, Mapping):
            raise ScenarioError(f"{where} must map host names to origin servers")
        for host, spec in specs.items():
            spec = spec or {}
            ports = spec.get("ports") or {443: "https"}
            try:
                ports = {int(port): str(proto) for port, proto in dict(ports).items()}
            except (TypeError, ValueError):
                raise ScenarioError(f"{where}.{host}.ports maps port numbers to https or http") from None
            if any(p not in _PROTOCOLS for p in ports.values()):
                raise ScenarioError(f"{where}.{host}.ports: each port speaks https or http")
            cert = dict(spec.get("certificate") or {})
            cert.setdefault("names", [str(host)])
            if str(cert.get("issuer", "public")) not in _ISSUERS:
                raise ScenarioError(f"{where}.{host}.certificate.issuer is public or private")
            out[str(host).lower()] = {"ports": ports, "certificate": cert,
                                      "delay": float(spec.get("answer_after_s") or 0)}
        return out

    # Life cycle ----------------------------------------------------------------------------------

    def start(self) -> None:
        for host, spec in self._specs.items():
            context = None
            for port, protocol in spec["ports"].items():
                if protocol == "https" and context is None:
                    context = self._server_context(spec["certificate"])
                self._servers[(host, port)] = _Server(host, protocol, context if protocol == "https" else None,
                                                      spec["delay"], self._stop)

    def stop(self) -> None:
        self._stop.set()

    def _server_context(self, cert: Mapping[str, Any]) -> ssl.SSLContext:
        ca = self._public if str(cert.get("issuer", "public")) == "public" else self._private
        now = datetime.datetime.now(datetime.timezone.utc)
        dates = {}
        if cert.get("expired"):
            dates = {"not_before": now - datetime.timedelta(days=400), "not_after": now - datetime.timedelta(days=3)}
        names = [str(n) for n in cert.get("names") or []]
        leaf = ca.issue_cert(*names, **dates)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        leaf.configure_cert(context)
        return context

    def public_roots_pem(self) -> bytes:
        """The lab's public CA (the lab's stand-in for the public roots), PEM; b"" when none."""
        return self._public.cert_pem.bytes() if self._public is not None else b""

    # The lab's network ---------------------------------------------------------------------------

    def handles(self, host: str) -> bool:
        """Whether CloudFront's connection to `host` is this module's: a server here, or a name that
        resolves nowhere in the lab (the DNS failure)."""
        host = host.lower().rstrip(".")
        return host in self._specs or not self.resolves(host)

    def address(self, host: str, port: int) -> Tuple[str, int]:
        """Where host:port is served; Unreachable when the name does not resolve or nothing listens."""
        host = host.lower().rstrip(".")
        if host not in self._specs:
            if self.resolves(host):
                raise Unreachable("connection_refused", f"no lab server answers for {host}:{port}")
            raise Unreachable("dns_error", f"{host} does not resolve")
        server = self._servers.get((host, port))
        if server is None:
            raise Unreachable("connection_refused", f"nothing listens on {host}:{port}")
        return server.address

    def tunnel(self, client: socket.socket, host: str, port: int) -> None:
        """Relay bytes between `client` and host:port until either side closes (the CONNECT)."""
        upstream = socket.create_connection(self.address(host, port), timeout=5)
        sockets = [client, upstream]
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()

    # CloudFront's connection to the origin ----------------------------------------------------------

    def cloudfront_answer(self, view, behavior: Mapping[str, Any], raw_origin: Mapping[str, Any], method: str,
                          path: str, headers: Mapping[str, str], cf_id: str) -> Answer:
        """CloudFront's answer from a custom origin: (status, headers, body, seconds taken)."""
        started = time.monotonic()
        domain = str(raw_origin.get("DomainName", "")).lower()
        cfg = raw_origin.get("CustomOriginConfig") or {}
        policy = str(cfg.get("OriginProtocolPolicy") or "match-viewer")
        scheme = str(headers.get("x-forwarded-proto") or "https").lower()
        https = policy == "https-only" or (policy == "match-viewer" and scheme == "https")
        port = int(cfg.get("HTTPSPort") or 443) if https else int(cfg.get("HTTPPort") or 80)
        read_timeout = float(cfg.get("OriginReadTimeout") or _DEFAULT_READ_TIMEOUT_S)
        viewer_host = str(headers.get("host") or "").split(":")[0].lower()
        host = viewer_host if viewer_host and _forwards_host(view, behavior) else domain

        def fail(status: int, kind: str) -> Answer:
            code, out, body = pages.cloudfront_error(status, kind, cf_id)
            return code, out, body, time.monotonic() - started

        try:
            sock = socket.create_connection(self.address(domain, port), timeout=5)
        except Unreachable as exc:
            return fail(502, "origin-dns" if exc.error == "dns_error" else "origin-refused")
        except OSError:
            return fail(502, "origin-refused")
        try:
            if https:
                sock = _cloudfront_context(self.public_roots_pem()).wrap_socket(sock, server_hostname=host)
                names = _peer_names(sock.getpeercert() or {})
                if not any(_match(n, domain) or _match(n, host) for n in names):
                    return fail(502, "origin-refused")  # CloudFront drops the connection: no name matches
            request = (f"{method} {str(raw_origin.get('OriginPath') or '')}{path} HTTP/1.1\r\nHost: {host}\r\n"
                       f"Via: 1.1 cloudfront\r\nConnection: close\r\n\r\n").encode("latin-1", "replace")
            sock.sendall(request)
            sock.settimeout(read_timeout)
            data = sock.recv(65536)
            sock.settimeout(5)
            while data and len(data) < 1 << 20:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            return fail(504, "origin-timeout")  # no answer within the origin response timeout
        except (ssl.SSLError, OSError):
            return fail(502, "origin-refused")  # the handshake failed: wrong port, expired, untrusted...
        finally:
            sock.close()
        return _parse_response(data, fail, time.monotonic() - started)


def _cloudfront_context(roots: bytes) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=roots.decode("ascii") if roots else None)
    context.check_hostname = False  # CloudFront's rule (domain or forwarded Host) is checked after
    return context


def _peer_names(cert: Mapping[str, Any]) -> List[str]:
    names = [str(v) for k, v in cert.get("subjectAltName") or () if k == "DNS"]
    if names:
        return names
    return [str(v) for group in cert.get("subject") or () for k, v in group if k == "commonName"]


def _parse_response(data: bytes, fail, taken: float) -> Answer:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1", "replace").split("\r\n")
    parts = lines[0].split(" ", 2)
    if not lines[0].startswith("HTTP/") or len(parts) < 2 or not parts[1].isdigit():
        return fail(502, "origin-refused")
    out = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() not in ("connection", "content-length", "transfer-encoding"):
            out.append((name.strip(), value.strip()))
    return int(parts[1]), out, body, taken


def _forwards_host(view, behavior: Mapping[str, Any]) -> bool:
    """Whether the behavior forwards the viewer's Host to the origin (the lab's own reading of the
    origin request policy, the cache policy, or the legacy ForwardedValues)."""
    if behavior.get("OriginRequestPolicyId"):
        policy = view.policy("origin_request", behavior["OriginRequestPolicyId"]) or {}
        headers = ((policy.get("OriginRequestPolicyConfig") or {}).get("HeadersConfig") or {})
        named = [str(h).lower() for h in ((headers.get("Headers") or {}).get("Items") or [])]
        kind = headers.get("HeaderBehavior")
        if kind in ("allViewer", "allViewerAndWhitelistCloudFront") or (kind == "whitelist" and "host" in named):
            return True
        if kind == "allExcept" and "host" not in named:
            return True
    if behavior.get("CachePolicyId"):
        policy = view.policy("cache", behavior["CachePolicyId"]) or {}
        params = ((policy.get("CachePolicyConfig") or {}).get("ParametersInCacheKeyAndForwardedToOrigin") or {})
        headers = params.get("HeadersConfig") or {}
        return headers.get("HeaderBehavior") == "whitelist" and "host" in [
            str(h).lower() for h in ((headers.get("Headers") or {}).get("Items") or [])]
    legacy = ((behavior.get("ForwardedValues") or {}).get("Headers") or {}).get("Items") or []
    return any(str(h).lower() in ("host", "*") for h in legacy)
