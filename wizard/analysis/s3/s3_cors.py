"""Provides S3's CORS rule matching: which rule (if any) answers a given Origin and method.

S3 walks the rules in order and uses the first whose AllowedOrigins (one `*` wildcard allowed)
and AllowedMethods match; origins compare case-sensitively (AWS "CORS configuration"). Only `*` is
special: `?` and `[..]` are literal (an origin such as `http://[::1]:*` is an IPv6 address).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from .. import wildcards


def _origin_matches(pattern: str, origin: str) -> bool:
    if pattern == "*":
        return True
    return wildcards.matches(pattern, origin, question_mark=False)


def matching_rule(rules: Sequence[Mapping[str, Any]], origin: str, method: str = "GET",
                  request_headers: Sequence[str] = ()) -> Optional[Mapping[str, Any]]:
    """The first CORS rule that allows `origin` with `method` (and preflight headers), else None."""
    for rule in rules or ():
        if not any(_origin_matches(str(p), origin) for p in rule.get("AllowedOrigins", [])):
            continue
        if method.upper() not in [str(m).upper() for m in rule.get("AllowedMethods", [])]:
            continue
        allowed_headers = [str(h).lower() for h in rule.get("AllowedHeaders", [])]
        if request_headers and not all(
            any(wildcards.matches(a, h.lower(), question_mark=False) for a in allowed_headers) for h in request_headers
        ):
            continue
        return rule
    return None


def describe_rules(rules: Sequence[Mapping[str, Any]]) -> str:
    """A one-line summary of what the rules allow, for evidence."""
    parts = []
    for rule in rules or ():
        origins = ",".join(rule.get("AllowedOrigins", [])) or "-"
        methods = ",".join(rule.get("AllowedMethods", [])) or "-"
        parts.append(f"{origins} [{methods}]")
    return "; ".join(parts) or "nothing"
