"""Provides the one HTTP client of edgewiz: HttpProber sends a request the way a viewer would and
returns an HttpAnswer (status, headers, the first bytes of the body) or a failure explained in
one sentence. It never raises.

Bounded by design, because the servers it talks to are the broken ones: each request (redirects
included) ends within `timeout` seconds overall, however the server trickles; the body is
streamed and cut at `max_body` bytes (decompression included); redirects are followed by hand,
so loops are named as loops. Thread-safe: probes call it from worker threads.
"""

from __future__ import annotations

import ssl
import time
import zlib
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Dict, List, Optional, Tuple, Union

import httpx

from .failures import describe, sentence
from .transport import EdgeTransport, deadline, typed_host

__all__ = ["HttpAnswer", "HttpProber", "DEFAULT_USER_AGENT"]

DEFAULT_USER_AGENT = "edgewiz/0.1 (edge troubleshooting probe)"
_REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_CREDENTIAL_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass
class HttpAnswer:
    """What one request brought back, or why it brought nothing.

    `status` is None when no response arrived (then `error_kind` and `error` say why). A response
    cut short (reset mid-body, time limit reached) keeps its status and headers and also carries
    `error_kind`. `url` is the URL asked for; `redirects` lists the URLs followed after it, in order.
    """

    url: str
    method: str
    request_headers: Dict[str, str] = field(default_factory=dict)
    status: Optional[int] = None
    headers: List[Tuple[str, str]] = field(default_factory=list)  # names lower-cased, order kept
    body: bytes = b""
    body_truncated: bool = False
    elapsed_ms: float = 0.0
    error_kind: Optional[str] = None
    error: Optional[str] = None
    redirects: List[str] = field(default_factory=list)

    @property
    def final_url(self) -> str:
        """The URL the answer came from: the last redirect target, or the URL asked for."""
        return self.redirects[-1] if self.redirects else self.url

    def header(self, name: str) -> Optional[str]:
        """The first value of a response header (case-insensitive), or None."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)

    def header_all(self, name: str) -> List[str]:
        """Every value of a response header, in the order received (e.g. several Set-Cookie)."""
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    def text(self) -> str:
        """The body as text, decoded by the Content-Type charset (UTF-8 when absent or unknown)."""
        charset = "utf-8"
        for part in (self.header("content-type") or "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip().strip('"')
        try:
            return self.body.decode(charset, "replace")
        except LookupError:
            return self.body.decode("utf-8", "replace")


class _BoundedDecoder:
    """Undoes gzip/deflate a chunk at a time, never producing more than the limit (+1 to notice)."""

    def __init__(self, content_encoding: str) -> None:
        encoding = content_encoding.strip().lower()
        self._deflate = encoding == "deflate"
        self._zlib = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._deflate:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        self._started = False

    def feed(self, chunk: bytes, room: int) -> bytes:
        if self._zlib is None:
            return chunk[:room]
        try:
            out = self._zlib.decompress(chunk, room)
        except zlib.error:
            if self._deflate and not self._started:
                # "deflate" is often sent as a raw deflate stream without the zlib header.
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.feed(chunk, room)
            self._zlib = None  # undecodable: keep the rest as sent
            return chunk[:room]
        self._started = True
        if self._zlib.eof and self._zlib.unused_data and len(out) < room and not self._deflate:
            # A gzip body may hold several members back to back (RFC 1952 2.2).
            rest = self._zlib.unused_data
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += self.feed(rest, room - len(out))
        return out


    def finish(self, room: int) -> bytes:
        """Whatever the decompressor still holds once the body has ended."""
        if self._zlib is None or room <= 0:
            return b""
        try:
            return self._zlib.flush()[:room]
        except zlib.error:
            return b""


def _host_of(url: str) -> Optional[str]:
    try:
        return httpx.URL(url).host
    except Exception:  # noqa: BLE001 - a bad URL fails later, as data
        return None


class HttpProber:
    """Sends viewer-like requests and returns HttpAnswers; see the module docstring for the bounds.

    `connect_to` works like curl's --connect-to: {"d123.cloudfront.net": "127.0.0.1:8081"} (or
    "*.example.com", or "*" for every host) sends that host's requests, over plain HTTP, to the
    address while keeping the original Host header. `verify` may be False, a CA bundle path or an
    ssl.SSLContext. Cookies are never stored between requests: each probe is a fresh viewer.
    """

    def __init__(self, connect_to: Optional[Dict[str, str]] = None, timeout: float = 10.0,
                 max_body: int = 256 * 1024, max_redirects: int = 5,
                 verify: Union[bool, str, ssl.SSLContext] = True,
                 user_agent: str = DEFAULT_USER_AGENT) -> None:
        self.timeout = float(timeout)
        self.max_body = int(max_body)
        self.max_redirects = int(max_redirects)
        self.connect_to = dict(connect_to or {})
        self._transport = EdgeTransport(connect_to=self.connect_to, verify=verify)
        self._client = httpx.Client(
            transport=self._transport,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            # A jar that accepts no cookie: a Set-Cookie from one probe (AWSALB stickiness, a
            # session) must not change what the next probe sends.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            headers={"User-Agent": user_agent, "Accept": "*/*",
                     # Only encodings _BoundedDecoder can undo with a size limit.
                     "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )

    def close(self) -> None:
        """Close the pooled connections."""
        self._client.close()

    def __enter__(self) -> "HttpProber":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, url: str, headers: Optional[Dict[str, str]] = None,
                follow_redirects: bool = False) -> HttpAnswer:
        """Send one request (following redirects by hand if asked). Never raises."""
        start = time.monotonic()
        method = (method or "GET").upper()
        answer = HttpAnswer(url=str(url), method=method, request_headers=dict(headers or {}))
        try:
            # `url` is what the user typed (or asked edgewiz to probe): its host may be loopback or
            # link-local; where redirects lead is held to the address policy (address_policy.py).
            with deadline(self.timeout), typed_host(_host_of(str(url))):
                self._run(answer, method, str(url), dict(headers or {}), follow_redirects)
        except Exception as exc:  # noqa: BLE001 - every failure becomes data
            where = answer.final_url
            answer.error_kind, answer.error = describe(exc, where, self.timeout)
        answer.elapsed_ms = (time.monotonic() - start) * 1000.0
        return answer

    def _run(self, answer: HttpAnswer, method: str, url: str, headers: Dict[str, str],
             follow: bool) -> None:
        seen = set()
        current = url
        while True:
            answer.status, answer.headers = None, []  # a hop that fails must not show the last hop's status
            request = self._client.build_request(method, current, headers=headers)
            if not answer.redirects:
                answer.request_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
            seen.add(str(request.url))
            response = self._client.send(request, stream=True)
            try:
                answer.status = response.status_code
                answer.headers = [(k.lower(), v) for k, v in response.headers.multi_items()]
                location = response.headers.get("location")
                if follow and response.status_code in _REDIRECT_STATUSES and location:
                    target = str(request.url.join(location))
                    if target in seen:
                        answer.error_kind = "redirect-loop"
                        answer.error = sentence("redirect-loop", url, self.timeout)
                        return
                    if len(answer.redirects) >= self.max_redirects:
                        answer.error_kind = "too-many-redirects"
                        answer.error = sentence("too-many-redirects", url, self.timeout,
                                                f"more than {self.max_redirects}")
                        return
                    if httpx.URL(target).host != request.url.host:
                        # Browsers drop credentials on a cross-host redirect; so do we.
                        headers = {k: v for k, v in headers.items() if k.lower() not in _CREDENTIAL_HEADERS}
                    if response.status_code == 303 or (
                            response.status_code in (301, 302) and method not in ("GET", "HEAD")):
                        method = "GET"
                    answer.redirects.append(target)
                    current = target
                    continue
                self._read_body(answer, response)
                return
            finally:
                response.close()

    def _read_body(self, answer: HttpAnswer, response: httpx.Response) -> None:
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""))
        parts: List[bytes] = []
        size = 0
        try:
            for chunk in response.iter_raw():  # no chunk_size: it would hold back bytes until it fills
                out = decoder.feed(chunk, self.max_body - size + 1)
                parts.append(out)
                size += len(out)
                if size > self.max_body:
                    answer.body_truncated = True
                    break
            else:
                parts.append(decoder.finish(self.max_body - size + 1))
                answer.body_truncated = sum(len(p) for p in parts) > self.max_body
        except Exception as exc:  # noqa: BLE001 - a body cut short still leaves status and headers
            answer.error_kind, answer.error = describe(exc, answer.final_url, self.timeout)
        body = b"".join(parts)
        answer.body = body[: self.max_body]
