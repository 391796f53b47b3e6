"""Provides the origin TLS probe: connect to a custom origin the way CloudFront does (its domain, the
port the origin protocol policy picks, SNI as CloudFront sends it), read what the port speaks and
the certificate it serves (names, validity, issuer, whether the chain verifies), and time the first
byte of the answer to one GET. Never raises: every failure is data (`error_kind`, `error`).

Trust: the chain is verified against the public roots this host trusts (certifi's Mozilla bundle,
the same list CloudFront follows). Names are checked by the caller, not here, so a certificate for
the wrong name still shows its chain verdict and its names.

Routing follows --connect-to: a routed host is not looked up in DNS; the probe asks the route's
address to open a tunnel to host:port (HTTP CONNECT, as through a proxy), and a refused tunnel is
read from its RFC 9209 Proxy-Status header (dns_error, connection_refused, connection_timeout). A
route may publish extra public roots at ROOTS_PATH (the lab's stand-in for the public CAs); those
are trusted for routed hosts only. Unrouted hosts are resolved with the same bounded lookup as the
HTTP probes and held to the address policy (an origin name that resolves to loopback or the metadata
service is not connected to).
"""

from __future__ import annotations

import os
import socket
import ssl
import tempfile
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from .address_policy import AddressRefused
from .failures import sentence
from .transport import DnsTimeout, _allowed, _resolve, _route, parse_connect_to

__all__ = ["OriginTarget", "ROOTS_PATH", "probe_origin"]

ROOTS_PATH = "/.well-known/edgewiz-lab/public-roots.pem"
_HEAD_LIMIT = 16 * 1024
# How long past the origin response timeout the probe waits before it calls the answer late. CloudFront's
# clock runs from its request to the first byte; the probe's also holds its own round trip to the origin,
# which CloudFront's (from an edge near the origin) may not. So the probe waits the timeout plus its round
# trip (measured as the time the first connect took, DNS not counted, doubled against jitter) plus a fixed
# slack: no first byte by then means the origin itself took longer than the timeout. A late wake-up of
# this process cannot make a false timeout: a first byte that arrived meanwhile is read, not timed out.
_SLACK_S = 0.15
_TLS_VERSIONS = ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")


@dataclass(frozen=True)
class OriginTarget:
    """What CloudFront would connect to: `host` on `port` speaking `protocol` ("https" or "http"),
    TLS server name `sni`, requests carrying Host `host_header` for `path`."""

    host: str
    port: int
    protocol: str
    sni: str
    host_header: str
    path: str = "/"
    read_timeout: Optional[float] = None  # the origin response timeout, seconds


class _Failed(Exception):
    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


# Opening the TCP connection (direct or through a route's tunnel) -------------------------------

def _recv_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < _HEAD_LIMIT:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _proxy_status_error(head: bytes) -> str:
    for line in head.decode("latin-1", "replace").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "proxy-status":
            for part in value.split(";")[1:]:
                key, _, val = part.strip().partition("=")
                if key.strip().lower() == "error":
                    return val.strip().strip('"')
    return ""


_PROXY_ERRORS = {"dns_error": "dns", "dns_timeout": "dns", "connection_refused": "refused",
                 "connection_timeout": "connect-timeout", "destination_ip_prohibited": "address-refused"}


def _tunnel(route: Tuple[str, int], host: str, port: int, timeout: float) -> socket.socket:
    try:
        sock = socket.create_connection(route, timeout=timeout)
    except socket.timeout:
        raise _Failed("connect-timeout", f"the route {route[0]}:{route[1]}") from None
    except OSError as exc:
        raise _Failed("refused", f"the route {route[0]}:{route[1]}: {exc}") from None
    try:
        sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("idna"))
        head = _recv_head(sock)
    except OSError as exc:
        sock.close()
        raise _Failed("other", f"the route did not open a tunnel: {exc}") from None
    status = head.split(b" ", 2)[1:2]
    if status == [b"200"]:
        return sock
    sock.close()
    error = _proxy_status_error(head)
    kind = _PROXY_ERRORS.get(error, "other")
    raise _Failed(kind, error or head.split(b"\r\n", 1)[0].decode("latin-1", "replace")[:120])


def _direct(host: str, port: int, timeout: float, on_connected=lambda seconds: None) -> socket.socket:
    """A TCP connection to host:port; `on_connected` gets the seconds the connect itself took (one
    round trip, without the DNS lookup before it)."""
    try:
        infos = _allowed(host, _resolve(host, port, timeout))
    except DnsTimeout as exc:
        raise _Failed("dns", str(exc)) from None
    except AddressRefused as exc:
        raise _Failed("address-refused", str(exc)) from None
    except OSError as exc:  # socket.gaierror
        raise _Failed("dns", str(exc)) from None
    last: Optional[BaseException] = None
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            started = time.monotonic()
            sock.connect(address)
            on_connected(time.monotonic() - started)
            return sock
        except socket.timeout:
            sock.close()
            raise _Failed("connect-timeout") from None
        except OSError as exc:
            sock.close()
            last = exc
    raise _Failed("refused", str(last or "no address"))


class _Opener:
    """Opens TCP connections to the origin, the same way each time (direct or tunnelled)."""

    def __init__(self, host: str, port: int, routes: Optional[Dict[str, str]], timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        parsed = parse_connect_to(routes) if routes else {}
        self.route = _route(parsed, host) if parsed else None
        self.round_trip_s = 0.0

    def open(self) -> socket.socket:
        """A connection to the origin; `round_trip_s` then holds how long opening it took (the TCP
        connect, or through a route the tunnel's CONNECT exchange: this host's round trip to the origin)."""
        if self.route is not None:
            started = time.monotonic()
            sock = _tunnel(self.route, self.host, self.port, self.timeout)
            self.round_trip_s = time.monotonic() - started
        else:
            sock = _direct(self.host, self.port, self.timeout, on_connected=self._connected)
        sock.settimeout(self.timeout)
        return sock

    def _connected(self, seconds: float) -> None:
        self.round_trip_s = seconds

    def route_roots(self) -> str:
        """The extra public roots the route publishes ("" when none, or unrouted)."""
        if self.route is None:
            return ""
        try:
            with socket.create_connection(self.route, timeout=self.timeout) as sock:
                sock.sendall(f"GET {ROOTS_PATH} HTTP/1.0\r\nHost: {self.host}\r\n\r\n".encode("idna"))
                data = b""
                while len(data) < 256 * 1024:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        except OSError:
            return ""
        head, _, body = data.partition(b"\r\n\r\n")
        if head.split(b" ", 2)[1:2] != [b"200"]:
            return ""
        text = body.decode("ascii", "replace")
        return text if "BEGIN CERTIFICATE" in text else ""


# TLS ---------------------------------------------------------------------------------------------

def _verifying_context(extra_roots: str) -> ssl.SSLContext:
    try:
        import certifi

        ctx = ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover - httpx depends on certifi
        ctx = ssl.create_default_context()
    if extra_roots:
        ctx.load_verify_locations(cadata=extra_roots)
    ctx.check_hostname = False  # names are judged by the caller against CloudFront's rule
    _all_versions(ctx)
    return ctx


def _open_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    _all_versions(ctx)
    return ctx


def _all_versions(ctx: ssl.SSLContext) -> None:
    try:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # what CloudFront offers origins by default
    except (ValueError, AttributeError):  # pragma: no cover
        pass


def _decode_der(der: bytes) -> Dict[str, Any]:
    """The fields of a DER certificate as ssl.getpeercert() gives them (names, dates, issuer); {}
    when they cannot be read."""
    pem = ssl.DER_cert_to_PEM_cert(der)
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(pem)
        return dict(ssl._ssl._test_decode_cert(path))  # type: ignore[attr-defined]  # stdlib's own decoder
    except Exception:  # noqa: BLE001 - names unknown rather than a crash
        return {}
    finally:
        os.unlink(path)


def _cert_fields(cert: Dict[str, Any]) -> Dict[str, Any]:
    def rdn(seq) -> Dict[str, str]:
        out: Dict[str, str] = {}
        for group in seq or ():
            for key, value in group:
                out.setdefault(str(key), str(value))
        return out

    subject, issuer = rdn(cert.get("subject")), rdn(cert.get("issuer"))
    names = [str(v) for k, v in cert.get("subjectAltName") or () if k == "DNS"]
    return {
        "names": names,
        "subject_cn": subject.get("commonName", ""),
        "issuer": issuer.get("commonName") or issuer.get("organizationName") or "",
        "self_signed": bool(subject) and subject == issuer,
        "not_before": str(cert.get("notBefore") or ""),
        "not_after": str(cert.get("notAfter") or ""),
    }


def _handshake(opener: _Opener, ctx: ssl.SSLContext, sni: str) -> ssl.SSLSocket:
    sock = opener.open()
    try:
        return ctx.wrap_socket(sock, server_hostname=sni or None)
    except BaseException:
        sock.close()
        raise


def _read_tls(opener: _Opener, sni: str, extra_roots: str) -> Tuple[Optional[ssl.SSLSocket], Dict[str, Any]]:
    """(the verified connection or None, what the handshake showed). Raises _Failed when the port
    does not complete a TLS handshake at all."""
    try:
        tls = _handshake(opener, _verifying_context(extra_roots), sni)
        info = _cert_fields(tls.getpeercert() or {})
        info.update(verified=True, verify_error="", version=tls.version() or "", decoded=True)
        return tls, info
    except ssl.SSLCertVerificationError as exc:
        verify_error = str(exc.verify_message or exc.reason or exc)
        verify_code = exc.verify_code
    except ssl.SSLError as exc:
        raise _Failed("tls", exc.reason or str(exc)) from None
    except socket.timeout:
        raise _Failed("read-timeout", "the TLS handshake got no answer in time") from None
    except ConnectionError as exc:
        raise _Failed("reset", str(exc)) from None
    # The chain did not verify: shake hands again without verifying, to read what it serves.
    try:
        tls = _handshake(opener, _open_context(), sni)
    except ssl.SSLError as exc:
        raise _Failed("tls", exc.reason or str(exc)) from None
    except (socket.timeout, ConnectionError) as exc:
        raise _Failed("tls", str(exc)) from None
    try:
        fields = _decode_der(tls.getpeercert(binary_form=True) or b"")
        info = _cert_fields(fields)
        # decoded=False: the names could not be read, so nothing may be concluded from their absence.
        info.update(verified=False, verify_error=verify_error, verify_code=verify_code, version=tls.version() or "",
                    decoded=bool(fields))
    finally:
        tls.close()
    return None, info


# The plain-HTTP side -------------------------------------------------------------------------------

def _request_bytes(target: OriginTarget) -> bytes:
    return (f"GET {target.path} HTTP/1.1\r\nHost: {target.host_header}\r\nUser-Agent: edgewiz origin probe\r\n"
            f"Accept: */*\r\nConnection: close\r\n\r\n").encode("latin-1", "replace")


def _first_answer(sock: socket.socket, target: OriginTarget, wait: float) -> Dict[str, Any]:
    """Send one GET and wait up to `wait` seconds for the status line."""
    started = time.monotonic()
    try:
        sock.sendall(_request_bytes(target))
        sock.settimeout(wait)
        data = sock.recv(1024)
    except socket.timeout:
        return {"status": None, "timed_out": True, "waited_s": round(time.monotonic() - started, 3), "raw": ""}
    except OSError as exc:
        return {"status": None, "timed_out": False, "error": str(exc)[:200], "raw": ""}
    elapsed = round(time.monotonic() - started, 3)
    status = None
    if data.startswith(b"HTTP/"):
        parts = data.split(b"\r\n", 1)[0].split(b" ")
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return {"status": status, "timed_out": False, "first_byte_s": elapsed,
            "raw": data[:64].decode("latin-1", "replace"), "tls_alert": data[:1] == b"\x15"}


def _speaks_http(opener: _Opener, target: OriginTarget) -> bool:
    try:
        with opener.open() as sock:
            return str(_first_answer(sock, target, opener.timeout).get("raw", "")).startswith("HTTP/")
    except (_Failed, OSError):
        return False


def _speaks_tls(opener: _Opener, sni: str) -> bool:
    try:
        _handshake(opener, _open_context(), sni).close()
        return True
    except (_Failed, OSError, ssl.SSLError):
        return False


# The probe -------------------------------------------------------------------------------------

def probe_origin(target: OriginTarget, routes: Optional[Dict[str, str]] = None, timeout: float = 10.0) -> Dict[str, Any]:
    """Probe `target` (see the module docstring); plain data for facts and the journal."""
    opener = _Opener(target.host, target.port, routes, timeout)
    out: Dict[str, Any] = {
        "host": target.host, "port": target.port, "protocol": target.protocol, "sni": target.sni,
        "host_header": target.host_header, "path": target.path, "read_timeout": target.read_timeout,
        "routed": opener.route is not None, "connected": False, "speaks": "unknown", "tls": None, "response": None,
        "error_kind": None, "error": None,
    }
    url = f"{target.protocol}://{target.host}:{target.port}/"
    try:
        first = opener.open()  # DNS and TCP first: their failure is the answer
        first.close()
        wait = _answer_wait(target.read_timeout, opener.round_trip_s, timeout)
        out["connected"] = True
        if target.protocol == "https":
            try:
                tls, info = _read_tls(opener, target.sni, opener.route_roots())
            except _Failed as failed:
                out["speaks"] = "http" if _speaks_http(opener, target) else "unknown"
                raise failed
            out["tls"], out["speaks"] = info, "tls"
            if tls is None:  # not verified: time the answer over an unverified session (what the site serves)
                tls = _handshake(opener, _open_context(), target.sni)
            with tls:
                out["response"] = _first_answer(tls, target, wait)
        else:
            with opener.open() as sock:
                answer = _first_answer(sock, target, wait)
            plain = str(answer.get("raw", "")).startswith("HTTP/") or answer.get("timed_out")
            if plain and not (answer.get("status") == 400 and _speaks_tls(opener, target.sni)):
                out["speaks"], out["response"] = "http", answer
            elif plain:
                # nginx and the ALB answer plain HTTP on a TLS port with 400 ("The plain HTTP request
                # was sent to HTTPS port"): the port completing a handshake says what it is.
                out["speaks"], out["response"] = "tls", answer
            else:
                out["speaks"] = "tls" if _speaks_tls(opener, target.sni) else "unknown"
                raise _Failed("other", "the port did not answer plain HTTP")
    except _Failed as failed:
        out["error_kind"] = failed.kind
        out["error"] = sentence(failed.kind if failed.kind in _SENTENCES else "other", url, timeout, failed.detail)
    except (OSError, ssl.SSLError) as exc:
        out["error_kind"] = "other"
        out["error"] = sentence("other", url, timeout, str(exc))
    if out["response"]:
        # The answer's first bytes told the protocol apart; they may hold a header (a cookie), so
        # they are not kept in the facts or the journal.
        out["response"].pop("raw", None)
    return out


def _answer_wait(read_timeout: Optional[float], round_trip_s: float, timeout: float) -> float:
    """How long to wait for the first byte: the origin response timeout plus this host's round trip to
    the origin (doubled) plus _SLACK_S (see there); `timeout` when the response timeout is unknown."""
    if not read_timeout:
        return timeout
    return min(timeout, read_timeout + 2.0 * max(round_trip_s, 0.0) + _SLACK_S)


_SENTENCES = ("dns", "refused", "address-refused", "tls", "connect-timeout", "read-timeout", "reset")
