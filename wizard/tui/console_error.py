"""Provides parse_console_error(): what a browser console error says — the failing URL, the HTTP
status, the page origin and the CORS wording — read out of text pasted from Chrome, Firefox or
Safari.

Pure (no Textual): the intake screen calls it on every paste and the tests feed it real console
lines. The text is untrusted input; it is cleaned of control sequences before it is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

from ..untrusted import clean

__all__ = ["ConsoleError", "parse_console_error"]

_URL = re.compile(r"""https?://[^\s'"<>\[\]`]+""", re.IGNORECASE)
# Where browsers name the page's origin (Chrome: "from origin 'X'"; Safari: "Origin X is not allowed").
_PAGE_ORIGIN = (
    re.compile(r"""from origin\s+['"‘’“”]?(https?://[^\s'"‘’“”]+)""", re.IGNORECASE),
    re.compile(r"""\bOrigin\s+(https?://[^\s'"‘’“”]+)\s+is not allowed""", re.IGNORECASE),
)
# Where browsers name the status: Chrome "status of 403 (Forbidden)", "net::ERR_FAILED 403 (Forbidden)",
# "GET URL 504 (Gateway Timeout)"; Firefox "Status code: 403." and "[HTTP/2 403 Forbidden 45ms]";
# Safari "Status code: 403" and "(status code 403)".
_STATUS = (
    re.compile(r"status of\s+(\d{3})\b", re.IGNORECASE),
    re.compile(r"status code:?\s*(\d{3})\b", re.IGNORECASE),
    re.compile(r"\[HTTP/[\d.]+\s+(\d{3})\b", re.IGNORECASE),
    re.compile(r"net::ERR_[A-Z_]+\s+(\d{3})\b"),
    re.compile(r"(?<![\w.:/-])([1-5]\d\d)\s*\((?:[A-Za-z][A-Za-z '-]*)\)"),
)
# The CORS sentences browsers print, most specific first; the first that matches is the reason.
_CORS_REASONS = (
    (re.compile(r"No ['‘’\"]?Access-Control-Allow-Origin['‘’\"]? header is present", re.IGNORECASE),
     "no Access-Control-Allow-Origin header in the response"),
    (re.compile(r"CORS header ['‘’\"]?Access-Control-Allow-Origin['‘’\"]? missing", re.IGNORECASE),
     "no Access-Control-Allow-Origin header in the response"),
    (re.compile(r"not equal to the supplied origin|does not match ['‘’\"]?https?://", re.IGNORECASE),
     "Access-Control-Allow-Origin names a different origin"),
    (re.compile(r"is not allowed by Access-Control-Allow-Origin", re.IGNORECASE),
     "the origin is not allowed by Access-Control-Allow-Origin"),
    (re.compile(r"preflight", re.IGNORECASE), "the CORS preflight (OPTIONS) failed"),
    (re.compile(r"CORS request did not succeed", re.IGNORECASE), "the request did not get an answer (network)"),
    (re.compile(r"blocked by CORS policy|Cross-Origin Request Blocked|access control checks|Same Origin Policy"
                r"|Access-Control-Allow-Origin|\bCORS\b", re.IGNORECASE),
     "the browser blocked the response (CORS)"),
)
_TRAILING = ".,;:)]}'\"‘’“”"


@dataclass(frozen=True)
class ConsoleError:
    """What a pasted console error says (None / False for what it does not say)."""

    url: Optional[str] = None
    status: Optional[int] = None
    cors: bool = False
    cors_reason: Optional[str] = None
    page_origin: Optional[str] = None

    @property
    def saw(self) -> str:
        """The intake's "what do you see": 403, cors, 504 or other ('' when nothing was read).

        A status wins over CORS wording: an error response carries no CORS headers, so the browser
        reports CORS when the real answer was a 403 (seed 000).
        """
        if self.status == 403:
            return "403"
        if self.status is not None and 500 <= self.status <= 599:
            return "504"
        if self.cors:
            return "cors"
        if self.status is not None and self.status >= 400:
            return "other"
        return ""

    @property
    def found_anything(self) -> bool:
        """Whether the paste said anything the intake can use."""
        return bool(self.url or self.status or self.cors or self.page_origin)


def _strip_url(url: str) -> str:
    url = url.rstrip(_TRAILING)
    # "resource at https://x/app.js. (Reason: ...)": the sentence's period is not part of the URL.
    return url[:-1] if url.endswith(".") else url


def _origin_of(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme.lower()}://{rest.split('/', 1)[0].split('?', 1)[0]}"


def _page_origin(text: str) -> Optional[str]:
    for pattern in _PAGE_ORIGIN:
        match = pattern.search(text)
        if match:
            return _origin_of(_strip_url(match.group(1)))
    return None


def _failing_url(text: str, page_origin: Optional[str]) -> Optional[str]:
    """The first URL that is not the page origin itself (nor the value of a mismatching header)."""
    skip: List[str] = []
    header_value = re.search(r"""header (?:has a )?value ['‘’"](https?://[^'‘’"]+)['‘’"]""", text, re.IGNORECASE)
    if header_value:
        skip.append(header_value.group(1).rstrip("/"))
    for match in _URL.finditer(text):
        url = _strip_url(match.group(0))
        if page_origin and url.rstrip("/") == page_origin.rstrip("/"):
            continue
        if url.rstrip("/") in skip:
            continue
        return url
    return None


def _status(text: str) -> Optional[int]:
    for pattern in _STATUS:
        match = pattern.search(text)
        if match:
            code = int(match.group(1))
            if 100 <= code <= 599:
                return code
    return None


def parse_console_error(text: str) -> ConsoleError:
    """Read the failing URL, status, page origin and CORS wording out of pasted console text."""
    text = clean(text or "")
    if not text.strip():
        return ConsoleError()
    page_origin = _page_origin(text)
    reason = next((why for pattern, why in _CORS_REASONS if pattern.search(text)), None)
    return ConsoleError(url=_failing_url(text, page_origin), status=_status(text), cors=reason is not None,
                        cors_reason=reason, page_origin=page_origin)
