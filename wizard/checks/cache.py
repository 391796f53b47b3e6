"""Provides the cache check: the configuration is right now, but CloudFront still serves an old answer."""

from __future__ import annotations

from typing import List, Tuple

from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import header
from .cors_mode import no_cors


def stale(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.stale-cache: no root cause in the configuration, yet the edge answers with a cached error,
    or with a cached response that lacks CORS headers."""
    if any(h.severity in (None, "root-cause") and h.id != "app.asset-host-cloudfront" for h in facts.hits):
        return [], []
    if facts.unknowns:
        # A part that could not be checked may hold the cause: blaming the cache would be a guess.
        return [], []
    dist = facts.distribution
    if not dist:
        return [], []
    params = {"distribution_id": dist.id, "path": facts.symptom.path}
    for probe in ("http.viewer", "http.viewer_with_origin"):
        answer = facts.data(probe)
        if not answer or not answer.get("status"):
            continue
        x_cache = (header(answer, "x-cache") or "").lower()
        age = header(answer, "age")
        cached = "hit from cloudfront" in x_cache or "error from cloudfront" in x_cache or age
        if not cached:
            continue
        if answer["status"] >= 400:
            reason = (f"The configuration checks found nothing wrong, but the edge still answers {answer['status']} "
                      f"(X-Cache: {header(answer, 'x-cache')}, Age: {age or '-'}).")
            return [Hit("cf.stale-cache", (f"{probe}: {answer['status']}, X-Cache {header(answer, 'x-cache')}, "
                                           f"Age {age or '-'}",),
                        dict(params, reason=reason, prevent=_ERROR_TTL_NOTE))], []
        if probe == "http.viewer_with_origin" and facts.symptom.cross_origin and \
                not header(answer, "access-control-allow-origin") and not no_cors(facts):
            reason = ("The bucket's CORS rules allow the page, but the cached response has no "
                      "Access-Control-Allow-Origin: it was cached for a request without Origin, and Origin is "
                      "not part of the cache key.")
            return [Hit("cf.stale-cache", (f"GET with Origin -> {answer['status']} from cache (X-Cache "
                                           f"{header(answer, 'x-cache')}, Age {age or '-'}) without CORS headers",),
                        dict(params, reason=reason, prevent=_cache_key_note(facts)))], []
    return [], []


_ERROR_TTL_NOTE = ("Errors stay cached for the error caching minimum TTL (10 s unless CustomErrorResponses "
                   "sets another ErrorCachingMinTTL); after a fix, invalidate instead of waiting.")


def _cache_key_note(facts: EdgeFacts) -> str:
    """How to stop a response cached without CORS headers from being served to CORS requests again."""
    behavior = facts.behavior
    return ("This comes back whenever a request without Origin fills the cache. Put Origin in the cache key of "
            f"behavior {behavior.path_pattern if behavior else 'Default (*)'}: a custom cache policy whose HeadersConfig "
            "includes Origin (with the origin request policy CORS-S3Origin), or a response headers policy "
            "that adds the CORS headers at the edge.")
