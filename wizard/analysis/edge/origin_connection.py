"""Provides the pure reading of CloudFront's connection to a custom origin: which port and protocol
the origin protocol policy picks, whether the viewer's Host is forwarded (and so names the TLS
server and must be covered by the certificate), the certificate name rule, and which kind of 504 a
wait points to (the origin read timeout, or connection attempts that time out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

# CloudFront's defaults (Developer Guide, "Origin settings"): a 30 s response (read) timeout, and 3
# connection attempts of 10 s each before it gives up on an origin that does not accept.
DEFAULT_READ_TIMEOUT_S = 30.0
DEFAULT_CONNECTION_ATTEMPTS = 3
DEFAULT_CONNECTION_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class OriginLeg:
    """How CloudFront reaches the origin for this request."""

    protocol: str  # "https" or "http"
    port: int
    server_name: str  # the TLS SNI and the Host the origin sees
    host_forwarded: bool
    read_timeout: float
    connection_attempts: int
    connection_timeout: float


def _items(container: Optional[Mapping[str, Any]]) -> list:
    return list((container or {}).get("Items") or [])


def forwards_host(behavior_raw: Mapping[str, Any], origin_request: Optional[Mapping[str, Any]],
                  cache: Optional[Mapping[str, Any]]) -> bool:
    """Whether the behavior sends the viewer's Host header to the origin: an origin request policy
    with all viewer headers (AllViewer; not AllViewerExceptHostHeader) or one naming Host, a cache
    policy naming Host, or legacy ForwardedValues naming Host or `*`."""
    if origin_request:
        cfg = origin_request.get("OriginRequestPolicyConfig") or origin_request
        headers = cfg.get("HeadersConfig") or {}
        named = [str(h).lower() for h in _items(headers.get("Headers"))]
        kind = headers.get("HeaderBehavior")
        if kind in ("allViewer", "allViewerAndWhitelistCloudFront") or (kind == "whitelist" and "host" in named):
            return True
        if kind == "allExcept" and "host" not in named:
            return True
    if cache:
        params = (cache.get("CachePolicyConfig") or cache).get("ParametersInCacheKeyAndForwardedToOrigin") or {}
        headers = params.get("HeadersConfig") or {}
        if headers.get("HeaderBehavior") == "whitelist" and "host" in [str(h).lower() for h in _items(headers.get("Headers"))]:
            return True
    legacy = _items((behavior_raw.get("ForwardedValues") or {}).get("Headers"))
    return any(str(h).lower() in ("host", "*") for h in legacy)


def origin_leg(custom_config: Mapping[str, Any], origin_domain: str, viewer_scheme: str, viewer_host: str,
               host_forwarded: bool) -> OriginLeg:
    """The port and protocol the origin protocol policy picks (https-only: HTTPSPort; http-only:
    HTTPPort; match-viewer: the viewer's scheme), and the name CloudFront sends."""
    policy = str(custom_config.get("OriginProtocolPolicy") or "match-viewer")
    https = policy == "https-only" or (policy == "match-viewer" and viewer_scheme.lower() == "https")
    port = int(custom_config.get("HTTPSPort") or 443) if https else int(custom_config.get("HTTPPort") or 80)
    return OriginLeg(
        protocol="https" if https else "http", port=port,
        server_name=viewer_host if host_forwarded and viewer_host else origin_domain,
        host_forwarded=host_forwarded and bool(viewer_host),
        read_timeout=float(custom_config.get("OriginReadTimeout") or DEFAULT_READ_TIMEOUT_S),
        connection_attempts=int(custom_config.get("ConnectionAttempts") or DEFAULT_CONNECTION_ATTEMPTS),
        connection_timeout=float(custom_config.get("ConnectionTimeout") or DEFAULT_CONNECTION_TIMEOUT_S),
    )


def name_matches(pattern: str, host: str) -> bool:
    """Whether a certificate name covers `host`: exactly, or as a wildcard for one leftmost label
    (RFC 6125: *.example.com covers a.example.com, not a.b.example.com nor example.com)."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in host:
        first, _, rest = host.partition(".")
        return bool(first) and rest == pattern[2:]
    return False


def covers(names: Iterable[str], subject_cn: str, host: str) -> bool:
    """Whether the certificate's names (its DNS SANs, else its subject CN) cover `host`."""
    pool = [str(n) for n in names] or ([subject_cn] if subject_cn else [])
    return any(name_matches(n, host) for n in pool)


def which_504(waited_s: Optional[float], leg: OriginLeg) -> Optional[str]:
    """"read-timeout" when a 504 came after about the origin read timeout, "connect-timeout" when
    after about the connection attempts (attempts × connection timeout), None when neither fits.
    The two default to 30 s each, so equal settings cannot be told apart by time alone."""
    if waited_s is None:
        return None
    read, connect = leg.read_timeout, leg.connection_attempts * leg.connection_timeout

    def near(value: float) -> bool:
        return abs(waited_s - value) <= max(1.0, value * 0.25)

    if near(read) and not near(connect):
        return "read-timeout"
    if near(connect) and not near(read):
        return "connect-timeout"
    return None
