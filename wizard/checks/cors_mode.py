"""Provides the decision whether CORS can matter for the failing asset at all: browsers check CORS
only for requests made in CORS mode (a crossorigin attribute, <script type=module>, fonts, fetch/XHR).
A plain <img>, <link rel=stylesheet> or classic <script> is fetched in no-cors mode and never fails
for CORS, however the bucket's CORS rules look.

The answer comes from the page's HTML (the page.assets probe), from the asset being a font (fonts are
always fetched in CORS mode), or from the person's report of a CORS error in the console; without any
of them it is unknown, and the CORS findings say so in their evidence instead of asserting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlsplit

from ..aws.facts import EdgeFacts

_FONTS = (".woff", ".woff2", ".ttf", ".otf", ".eot")
HOW_TO_TELL = ("CORS applies only if the page requests this asset in CORS mode (a crossorigin attribute, "
               "<script type=module>, a font, fetch/XHR); a plain <img>, <link rel=stylesheet> or classic "
               "<script> never fails for CORS")


@dataclass(frozen=True)
class CorsMode:
    """"cors", "no-cors" or "unknown", and the sentence that says how it was decided."""

    mode: str
    evidence: str


def _same_asset(a: str, b: str) -> bool:
    """The same URL for the browser's purposes: scheme, host, port and path (the query may differ)."""
    try:
        x, y = urlsplit(a), urlsplit(b)
        return (x.scheme, (x.hostname or "").lower(), x.port, x.path) == \
            (y.scheme, (y.hostname or "").lower(), y.port, y.path)
    except ValueError:
        return False


def _page_requests(facts: EdgeFacts, url: str):
    """The page's requests for `url`; None when the page was not read, or was read (an older journal)
    without recording how it requests its assets."""
    page = facts.data("page.assets")
    if not page or "requests" not in page:
        return None
    return [r for r in page.get("requests") or [] if _same_asset(str(r.get("url", "")), url)]


def cors_mode(facts: EdgeFacts) -> CorsMode:
    """How the browser requests the symptom's URL: in CORS mode, in no-cors mode, or unknown."""
    sym = facts.symptom
    found = _page_requests(facts, sym.url)
    if found:
        cors = [r for r in found if r.get("mode") == "cors"]
        if cors:
            return CorsMode("cors", f"the page requests it in CORS mode ({cors[0].get('how')}), so the browser "
                                    "checks Access-Control-Allow-Origin")
    if sym.path.lower().endswith(_FONTS):
        return CorsMode("cors", "it is a font, and browsers always fetch fonts in CORS mode")
    if (sym.complaint or "").lower() == "cors":
        return CorsMode("cors", "the browser reported a CORS error for it, so it is requested in CORS mode")
    if found:
        return CorsMode("no-cors", f"the page requests it only in no-cors mode ({found[0].get('how')}): "
                                   "the browser never checks CORS for it")
    if found is None and facts.data("page.assets"):
        why = "this run's record of the page does not say how it requests its assets"
    elif found is None:
        why = "no page HTML was read (give the page with --page)"
    else:
        why = "the page's HTML does not name this URL (a script or stylesheet may request it)"
    return CorsMode("unknown", f"whether CORS matters is not known: {why}. {HOW_TO_TELL}")


def no_cors(facts: EdgeFacts) -> Optional[CorsMode]:
    """The decision when it rules CORS out, else None."""
    mode = cors_mode(facts)
    return mode if mode.mode == "no-cors" else None
