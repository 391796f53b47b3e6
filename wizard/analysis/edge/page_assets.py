"""Provides the asset-host reading of a page: which hosts its HTML loads scripts, stylesheets,
images, preloads and modules from, which of them are CloudFront domains, and whether the browser
requests each asset in CORS mode (only those requests ever fail for CORS).

Seed 000: the app's DNS pointed at the ALB, yet the browser's 403/CORS errors named CloudFront,
because RAILS_ASSET_HOST made the HTML load assets from xxxx.cloudfront.net. Reading the HTML the
way the browser does (html.parser, <base href>, relative and protocol-relative URLs) shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Dict, List, Optional, Tuple
from urllib.parse import urljoin, urlsplit

from ...redact import redact_url

__all__ = ["AssetRef", "AssetRequest", "asset_hosts", "asset_requests", "CLOUDFRONT_SUFFIX"]

CLOUDFRONT_SUFFIX = ".cloudfront.net"
_MAX_HTML = 2 * 1024 * 1024  # a page bigger than this is cut: the <head> is what matters

# rel values of <link> that make the browser fetch the href, and the kind we report.
_LINK_RELS = {
    "stylesheet": "stylesheet",
    "preload": "preload",
    "modulepreload": "module",
    "prefetch": "prefetch",
    "icon": "icon",
    "shortcut": "icon",
    "apple-touch-icon": "icon",
    "manifest": "manifest",
}


@dataclass(frozen=True)
class AssetRef:
    """One host the page loads assets from: how many references, an example URL, which tags."""

    host: str
    example: str
    count: int
    kinds: Tuple[str, ...]
    cloudfront: bool
    same_host: bool = False


@dataclass(frozen=True)
class AssetRequest:
    """One asset URL the page makes the browser request, and in which fetch mode.

    Browsers check CORS only for requests made in CORS mode (HTML "CORS settings attributes", Fetch):
    any element with a crossorigin attribute, <script type="module"> and modulepreload, fonts (CSS
    @font-face, preload as=font), the web app manifest, and fetch()/XMLHttpRequest from scripts. A
    plain <img>, <link rel="stylesheet"> or classic <script> is fetched in no-cors mode and never
    fails for CORS.
    """

    url: str
    mode: str  # "cors" | "no-cors"
    how: str  # the markup that makes the request, e.g. '<script crossorigin>'


_FONT_FACE = re.compile(r"@font-face\s*{[^}]*}", re.IGNORECASE | re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)['\"]?\s*\)", re.IGNORECASE)
# fetch("url"), fetch('url'), xhr.open("GET", "url"): literal URLs only; computed ones are invisible.
_FETCH = re.compile(r"\bfetch\(\s*['\"`]([^'\"`]+)['\"`]")
_XHR = re.compile(r"\.open\(\s*['\"][A-Za-z]+['\"]\s*,\s*['\"`]([^'\"`]+)['\"`]")


class _AssetParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = page_url
        self._base_seen = False
        self.refs: List[Tuple[str, str]] = []  # (absolute url, kind), in document order
        self.requests: List[Tuple[str, str, str]] = []  # (absolute url, mode, how), in document order
        self._text_of: Optional[str] = None  # "style" or "script" while inside an inline one
        self._tag: Tuple[str, Dict[str, str], bool] = ("", {}, False)  # the element being read

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._text_of = None

    def handle_data(self, data: str) -> None:
        if self._text_of == "style":
            for block in _FONT_FACE.findall(data):
                for url in _CSS_URL.findall(block):
                    self._request(url, "cors", "a font in CSS @font-face")
        elif self._text_of == "script":
            for url in _FETCH.findall(data):
                self._request(url, "cors", "fetch() in an inline script")
            for url in _XHR.findall(data):
                self._request(url, "cors", "XMLHttpRequest in an inline script")

    def _mode(self, tag: str, a: Dict[str, str], crossorigin: bool, kind: str) -> Tuple[str, str]:
        if crossorigin:
            return "cors", f"<{tag} crossorigin>"
        if kind == "module":
            return "cors", "<script type=module>" if tag == "script" else "<link rel=modulepreload>"
        if tag == "link" and a.get("as", "").strip().lower() == "font":
            return "cors", "<link rel=preload as=font>"
        if kind == "manifest":
            return "cors", "<link rel=manifest>"
        label = {"script": "a classic <script>", "stylesheet": "<link rel=stylesheet>"}.get(kind, f"<{tag}>")
        return "no-cors", f"{label} without crossorigin"

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a: Dict[str, str] = {}
        for name, value in attrs:
            if value is not None and name not in a:
                a[name] = value
        crossorigin = any(name == "crossorigin" for name, _ in attrs)  # a bare attribute counts
        if tag in ("style", "script") and "src" not in a:
            self._text_of = tag
        self._tag = (tag, a, crossorigin)
        if tag == "base" and "href" in a and not self._base_seen:
            # Only the first <base href> counts (HTML spec), and it resolves against the page URL.
            self._base_seen = True
            self.base = urljoin(self.base, a["href"].strip())
            return
        if tag == "script" and "src" in a:
            self._add(a["src"], "module" if a.get("type", "").strip().lower() == "module" else "script")
        elif tag == "link" and "href" in a:
            rels = a.get("rel", "").lower().split()
            kinds = [_LINK_RELS[r] for r in rels if r in _LINK_RELS]
            if kinds:
                self._add(a["href"], kinds[0])
        elif tag in ("img", "source", "video", "audio", "track", "embed", "input"):
            if tag == "input" and a.get("type", "").lower() != "image":
                return
            kind = "image" if tag in ("img", "input") else "media"
            if "src" in a:
                self._add(a["src"], kind)
            if "srcset" in a:
                for candidate in a["srcset"].split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self._add(url, kind)
            if tag == "video" and "poster" in a:
                self._add(a["poster"], "image")
        elif tag == "object" and "data" in a:
            self._add(a["data"], "media")

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.handle_starttag(tag, attrs)

    def _absolute(self, raw: str) -> Optional[str]:
        raw = raw.strip()
        if not raw or raw.lower().startswith(("data:", "javascript:", "blob:", "about:", "#")):
            return None
        try:
            return urljoin(self.base, raw)
        except ValueError:
            return None

    def _add(self, raw: str, kind: str) -> None:
        url = self._absolute(raw)
        if url is None:
            return
        self.refs.append((url, kind))
        tag, a, crossorigin = self._tag
        mode, how = self._mode(tag, a, crossorigin, kind)
        self.requests.append((url, mode, how))

    def _request(self, raw: str, mode: str, how: str) -> None:
        url = self._absolute(raw)
        if url is not None:
            self.requests.append((url, mode, how))


def _host(url: str) -> Optional[str]:
    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        return (parts.hostname or "").rstrip(".").lower() or None
    except ValueError:
        return None


def _parse(html: str, page_url: str) -> _AssetParser:
    parser = _AssetParser(page_url)
    try:
        parser.feed((html or "")[:_MAX_HTML])
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; keep what was read before any error
        pass
    return parser


def asset_requests(html: str, page_url: str) -> List[AssetRequest]:
    """Every asset request the page's HTML makes, with its fetch mode (CORS or no-cors), in document
    order. URLs are redacted (a signed asset URL carries its signature)."""
    return [AssetRequest(redact_url(url), mode, how) for url, mode, how in _parse(html, page_url).requests
            if _host(url) is not None]


def asset_hosts(html: str, page_url: str) -> List[AssetRef]:
    """The hosts the page's HTML loads assets from, in the order they first appear.

    Relative URLs resolve against the page URL (or its <base href>). Hosts ending in
    .cloudfront.net are flagged: the app.asset-host-cloudfront finding starts from them.
    Example URLs are redacted (a signed asset URL carries its signature).
    """
    parser = _parse(html, page_url)
    page_host = _host(page_url)
    order: List[str] = []
    examples: Dict[str, str] = {}
    counts: Dict[str, int] = {}
    kinds: Dict[str, List[str]] = {}
    for url, kind in parser.refs:
        host = _host(url)
        if host is None:
            continue
        if host not in counts:
            order.append(host)
            examples[host] = url
            counts[host] = 0
            kinds[host] = []
        counts[host] += 1
        if kind not in kinds[host]:
            kinds[host].append(kind)
    return [
        AssetRef(
            host=h,
            example=redact_url(examples[h]),
            count=counts[h],
            kinds=tuple(kinds[h]),
            cloudfront=h.endswith(CLOUDFRONT_SUFFIX),
            same_host=h == page_host,
        )
        for h in order
    ]
