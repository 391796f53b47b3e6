"""Provides the httpx transport edgewiz probes go through: an overall deadline on every socket
operation (DNS, connect, TLS, each read and write), curl-style --connect-to routing, and the
address policy (address_policy.py) applied to every resolved address before it is connected to.

httpx's timeouts are per operation: a server that trickles one byte just inside the read timeout
keeps a request alive forever. Here every operation gets at most the time left before the
request's deadline, which the prober sets per thread (sync httpx does its I/O on the calling
thread, so a thread-local deadline follows the request, even through the connection pool). The
host the user typed travels the same way (`typed_host`): requests to it, and requests routed by
--connect-to, are exempt from the address policy; a redirect elsewhere is not.
"""

from __future__ import annotations

import ipaddress
import os
import select
import socket
import ssl
import threading
import time
from typing import Dict, Optional, Tuple, Union

import httpcore
import httpx

from .address_policy import AddressRefused, refusal

__all__ = ["DnsTimeout", "EdgeTransport", "deadline", "parse_connect_to", "typed_host"]

_state = threading.local()


class DnsTimeout(OSError):
    """The name lookup did not finish before the request's deadline."""


class deadline:  # noqa: N801 - used as a context manager, reads like one
    """Context manager: every socket operation on this thread must end by `seconds` from now."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._previous: Optional[float] = None

    def __enter__(self) -> "deadline":
        self._previous = getattr(_state, "deadline", None)
        _state.deadline = time.monotonic() + self.seconds
        return self

    def __exit__(self, *exc: object) -> None:
        _state.deadline = self._previous


class typed_host:  # noqa: N801 - used as a context manager, reads like one
    """Context manager: requests on this thread to `host` (the one in the URL the user typed) may
    reach any address, loopback and link-local included; others follow the address policy."""

    def __init__(self, host: Optional[str]) -> None:
        self.host = _host_key(host or "")
        self._previous: Optional[str] = None

    def __enter__(self) -> "typed_host":
        self._previous = getattr(_state, "typed_host", None)
        _state.typed_host = self.host
        return self

    def __exit__(self, *exc: object) -> None:
        _state.typed_host = self._previous


class _exempt:  # noqa: N801 - a context manager
    """While a request is sent: whether its connection is exempt from the address policy."""

    def __init__(self, value: bool) -> None:
        self.value = value
        self._previous = False

    def __enter__(self) -> None:
        self._previous = getattr(_state, "exempt", False)
        _state.exempt = self.value

    def __exit__(self, *exc: object) -> None:
        _state.exempt = self._previous


def _host_key(host: str) -> str:
    return host.lower().rstrip(".").strip("[]")


def _allowed(host: str, infos: list) -> list:
    """The resolved addresses the policy lets this request reach; AddressRefused when none is left."""
    if getattr(_state, "exempt", False):
        return infos
    kept, refused = [], None
    for info in infos:
        why = refusal(str(info[4][0]))
        if why is None:
            kept.append(info)
        elif refused is None:
            refused = AddressRefused(host, str(info[4][0]), why)
    if not kept and refused is not None:
        raise refused
    return kept


def remaining(timeout: Optional[float]) -> Optional[float]:
    """The time an operation may take: its own timeout, cut to what is left of the deadline."""
    end = getattr(_state, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        return 0.0
    return left if timeout is None else min(timeout, left)


def _wrap(kind: type, message: str, cause: BaseException) -> Exception:
    """An httpcore exception that keeps the OSError behind it as `origin_error`.

    httpcore's connection pool re-raises with `from None`, which drops __cause__; the failure
    reading (socket.gaierror, ssl.SSLCertVerificationError, ConnectionRefusedError) needs it.
    """
    exc = kind(message)
    exc.origin_error = cause  # type: ignore[attr-defined]
    return exc


def _expired() -> bool:
    end = getattr(_state, "deadline", None)
    return end is not None and time.monotonic() >= end


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose reads, writes and TLS handshake honour the thread's deadline."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        if _expired():
            raise httpcore.ReadTimeout("the request's overall time limit was reached")
        try:
            self._sock.settimeout(remaining(timeout))
            return self._sock.recv(max_bytes)
        except socket.timeout as exc:
            raise _wrap(httpcore.ReadTimeout, str(exc) or "timed out", exc) from exc
        except OSError as exc:
            raise _wrap(httpcore.ReadError, str(exc), exc) from exc

    def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        try:
            while buffer:
                if _expired():
                    raise httpcore.WriteTimeout("the request's overall time limit was reached")
                self._sock.settimeout(remaining(timeout))
                sent = self._sock.send(buffer)
                buffer = buffer[sent:]
        except socket.timeout as exc:
            raise _wrap(httpcore.WriteTimeout, str(exc) or "timed out", exc) from exc
        except OSError as exc:
            raise _wrap(httpcore.WriteError, str(exc), exc) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: Optional[str] = None,
                  timeout: Optional[float] = None) -> httpcore.NetworkStream:
        try:
            self._sock.settimeout(remaining(timeout))
            tls = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except socket.timeout as exc:
            self.close()
            # TCP was accepted, so nothing drops packets: the server just never answers the handshake.
            raise _wrap(httpcore.ReadTimeout, "the TLS handshake got no answer in time", exc) from exc
        except OSError as exc:  # ssl.SSLError and SSLCertVerificationError are OSErrors
            self.close()
            raise _wrap(httpcore.ConnectError, str(exc), exc) from exc
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> object:
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock._sslobj  # type: ignore[attr-defined]  # what httpcore's own stream returns
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            return _is_readable(self._sock)
        return None


def _is_readable(sock: socket.socket) -> bool:
    """True when a pooled connection was closed by the server (readable with nothing to read)."""
    try:
        if sock.fileno() < 0:
            return True
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    except (OSError, ValueError):
        return True


def _resolve(host: str, port: int, timeout: Optional[float]):
    """getaddrinfo with a time limit: the C resolver has none, so it runs in a helper thread."""
    try:
        ipaddress.ip_address(host)
        return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)  # a literal: nothing to look up
    except ValueError:
        pass
    result: Dict[str, object] = {}

    def lookup() -> None:
        try:
            result["infos"] = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            result["error"] = exc

    worker = threading.Thread(target=lookup, name=f"dns-{host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise DnsTimeout(f"looking up {host} did not finish in time")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["infos"]


class _DeadlineBackend(httpcore.NetworkBackend):
    """Opens TCP connections with a bounded DNS lookup and connect, within the deadline."""

    def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                    local_address: Optional[str] = None, socket_options=None) -> httpcore.NetworkStream:
        try:
            infos = _resolve(host, port, remaining(timeout))
        except DnsTimeout as exc:
            raise _wrap(httpcore.ConnectTimeout, str(exc), exc) from exc
        except OSError as exc:  # socket.gaierror
            raise _wrap(httpcore.ConnectError, str(exc), exc) from exc
        try:
            infos = _allowed(host, infos)  # before any socket exists: a refused address sees no packet
        except AddressRefused as exc:
            raise _wrap(httpcore.ConnectError, str(exc), exc) from exc
        last: Optional[BaseException] = None
        for family, kind, proto, _, address in infos:
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if local_address:
                    sock.bind((local_address, 0))
                left = remaining(timeout)
                if left is not None and left <= 0:
                    raise socket.timeout("the request's overall time limit was reached")
                sock.settimeout(left)
                sock.connect(address)
                return _DeadlineStream(sock)
            except socket.timeout as exc:
                sock.close()
                raise _wrap(httpcore.ConnectTimeout, str(exc) or "connect timed out", exc) from exc
            except OSError as exc:
                sock.close()
                last = exc
        if last is None:
            last = OSError(f"no address found for {host}")
        raise _wrap(httpcore.ConnectError, str(last), last) from last

    def connect_unix_socket(self, path: str, timeout: Optional[float] = None,
                            socket_options=None) -> httpcore.NetworkStream:  # pragma: no cover
        raise httpcore.ConnectError("unix sockets are not used by edgewiz")

    def sleep(self, seconds: float) -> None:  # pragma: no cover - only used by httpcore retries
        time.sleep(seconds)


def parse_connect_to(mapping: Optional[Dict[str, str]]) -> Dict[str, Tuple[str, int]]:
    """{"host or *.suffix or *": "address:port"} -> {pattern: (address, port)}; port 80 by default.

    Raises ValueError (saying what is wrong) for an empty address or a port that is not 1-65535.
    """
    out: Dict[str, Tuple[str, int]] = {}
    for pattern, target in (mapping or {}).items():
        target = str(target).strip()
        if target.startswith("["):  # [::1]:8081
            address, closed, rest = target[1:].partition("]")
            if not closed or (rest and not rest.startswith(":")):
                raise ValueError(f"an IPv6 address is written [::1]:PORT (got {target!r})")
            port_text = rest[1:] or "80"
        elif target.count(":") == 1:
            address, port_text = target.split(":")
        else:
            address, port_text = target, "80"
        if not address:
            raise ValueError(f"no address before the port in {target!r}")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"the port must be a number from 1 to 65535 (got {port_text!r})")
        out[str(pattern).strip().lower()] = (address, int(port_text))
    return out


def _route(routes: Dict[str, Tuple[str, int]], host: str) -> Optional[Tuple[str, int]]:
    host = host.lower().rstrip(".")
    if host in routes:
        return routes[host]
    for pattern, target in routes.items():
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return target
    return routes.get("*")


def _ssl_context(verify: Union[bool, str, ssl.SSLContext]) -> ssl.SSLContext:
    """An SSL context from verify: a context as is, a CA bundle file or directory, or True/False."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str):
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    return httpx.create_ssl_context(verify=bool(verify), trust_env=False)


class EdgeTransport(httpx.BaseTransport):
    """An httpx transport with deadline-bound sockets and --connect-to style routing.

    A request whose host is mapped in `connect_to` is sent over plain HTTP to the mapped address
    with its original Host header (and X-Forwarded-Proto naming the scheme it was meant to use),
    which is how the lab's edge simulator stands in for d123.cloudfront.net.
    """

    def __init__(self, connect_to: Optional[Dict[str, str]] = None,
                 verify: Union[bool, str, ssl.SSLContext] = True) -> None:
        self._routes = parse_connect_to(connect_to)
        ssl_context = _ssl_context(verify)
        self._inner = httpx.HTTPTransport(verify=ssl_context, trust_env=False)
        # httpx.HTTPTransport has no network_backend argument; its connection pool does. Swapping
        # the pool keeps httpx's request/response/exception mapping and adds the deadline.
        self._inner._pool = httpcore.ConnectionPool(  # type: ignore[attr-defined]
            ssl_context=ssl_context, network_backend=_DeadlineBackend(), http1=True, http2=False,
            max_connections=20, max_keepalive_connections=10, keepalive_expiry=5.0,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = _route(self._routes, request.url.host) if self._routes else None
        if target is None:
            typed = getattr(_state, "typed_host", None)
            with _exempt(typed is not None and _host_key(request.url.host) == typed):
                return self._inner.handle_request(request)
        address, port = target
        headers = request.headers.copy()
        headers["X-Forwarded-Proto"] = request.url.scheme
        routed = httpx.Request(
            request.method,
            request.url.copy_with(scheme="http", host=address, port=port),
            headers=headers,  # Host stays the original: it was set from the original URL
            stream=request.stream,
            extensions=request.extensions,
        )
        with _exempt(True):  # the user chose this address with --connect-to
            return self._inner.handle_request(routed)

    def close(self) -> None:
        self._inner.close()
