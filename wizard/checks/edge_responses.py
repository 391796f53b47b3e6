"""Provides the checks on what CloudFront itself does to an answer between the origin and the viewer:
a custom error response that turns an origin error into 200 HTML, an origin group that does not fail
over, and a response headers policy whose CORS settings do not give the page one usable
Access-Control-Allow-Origin."""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from ..analysis.edge import origin_groups
from ..aws.facts import EdgeFacts
from ..model import Hit, Unknown
from .common import header

# Extensions whose content is never HTML: an HTML body for one of these is a fallback page.
_NOT_HTML = {
    ".js": "JavaScript", ".mjs": "JavaScript", ".css": "CSS", ".json": "JSON", ".map": "a source map",
    ".woff": "a font", ".woff2": "a font", ".ttf": "a font", ".otf": "a font", ".wasm": "WebAssembly",
    ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image", ".svg": "an image",
    ".webp": "an image", ".ico": "an image", ".xml": "XML", ".txt": "text",
}
_DEFAULT_ERROR_TTL = 10
_LONG_ERROR_TTL = 60  # seconds: beyond this a cached error outlives a quick fix noticeably


def _items(container: Any) -> List[Any]:
    return list((container or {}).get("Items") or []) if isinstance(container, Mapping) else []


def _extension(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return ("." + last.rsplit(".", 1)[-1].lower()) if "." in last else ""


def _masking_entries(config: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    """Custom error responses that replace an error with a page and a success code."""
    out = []
    for item in _items(config.get("CustomErrorResponses")):
        code = str(item.get("ResponseCode") or "").strip()
        if item.get("ResponsePagePath") and code.isdigit() and int(code) < 400:
            out.append(item)
    return out


def _ttl(item: Mapping[str, Any]) -> int:
    try:
        return int(item.get("ErrorCachingMinTTL", _DEFAULT_ERROR_TTL))
    except (TypeError, ValueError):
        return _DEFAULT_ERROR_TTL


def spa_route_served(facts: EdgeFacts) -> bool:
    """True when the viewer got a success page for a path that is not an asset file, through a custom
    error response (the single-page-app fallback doing its job): the key's absence is by design."""
    dist = facts.distribution
    answer = facts.data("http.viewer")
    if not dist or not answer or not answer.get("status") or int(answer["status"]) >= 400:
        return False
    if _NOT_HTML.get(_extension(facts.symptom.path)) or not _masking_entries(dist.config):
        return False
    return "html" in (header(answer, "content-type") or "").lower()


def error_responses(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.custom-error-response-masks: a .js/.css/font... comes back 2xx with an HTML body because a
    custom error response maps the origin's 403/404 to a page such as /index.html."""
    dist = facts.distribution
    answer = facts.data("http.viewer")
    if not dist or not answer or not answer.get("status"):
        return [], []
    entries = _masking_entries(dist.config)
    path = facts.symptom.path
    kind = _NOT_HTML.get(_extension(path))
    content_type = (header(answer, "content-type") or "").lower()
    status = int(answer["status"])
    if not entries or kind is None or status >= 400 or "html" not in content_type:
        # No mapping, or a path where HTML is the right answer (an SPA route): the fallback does its job.
        return [], []
    x_cache = header(answer, "x-cache") or ""
    served_error = "error from cloudfront" in x_cache.lower()
    missing = facts.object_missing
    if not served_error and not missing:
        return [], []
    mappings = "; ".join(f"{e.get('ErrorCode')} -> {e.get('ResponseCode')} {e.get('ResponsePagePath')} "
                         f"(ErrorCachingMinTTL {_ttl(e)} s)" for e in entries)
    evidence = [f"GET {path} -> {status} Content-Type: {header(answer, 'content-type')}"
                + (f", X-Cache: {x_cache}" if x_cache else "") + f": HTML where the browser expects {kind}",
                f"CustomErrorResponses of {dist.id}: {mappings}"]
    if missing:
        evidence.append(f"the origin's real answer: the key {facts.key} is not in bucket {facts.bucket}, so S3 "
                        "answers 403 (404 only when the reader may list the bucket); CloudFront replaced that "
                        "error with the page")
    elif served_error:
        evidence.append("X-Cache says CloudFront answered with an error response although the status is "
                        f"{status}: the origin failed and the custom error page was served instead")
    longest = max(_ttl(e) for e in entries)
    if longest > _LONG_ERROR_TTL:
        evidence.append(f"ErrorCachingMinTTL {longest} s: after the file is deployed, CloudFront keeps serving "
                        "the cached page for up to that long (see cf.stale-cache): invalidate the path")
    first = entries[0]
    params = {"distribution_id": dist.id, "path": path, "kind": kind, "status": str(status),
              "error_codes": ", ".join(str(e.get("ErrorCode")) for e in entries),
              "page_path": str(first.get("ResponsePagePath")), "response_code": str(first.get("ResponseCode")),
              "error_ttl": str(longest), "content_type": header(answer, "content-type") or "-",
              "bucket": facts.bucket or "<bucket>", "key": facts.key or path.lstrip("/")}
    return [Hit("cf.custom-error-response-masks", tuple(evidence), params)], []


def origin_group(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.origin-group-failover-criteria: the behavior targets an origin group, the viewer still gets
    an error, and either the status is not among the failover codes (no failover happened) or it is
    (the secondary answered the same: both members share the fault)."""
    dist, behavior = facts.distribution, facts.behavior
    answer = facts.data("http.viewer")
    if not dist or not behavior or not answer or not answer.get("status"):
        return [], []
    group = origin_groups.group_for(dist.config, behavior.target_origin_id)
    status = int(answer["status"])
    if group is None or status < 400 or not group.secondary:
        return [], []
    codes = ", ".join(str(c) for c in group.failover_codes) or "none"
    params = {"distribution_id": dist.id, "group_id": group.id, "primary": group.primary or "-",
              "secondary": group.secondary, "status": str(status), "codes": codes,
              "path_pattern": behavior.path_pattern}
    evidence = [f"behavior {behavior.path_pattern} targets origin group {group.id}: primary {group.primary}, "
                f"secondary {group.secondary}, failover status codes: {codes}",
                f"GET {facts.symptom.path} -> {status} (X-Cache: {header(answer, 'x-cache') or '-'})"]
    if group.fails_over_on(status):
        evidence.append(f"{status} is a failover code, so CloudFront asked {group.secondary} too and it answered "
                        f"{status} as well: both members share the fault")
        reason = (f"The primary's {status} is a failover code, so CloudFront did ask the secondary "
                  f"({group.secondary}), and it failed the same way: both members share the fault, and "
                  "failover cannot help until it is fixed on both.")
    else:
        evidence.append(f"{status} is not among the failover codes: CloudFront returned the primary's answer "
                        f"and never asked {group.secondary}")
        reason = (f"The primary ({group.primary}) answered {status}, which is not among the group's failover "
                  f"status codes ({codes}), so CloudFront returned it to the viewer and never asked the "
                  f"secondary ({group.secondary}).")
    return [Hit("cf.origin-group-failover-criteria", tuple(evidence), dict(params, reason=reason))], []


def _cors_config(facts: EdgeFacts) -> Optional[Mapping[str, Any]]:
    policies = facts.origin_policies
    return (((policies.response_headers or {}).get("ResponseHeadersPolicyConfig") or {}).get("CorsConfig")
            if policies else None) or None


def response_headers_cors(facts: EdgeFacts) -> Tuple[List[Hit], List[Unknown]]:
    """cf.cors.response-headers-conflict: the behavior's response headers policy has a CORS
    configuration, yet the page does not get exactly one Access-Control-Allow-Origin that allows it:
    the policy does not list the page's origin (or method), or the header reaches the browser twice."""
    sym, behavior = facts.symptom, facts.behavior
    if not sym.cross_origin or not behavior or not behavior.response_headers_policy_id:
        return [], []
    answer = facts.data("http.viewer_with_origin")
    if not answer or not answer.get("status") or int(answer["status"]) >= 400:
        return [], []  # an error has its own findings; CORS headers on it do not matter yet
    if facts.origin_policies is None:
        return [], [Unknown("cloudfront", "the response headers policy's CORS settings",
                            "the behavior's policies could not be read")]
    cors = _cors_config(facts)
    if not cors:
        return [], []
    origins = tuple(str(o) for o in _items(cors.get("AccessControlAllowOrigins")))
    methods = tuple(str(m) for m in _items(cors.get("AccessControlAllowMethods")))
    values = [v for k, v in answer.get("headers") or [] if str(k).lower() == "access-control-allow-origin"]
    name = ((facts.origin_policies.response_headers or {}).get("ResponseHeadersPolicyConfig") or {}).get("Name") \
        or behavior.response_headers_policy_id
    params = {"distribution_id": facts.distribution.id if facts.distribution else "<distribution_id>",
              "policy": str(name), "policy_id": behavior.response_headers_policy_id,
              "page_origin": sym.page_origin, "allowed": ", ".join(origins) or "none",
              "override": "true" if cors.get("OriginOverride") else "false"}
    evidence = [f"response headers policy {name}: CorsConfig allows origins [{', '.join(origins) or 'none'}], "
                f"methods [{', '.join(methods) or 'none'}], credentials "
                f"{'true' if cors.get('AccessControlAllowCredentials') else 'false'}, "
                f"OriginOverride {params['override']}"]
    shown = ", ".join(values) if values else "no Access-Control-Allow-Origin"
    evidence.append(f"GET with Origin: {sym.page_origin} -> {answer['status']}, {shown}")
    if len(values) > 1 or any("," in v for v in values):
        reason = (f"The response carries Access-Control-Allow-Origin {len(values)} times ({shown}); browsers accept "
                  "exactly one value and reject the response. Let one layer set it: the policy with "
                  "OriginOverride true, or the origin alone.")
        return [Hit("cf.cors.response-headers-conflict", tuple(evidence), dict(params, reason=reason))], []
    covers = "*" in origins or sym.page_origin in origins
    if values and (values[0] == "*" or values[0] == sym.page_origin):
        return [], []  # one usable value: the browser accepts it
    if not covers:
        reason = (f"The policy's CORS settings allow [{params['allowed']}] but not the page's origin "
                  f"{sym.page_origin}, so CloudFront adds no Access-Control-Allow-Origin for it.")
    elif methods and "GET" not in methods and "ALL" not in methods:
        reason = f"The policy's CORS settings allow the methods [{', '.join(methods)}], not GET."
    else:
        reason = (f"The answer's Access-Control-Allow-Origin ({shown}) does not allow {sym.page_origin}: with "
                  "OriginOverride false CloudFront keeps the origin's own CORS headers instead of the policy's.")
    return [Hit("cf.cors.response-headers-conflict", tuple(evidence), dict(params, reason=reason))], []
