"""Provides EdgeServer: the simulator's HTTP server on 127.0.0.1, routing by Host header to the
app pages of the scenario, to CloudFront distributions (by domain, alias, or a DNS record that
points at one), or to an ALB by its DNS name. It is also the lab's network for custom origins: a
CONNECT opens a tunnel to one of them (tls_origin.LabOrigins), and the lab's public CA root is
served at origin_tls.ROOTS_PATH."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlsplit

from . import pages
from ...http.origin_tls import ROOTS_PATH
from .cloudfront import CloudFrontEdge
from .tls_origin import LabOrigins, Unreachable
from .view import LabView


class _Handler(BaseHTTPRequestHandler):
    server_version = "edgewiz-lab"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args) -> None:  # quiet: the lab prints its own progress
        pass

    def _serve(self) -> None:
        edge: "EdgeServer" = self.server.edge  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, 1 << 20))
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, out, body = edge.answer(host, self.command, parts.path or "/", parts.query, headers)
        except Exception as exc:  # the lab must answer something; say what broke
            status, out, body = 500, [("Content-Type", "text/plain")], f"edgewiz lab error: {exc}".encode()
        # send_response_only: the simulator must not add a Server header of its own; AWS's is in `out`.
        self.send_response_only(status, pages.reason(status))
        self.send_header("Date", self.date_time_string())
        for name, value in out:
            if name.lower() not in ("content-length", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_OPTIONS = do_POST = do_PUT = do_DELETE = _serve

    def do_CONNECT(self) -> None:  # noqa: N802 - http.server's naming
        """A tunnel to a custom origin, as a proxy opens one; a refusal says why in Proxy-Status (RFC 9209)."""
        origins: LabOrigins = self.server.edge.origins  # type: ignore[attr-defined]
        host, _, port = self.path.rpartition(":")
        try:
            origins.address(host, int(port))
        except (Unreachable, ValueError) as exc:
            error = exc.error if isinstance(exc, Unreachable) else "http_request_error"
            self.send_response_only(502, "Bad Gateway")
            self.send_header("Proxy-Status", f"edgewiz-lab; error={error}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response_only(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        origins.tunnel(self.connection, host, int(port))


class EdgeServer:
    """The lab's HTTP edge."""

    def __init__(self, view: LabView, sim: Mapping[str, Any], pages_by_url: Dict[str, str], record_sample=None,
                 origins: Optional[LabOrigins] = None) -> None:
        self.view = view
        self.sim = sim
        self.pages = pages_by_url
        self.origins = origins or LabOrigins({})
        self.cloudfront = CloudFrontEdge(view, sim, record_sample)
        self.cloudfront.origins = self.origins
        self.origins.resolves = self._resolves
        self._httpd: Optional[ThreadingHTTPServer] = None

    def _resolves(self, host: str) -> bool:
        """The lab's DNS beyond its custom origin servers: Route 53 records and load balancer names."""
        try:
            if self.view.dns_target(host):
                return True
            if host.endswith(".elb.amazonaws.com"):
                lbs = self.view.client("elbv2").describe_load_balancers().get("LoadBalancers") or []
                return any(str(lb.get("DNSName", "")).lower() == host for lb in lbs)
        except Exception:  # noqa: BLE001 - a lab read that fails answers "does not resolve"
            return False
        return False

    def start(self, port: int = 0) -> str:
        """Start serving; returns "127.0.0.1:PORT"."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.edge = self  # type: ignore[attr-defined]
        # shutdown() waits for serve_forever's next poll: 50 ms instead of the default 0.5 s per stop.
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="edge-sim",
                         daemon=True).start()
        return f"127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        self.origins.stop()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    def answer(self, host: str, method: str, path: str, query: str, headers: Dict[str, str]):
        with self.view.one_request():
            return self._answer(host, method, path, query, headers)

    def _answer(self, host: str, method: str, path: str, query: str, headers: Dict[str, str]):
        if path == ROOTS_PATH and method == "GET":
            return 200, [("Content-Type", "application/x-pem-file")], self.origins.public_roots_pem()
        page = self.pages.get(f"{host}{path}")
        if page is not None and method in ("GET", "HEAD"):
            return 200, [("Content-Type", "text/html; charset=utf-8")], page.encode()
        dist, how = self.cloudfront.find(host)
        if dist is not None:
            return self.cloudfront.handle(dist, how, method, path, query, headers)
        return 421, [("Content-Type", "text/plain")], (
            f"edgewiz lab: no page, distribution or DNS record answers for {host} in this scenario").encode()
