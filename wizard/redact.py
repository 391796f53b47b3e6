"""Provides redaction of secrets before anything is shown, logged or written to a report: signed
URL parameters, credential headers, and known secret values (a Referer secret, session tokens).

Redaction shows that a secret was there (`Signature=[REDACTED]`) because its presence is evidence;
values that are evidence but not secrets (`Expires`, `X-Amz-Date`, `X-Amz-Expires`) stay visible.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Set, Tuple, Union
from urllib.parse import quote, quote_plus, unquote_plus, urlsplit, urlunsplit

__all__ = ["MARK", "MIN_SECRET_LEN", "Redactor", "redact_headers", "redact_text", "redact_url"]

MARK = "[REDACTED]"
MIN_SECRET_LEN = 4  # shorter values would shred ordinary text ("a", "on", "GET")

# CloudFront signed URLs (Signature, Key-Pair-Id, Policy; the same names prefixed with
# "CloudFront-" when cookies are passed as parameters), S3 presigned URLs (SigV4 X-Amz-*, SigV2
# AWSAccessKeyId/Signature) and common bearer-style parameters.
_SECRET_PARAMS = frozenset(
    name.lower()
    for name in (
        "Signature", "Key-Pair-Id", "Policy",
        "CloudFront-Signature", "CloudFront-Key-Pair-Id", "CloudFront-Policy",
        "AWSAccessKeyId", "x-amz-security-token",
        "token", "access_token", "id_token", "refresh_token", "auth", "sig", "code",
        "password", "passwd", "secret", "client_secret", "api_key", "apikey", "session",
    )
)
# X-Amz-* are secret except the timing fields: a presigned URL's age is what the diagnosis reads.
_VISIBLE_AMZ_PARAMS = frozenset(("x-amz-date", "x-amz-expires", "x-amz-algorithm", "x-amz-signedheaders"))

_SECRET_HEADERS = frozenset(
    ("authorization", "proxy-authorization", "cookie", "set-cookie", "x-amz-security-token",
     "x-api-key", "x-auth-token")
)
# Headers whose value is a URL that may carry signed parameters.
_URL_HEADERS = frozenset(("location", "content-location", "referer", "origin", "refresh"))

_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>\\]+""", re.IGNORECASE)
_USERINFO_PASSWORD = re.compile(r"^([^:@/]*):[^@/]*@")


def _secret_param(name: str, extra: Iterable[str] = ()) -> bool:
    key = unquote_plus(name).strip().lower()
    if key in _SECRET_PARAMS or key in extra:
        return True
    return key.startswith("x-amz-") and key not in _VISIBLE_AMZ_PARAMS


def _redact_query(query: str, extra: Iterable[str] = (),
                  secret_value: Optional[Callable[[str], bool]] = None) -> str:
    if not query:
        return query
    parts = []
    for part in query.split("&"):
        name, sep, value = part.partition("=")
        if sep and value and (_secret_param(name, extra) or (
                secret_value is not None and secret_value(unquote_plus(value)))):
            parts.append(f"{name}={MARK}")
        else:
            parts.append(part)
    return "&".join(parts)


def redact_url(url: str, extra_params: Iterable[str] = (),
               secret_value: Optional[Callable[[str], bool]] = None) -> str:
    """The URL with secret query values (and a userinfo password) replaced by [REDACTED].

    The parameter names stay, so a reader sees that the URL was signed; `Expires` stays readable.
    `secret_value(decoded)` may mark more values secret (a Redactor's known secrets, however the
    URL encodes them). Never raises: an unparsable URL gets the query-level redaction only.
    """
    if not isinstance(url, str):
        url = str(url)
    extra = {p.lower() for p in extra_params}
    try:
        parts = urlsplit(url)
        netloc = _USERINFO_PASSWORD.sub(lambda m: f"{m.group(1)}:{MARK}@", parts.netloc)
        fragment = parts.fragment
        if "=" in fragment:  # OAuth implicit flow puts access_token in the fragment
            fragment = _redact_query(fragment, extra, secret_value)
        query = _redact_query(parts.query, extra, secret_value)
        return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))
    except Exception:  # noqa: BLE001 - a malformed URL must still not leak
        return _redact_query(url, extra, secret_value)


# A query parameter anywhere in text: after `?` or `&`, up to the next separator. Catches what the
# URL pattern cannot see, e.g. the query of a URL whose path holds a quote (`/a'b.js?Signature=`).
_PARAM_IN_TEXT = re.compile(r"(?<=[?&])([A-Za-z0-9_.%-]+)=([^&\s\"'<>#]+)")


def _redact_loose_params(text: str) -> str:
    return _PARAM_IN_TEXT.sub(lambda m: f"{m.group(1)}={MARK}" if _secret_param(m.group(1)) and m.group(2) != MARK
                              else m.group(0), text)


def redact_text(text: str, secret_value: Optional[Callable[[str], bool]] = None) -> str:
    """Text with every http(s) URL in it passed through redact_url, and any secret-named query
    parameter (`?Signature=`, `&X-Amz-Security-Token=`) redacted even where no URL is recognised."""
    if not isinstance(text, str):
        return text
    if "://" in text:
        text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0), secret_value=secret_value), text)
    return _redact_loose_params(text) if "=" in text else text


def _redact_cookie(value: str) -> str:
    """`a=1; b=2` -> `a=[REDACTED]; b=[REDACTED]`: which cookies were sent is evidence."""
    out = []
    for item in value.split(";"):
        name, sep, _ = item.partition("=")
        out.append(f"{name}={MARK}" if sep else item)
    return ";".join(out)


def _redact_set_cookie(value: str) -> str:
    """`n=v; Path=/; Secure` -> `n=[REDACTED]; Path=/; Secure`: attributes stay readable."""
    first, sep, rest = value.partition(";")
    name, eq, _ = first.partition("=")
    return (f"{name}={MARK}" if eq else MARK) + sep + rest


def _redact_header_value(name: str, value: str, secret_names: Iterable[str]) -> str:
    key = name.strip().lower()
    if key == "cookie":
        return _redact_cookie(value)
    if key == "set-cookie":
        return _redact_set_cookie(value)
    if key == "authorization" and " " in value.strip():
        scheme = value.strip().split(" ", 1)[0]  # "Bearer", "AWS4-HMAC-SHA256": the kind is evidence
        return f"{scheme} {MARK}"
    if key in _SECRET_HEADERS or key in secret_names:
        return MARK
    if key in _URL_HEADERS:
        return redact_text(value) if "://" in value else value
    return value


HeaderPairs = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def redact_headers(pairs: HeaderPairs, secret_names: Iterable[str] = ()) -> Any:
    """Headers with credential values redacted: a Mapping gives a dict, pairs give a list of tuples.

    Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Amz-Security-Token and any name in
    `secret_names` are redacted; URL-valued headers (Location, Referer) get redact_url.
    """
    names = {n.lower() for n in secret_names}
    if isinstance(pairs, Mapping):
        return {k: _redact_header_value(str(k), str(v), names) for k, v in pairs.items()}
    out: List[Tuple[str, str]] = []
    for pair in pairs:
        name, value = pair[0], pair[1]
        out.append((name, _redact_header_value(str(name), str(value), names)))
    return out


def _is_secret_pair(obj: Any, secret_keys: Set[str]) -> bool:
    return (len(obj) == 2 and isinstance(obj[0], str) and isinstance(obj[1], str)
            and obj[0].strip().lower() in secret_keys and obj[1] != "")


class Redactor:
    """Holds known secret values and secret header names, and scrubs them from anything shown.

    Register a value as soon as it is read (the Referer secret from an origin's custom headers, a
    session token); every later text, URL, header list or JSON-like structure passed through the
    same Redactor comes out with it replaced by [REDACTED]. Thread-safe.
    """

    def __init__(self, secrets: Iterable[str] = (), secret_headers: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: Set[str] = set()
        self._headers: Set[str] = set()
        self._pattern: Optional[re.Pattern] = None
        for value in secrets:
            self.add_secret(value)
        for name in secret_headers:
            self.add_secret_header(name)

    def add_secret(self, value: Optional[str]) -> bool:
        """Register a secret value (and its URL-encoded forms); False when it is too short to register."""
        if not isinstance(value, str):
            return False
        value = value.strip()
        if len(value) < MIN_SECRET_LEN:
            return False
        with self._lock:
            for form in (value, quote(value, safe=""), quote_plus(value, safe="")):
                if len(form) >= MIN_SECRET_LEN:
                    self._secrets.add(form)
            self._pattern = None
        return True

    def add_secret_header(self, name: str) -> None:
        """Treat this header's value as secret wherever headers are redacted (e.g. a custom origin header)."""
        if name and name.strip():
            with self._lock:
                self._headers.add(name.strip().lower())

    @property
    def secret_headers(self) -> frozenset:
        """The header names registered on this Redactor (beyond the built-in credential headers)."""
        with self._lock:
            return frozenset(self._headers)

    def _compiled(self) -> Optional[re.Pattern]:
        with self._lock:
            if self._pattern is None and self._secrets:
                # Longest first so a secret that contains another is replaced whole.
                ordered = sorted(self._secrets, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            return self._pattern

    def scrub(self, text: str) -> str:
        """Text with registered secret values replaced and URLs in it passed through redact_url."""
        if not isinstance(text, str):
            return text
        pattern = self._compiled()
        if pattern is not None:
            text = pattern.sub(MARK, text)
            return redact_text(text, lambda value: pattern.search(value) is not None)
        return redact_text(text)

    def redact_url(self, url: str) -> str:
        """redact_url, then the registered secret values."""
        return self.scrub(redact_url(url))

    def redact_headers(self, pairs: HeaderPairs) -> Any:
        """redact_headers with this Redactor's secret header names, then the secret values."""
        redacted = redact_headers(pairs, self.secret_headers)
        if isinstance(redacted, dict):
            return {self.scrub(k): self.scrub(v) for k, v in redacted.items()}
        return [(self.scrub(k), self.scrub(v)) for k, v in redacted]

    def redact_obj(self, obj: Any) -> Any:
        """A copy of a JSON-like structure (dicts, lists, tuples, strings) with every secret scrubbed.

        A dict entry whose key names a secret header (Authorization, Cookie, a registered header)
        has its value redacted whatever it is. Other types pass through unchanged.
        """
        secret_keys = set(_SECRET_HEADERS) | self.secret_headers
        return self._walk(obj, secret_keys, set())

    def _walk(self, obj: Any, secret_keys: Set[str], seen: Set[int]) -> Any:
        if isinstance(obj, str):
            return self.scrub(obj)
        if isinstance(obj, (bytes, bytearray)):
            text = bytes(obj).decode("utf-8", "replace")
            scrubbed = self.scrub(text)
            return obj if scrubbed == text else scrubbed.encode("utf-8")
        if isinstance(obj, (dict, list, tuple, set, frozenset)):
            if id(obj) in seen:  # a cycle: cut it rather than recurse forever
                return MARK
            seen = seen | {id(obj)}
        if isinstance(obj, dict):
            out: Dict[Any, Any] = {}
            # CloudFront's origin CustomHeaders shape: {"HeaderName": ..., "HeaderValue": ...}
            named = obj.get("HeaderName")
            named_secret = isinstance(named, str) and named.strip().lower() in secret_keys
            for key, value in obj.items():
                new_key = self.scrub(key) if isinstance(key, str) else key
                secret = isinstance(key, str) and (
                    key.strip().lower() in secret_keys or (named_secret and key == "HeaderValue"))
                if secret and isinstance(value, str) and value:
                    header_name = named if key == "HeaderValue" and named_secret else key
                    out[new_key] = self.scrub(_redact_header_value(header_name, value, secret_keys))
                elif secret and value not in (None, ""):
                    out[new_key] = MARK
                else:
                    out[new_key] = self._walk(value, secret_keys, seen)
            return out
        if isinstance(obj, (list, tuple)) and _is_secret_pair(obj, secret_keys):
            # a serialized header pair, e.g. ["set-cookie", "session=..."]
            pair = [self.scrub(obj[0]), self.scrub(_redact_header_value(obj[0], obj[1], secret_keys))]
            return pair if isinstance(obj, list) else tuple(pair)
        if isinstance(obj, list):
            return [self._walk(v, secret_keys, seen) for v in obj]
        if isinstance(obj, tuple):
            return tuple(self._walk(v, secret_keys, seen) for v in obj)
        if isinstance(obj, (set, frozenset)):
            return type(obj)(self._walk(v, secret_keys, seen) for v in obj)
        return obj
