"""Provides the reading of a failed request: which kind of failure it was (DNS, refused, TLS name
or expiry, timeouts, reset...) and one plain sentence that says what happened and what to check.
"""

from __future__ import annotations

import socket
import ssl
from typing import List, Optional, Tuple

import httpx

from ..redact import redact_text, redact_url
from ..untrusted import shorten
from .address_policy import AddressRefused
from .transport import DnsTimeout

__all__ = ["ERROR_KINDS", "describe", "sentence"]

ERROR_KINDS = ("dns", "refused", "address-refused", "tls-name", "tls-expired", "tls", "connect-timeout", "read-timeout",
               "reset", "redirect-loop", "too-many-redirects", "bad-url", "other")

# OpenSSL X509 verify codes (x509_vfy.h) that get their own advice.
_X509_NOT_YET_VALID = 9
_X509_EXPIRED = 10
_X509_UNTRUSTED = (18, 19, 20, 21)  # self-signed leaf / self-signed in chain / unknown issuer / unable to verify leaf
_X509_HOSTNAME_MISMATCH = 62


def _chain(exc: BaseException) -> List[BaseException]:
    seen: List[BaseException] = []
    current: Optional[BaseException] = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        # origin_error: set by transport._wrap, survives httpcore's `raise ... from None`
        current = getattr(current, "origin_error", None) or current.__cause__ or current.__context__
    return seen


def _first(chain: List[BaseException], kind: type) -> Optional[BaseException]:
    return next((e for e in chain if isinstance(e, kind)), None)


def _where(url: str) -> Tuple[str, str]:
    """(host, host:port) of the URL for the sentence."""
    try:
        parsed = httpx.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return parsed.host or url, f"{parsed.host}:{port}"
    except Exception:  # noqa: BLE001 - a sentence must still come out
        return url, url


def sentence(kind: str, url: str, timeout: float, detail: str = "") -> str:
    """The one-sentence explanation of a failure kind, for this URL."""
    host, hostport = _where(url)
    shown = redact_url(url)
    # Exception text can quote what the server sent (a bad header line): clean and bound it.
    detail = shorten(redact_text(detail), 200) if detail else ""
    detail = f" ({detail})" if detail else ""
    return {
        "dns": f"The name {host} did not resolve{detail}: check the spelling and that its DNS record exists "
               f"(dig {host}).",
        "refused": f"{hostport} refused the connection: nothing listens on that port, or a firewall rejects it; "
                   f"check the port and the listener.",
        "address-refused": f"edgewiz did not connect to {host}{detail}: it only reaches such an address when you "
                           f"name it, so a redirect cannot aim a probe at this host or the instance metadata "
                           f"service. To probe it, give that URL yourself or route it with --connect-to.",
        "tls-name": f"The TLS certificate served at {host} is not valid for that name{detail}: add {host} to the "
                    f"certificate (for CloudFront, the distribution's ACM certificate in us-east-1 and its "
                    f"alternate domain names).",
        "tls-expired": f"The TLS certificate served at {host} has expired{detail}: renew or re-import it "
                       f"(ACM renews automatically only while its DNS validation record is in place).",
        "tls": f"The TLS handshake with {host} failed{detail}: check the certificate chain, the issuer and "
               f"the TLS versions the server accepts.",
        "connect-timeout": f"Connecting to {hostport} timed out after {timeout:g}s: packets are probably dropped "
                           f"by a security group, network ACL or firewall; check the inbound rules for that port.",
        "read-timeout": f"{host} accepted the connection but sent no complete answer within {timeout:g}s: the "
                        f"server (or what it waits on) is hanging; check its health and its own timeouts.",
        "reset": f"{host} closed the connection before the answer was complete{detail}: check the server's "
                 f"or load balancer's logs for a crash, a restart or an idle timeout.",
        "redirect-loop": f"The redirects from {shown} loop back to a URL already visited: check the redirect "
                         f"rules at CloudFront and at the origin (e.g. both forcing HTTP/HTTPS or a trailing /).",
        "too-many-redirects": f"{shown} redirected too many times{detail}: check the redirect rules at "
                              f"CloudFront and at the origin.",
        "bad-url": f"The URL {shown} cannot be requested{detail}: give a full http:// or https:// URL.",
        "other": f"The request to {host} failed{detail}: run the same request with curl -v to see more.",
    }.get(kind, f"The request to {host} failed{detail}.")


def _kind(exc: BaseException) -> Tuple[str, str]:
    chain = _chain(exc)
    refused = _first(chain, AddressRefused)
    if refused is not None:
        return "address-refused", str(refused)
    if _first(chain, DnsTimeout) is not None:
        return "dns", "the DNS lookup did not finish in time"
    gai = _first(chain, socket.gaierror)
    if gai is not None:
        errno = getattr(gai, "errno", None)
        if errno == getattr(socket, "EAI_AGAIN", -3):
            return "dns", "the DNS server did not give an answer"
        if errno in (getattr(socket, "EAI_NODATA", -5), getattr(socket, "EAI_NONAME", -2)):
            return "dns", "no such name"
        return "dns", str(gai.strerror or gai)
    cert = _first(chain, ssl.SSLCertVerificationError)
    if cert is not None:
        code = getattr(cert, "verify_code", None)
        message = str(getattr(cert, "verify_message", "") or cert)
        if code == _X509_HOSTNAME_MISMATCH or "hostname mismatch" in message.lower():
            return "tls-name", message
        if code == _X509_EXPIRED or "expired" in message.lower():
            return "tls-expired", message
        if code == _X509_NOT_YET_VALID:
            return "tls", f"{message}; check this machine's clock"
        if code in _X509_UNTRUSTED:
            return "tls", f"{message}; the certificate is not signed by a trusted authority"
        return "tls", message
    tls = _first(chain, ssl.SSLError)
    if tls is not None:
        return "tls", str(getattr(tls, "reason", None) or tls)
    if _first(chain, ConnectionRefusedError) is not None:
        return "refused", ""
    if _first(chain, (httpx.InvalidURL, httpx.UnsupportedProtocol)) is not None:  # type: ignore[arg-type]
        return "bad-url", str(exc)
    if _first(chain, httpx.ConnectTimeout) is not None:
        return "connect-timeout", ""
    if _first(chain, httpx.TimeoutException) is not None:
        return "read-timeout", ""
    if _first(chain, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)) is not None:  # type: ignore[arg-type]
        return "reset", "connection reset by peer"
    if _first(chain, httpx.RemoteProtocolError) is not None:
        message = str(exc).lower()
        if "without sending a response" in message or "disconnected" in message:
            return "reset", "the server closed the connection without answering"
        if "incomplete" in message or "peer closed" in message:
            return "reset", "the body ended early"
        return "reset", str(exc)
    if _first(chain, httpx.ReadError) is not None or _first(chain, httpx.WriteError) is not None:
        return "reset", str(exc)
    if _first(chain, httpx.ConnectError) is not None:
        return "other", str(exc)
    return "other", f"{type(exc).__name__}: {exc}"


def describe(exc: BaseException, url: str, timeout: float) -> Tuple[str, str]:
    """(error_kind, sentence) for an exception raised while requesting `url`."""
    kind, detail = _kind(exc)
    return kind, sentence(kind, url, timeout, detail)
