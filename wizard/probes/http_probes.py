"""Provides the HTTP probes: the viewer request, the same with the page's Origin, the CORS
preflight, and the page whose HTML names the asset hosts."""

from __future__ import annotations

from typing import Any, Dict

from ..analysis.edge import page_assets
from .context import ProbeContext, ProbeFailed, ProbeSkip

BODY_KEEP = 8192  # enough for an S3 XML error or CloudFront's error page
MAX_REQUESTS = 500  # asset requests kept from one page (journals stay small)


def answer_dict(answer) -> Dict[str, Any]:
    """An HttpAnswer as plain data for facts and the journal."""
    body = answer.body[:BODY_KEEP].decode("utf-8", "replace") if answer.body else ""
    return {
        "url": answer.url,
        "method": answer.method,
        "request_headers": dict(answer.request_headers or {}),
        "status": answer.status,
        "headers": [list(pair) for pair in answer.headers],
        "body": body,
        "error_kind": answer.error_kind,
        "error": answer.error,
        "elapsed_ms": round(answer.elapsed_ms, 1),
    }


def _send(ctx: ProbeContext, method: str, headers: Dict[str, str]) -> Dict[str, Any]:
    answer = ctx.http.request(method, ctx.facts.symptom.url, headers=headers)
    data = answer_dict(answer)
    if answer.status is None:
        # The failure is data (what the viewer would see), not a probe error: the walk branches on it.
        data["unreachable"] = True
    return data


def viewer(ctx: ProbeContext) -> Dict[str, Any]:
    return _send(ctx, "GET", {})


def viewer_with_origin(ctx: ProbeContext) -> Dict[str, Any]:
    origin = ctx.facts.symptom.page_origin
    if not origin:
        raise ProbeSkip("no page origin given (--origin)")
    return _send(ctx, "GET", {"Origin": origin})


def preflight(ctx: ProbeContext) -> Dict[str, Any]:
    origin = ctx.facts.symptom.page_origin
    if not origin or not ctx.facts.symptom.cross_origin:
        raise ProbeSkip("no cross-origin page given (--origin)")
    return _send(ctx, "OPTIONS", {"Origin": origin, "Access-Control-Request-Method": "GET"})


def page(ctx: ProbeContext) -> Dict[str, Any]:
    url = ctx.facts.symptom.page_url
    if not url:
        raise ProbeSkip("no page URL given (--page)")
    answer = ctx.http.request("GET", url, follow_redirects=True)
    if answer.status is None:
        # The prober's sentence (a refused redirect, DNS, TLS...) becomes the unknown's reason.
        raise ProbeFailed(f"HTTP GET of the page failed: {answer.error or 'no answer'}")
    html = answer.body.decode("utf-8", "replace")
    refs = page_assets.asset_hosts(html, url)
    requests = page_assets.asset_requests(html, url)
    return {
        # How the page requests each asset (CORS mode or not): decides whether CORS can matter.
        "requests": [{"url": r.url, "mode": r.mode, "how": r.how} for r in requests[:MAX_REQUESTS]],
        "requests_cut": len(requests) > MAX_REQUESTS,
        "page_url": url,
        "status": answer.status,
        "assets": [
            {"host": r.host, "example": r.example, "count": r.count, "kinds": list(r.kinds), "cloudfront": r.cloudfront}
            for r in refs
        ],
    }
