"""Provides the simulator's custom error responses (DistributionConfig.CustomErrorResponses).

When the origin answers an error status that has an entry with a ResponsePagePath, CloudFront asks
for that page (through the cache behavior that matches the page's path) and returns it with the
entry's ResponseCode, or with the origin's status when ResponseCode is empty. If the page cannot be
fetched, the viewer gets the original error. Either way the answer is cached for the entry's
ErrorCachingMinTTL (10 s without an entry). AWS "Generate custom error responses".

The classic single-page-app setup maps 403/404 to /index.html with 200: a missing script then comes
back as HTML with 200.
"""

from __future__ import annotations

from typing import Any, Callable, List, Mapping, Optional, Tuple

Answer = Tuple[int, List[Tuple[str, str]], bytes]


def entry_for(config: Mapping[str, Any], status: int) -> Optional[Mapping[str, Any]]:
    """The distribution's custom error response for `status`, or None."""
    for item in ((config.get("CustomErrorResponses") or {}).get("Items") or []):
        try:
            if int(item.get("ErrorCode", 0)) == status:
                return item
        except (TypeError, ValueError):
            continue
    return None


def apply(config: Mapping[str, Any], status: int, fetch: Callable[[str], Optional[tuple]]) -> Optional[Answer]:
    """The custom error page CloudFront returns instead of the origin's `status`, or None when there
    is none (no entry, no ResponsePagePath, or the page itself failed). `fetch(path)` asks the origin
    for the page and returns (status, headers, body, ...)."""
    if status < 400:
        return None
    entry = entry_for(config, status)
    page = str((entry or {}).get("ResponsePagePath") or "")
    if not page:
        return None
    got = fetch(page if page.startswith("/") else "/" + page)
    if not got or got[0] >= 400:
        return None
    code = str(entry.get("ResponseCode") or "").strip()
    return (int(code) if code.isdigit() else status), list(got[1]), got[2]
