"""Provides the asset-host reading of a page: which hosts its HTML loads scripts, stylesheets,
images, preloads and modules from, and which of them are CloudFront domains.

Seed 000: the app's DNS pointed at the ALB, yet the browser's 403/CORS errors named CloudFront,
because RAILS_ASSET_HOST made the HTML load assets from xxxx.cloudfront.net. Reading the HTML the
way the browser does (html.parser, <base href>, relative and protocol-relative URLs) shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Dict, List, Optional, Tuple
from urllib.parse import urljoin, urlsplit

from ...redact import redact_url

__all__ = ["AssetRef", "asset_hosts", "CLOUDFRONT_SUFFIX"]

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


class _AssetParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = page_url
        self._base_seen = False
        self.refs: List[Tuple[str, str]] = []  # (absolute url, kind), in document order

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a: Dict[str, str] = {}
        for name, value in attrs:
            if value is not None and name not in a:
                a[name] = value
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

    def _add(self, raw: str, kind: str) -> None:
        raw = raw.strip()
        if not raw or raw.lower().startswith(("data:", "javascript:", "blob:", "about:", "#")):
            return
        try:
            url = urljoin(self.base, raw)
        except ValueError:
            return
        self.refs.append((url, kind))


def _host(url: str) -> Optional[str]:
    try:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        return (parts.hostname or "").rstrip(".").lower() or None
    except ValueError:
        return None


def asset_hosts(html: str, page_url: str) -> List[AssetRef]:
    """The hosts the page's HTML loads assets from, in the order they first appear.

    Relative URLs resolve against the page URL (or its <base href>). Hosts ending in
    .cloudfront.net are flagged: the app.asset-host-cloudfront finding starts from them.
    Example URLs are redacted (a signed asset URL carries its signature).
    """
    parser = _AssetParser(page_url)
    try:
        parser.feed((html or "")[:_MAX_HTML])
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; keep what was read before any error
        pass
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
