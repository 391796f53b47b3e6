"""Provides found(): one short line saying what a probe found (or why it found nothing), for the
walk screen's probe list.

Pure (no Textual). The data came from HTTP and AWS: the line is plain text that the caller cleans,
redacts and shows without markup.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, List, Optional

from ..model import ProbeOutcome

__all__ = ["found"]


def _header(data: Dict[str, Any], name: str) -> Optional[str]:
    for pair in data.get("headers") or []:
        if len(pair) == 2 and str(pair[0]).lower() == name:
            return str(pair[1])
    return None


def _http(data: Dict[str, Any]) -> str:
    if data.get("status") is None:
        return f"no answer: {data.get('error') or data.get('error_kind') or 'unreachable'}"
    from ..analysis.edge.responder import classify

    return f"{data['status']}: {classify(data).summary}"


def _http_cors(data: Dict[str, Any]) -> str:
    if data.get("status") is None:
        return _http(data)
    allow = _header(data, "access-control-allow-origin")
    cors = f"Access-Control-Allow-Origin: {allow}" if allow else "no Access-Control-Allow-Origin"
    return f"{data['status']}, {cors}"


def _page(data: Dict[str, Any]) -> str:
    assets = data.get("assets") or []
    if not assets:
        return f"{data.get('status')}: the page names no asset hosts"
    parts = [f"{a.get('host')} ({a.get('count')}{', CloudFront' if a.get('cloudfront') else ''})" for a in assets[:3]]
    return "loads assets from " + ", ".join(parts)


def _identity(data: Dict[str, Any]) -> str:
    return f"account {data.get('account')} as {data.get('arn')}"


def _distribution(data: Dict[str, Any]) -> str:
    if not data.get("found"):
        return "no distribution in this account serves the host"
    return f"{data.get('id')} ({data.get('domain')}), matched by {data.get('matched_by') or 'name'}"


def _ecs(data: Dict[str, Any]) -> str:
    matches = data.get("matches") or []
    if not matches:
        return f"no task definition mentions the distribution ({data.get('task_definitions_scanned', 0)} read)"
    m = matches[0]
    more = f" and {len(matches) - 1} more" if len(matches) > 1 else ""
    return f"{m.get('name')}={m.get('value')} in {m.get('task_definition')}{more}"


def _origin_access(data: Dict[str, Any]) -> str:
    oac = data.get("oac") or {}
    if oac:
        cfg = oac.get("OriginAccessControlConfig") or {}
        return f"OAC {cfg.get('Name') or oac.get('Id')} (signing: {cfg.get('SigningBehavior')})"
    oai = data.get("oai") or {}
    return f"OAI {oai.get('Id')}" if oai else "neither OAC nor OAI"


def _policies(data: Dict[str, Any]) -> str:
    names = []
    for key, label in (("cache_policy", "cache"), ("origin_request_policy", "origin request"),
                       ("response_headers_policy", "response headers")):
        policy = data.get(key) or {}
        config = next((v for k, v in policy.items() if k.endswith("Config") and isinstance(v, dict)), {})
        if config.get("Name"):
            names.append(f"{label}: {config['Name']}")
    return "; ".join(names) or "no policies attached"


def _bucket_policy(data: Dict[str, Any]) -> str:
    text = data.get("policy")
    if not text:
        return "no bucket policy"
    try:
        statements = json.loads(text).get("Statement") or []
    except (ValueError, AttributeError):
        return "a policy that is not valid JSON"
    statements = [statements] if isinstance(statements, dict) else statements
    sids = [str(s.get("Sid")) for s in statements if isinstance(s, dict) and s.get("Sid")]
    return f"{len(statements)} statement(s)" + (f": {', '.join(sids[:3])}" if sids else "")


def _cors(data: Dict[str, Any]) -> str:
    rules = data.get("rules")
    if not rules:
        return "no CORS configuration"
    origins = sorted({o for r in rules for o in (r.get("AllowedOrigins") or [])})
    return f"{len(rules)} CORS rule(s) for {', '.join(origins[:3]) or 'no origin'}"


def _object(data: Dict[str, Any]) -> str:
    if data.get("exists"):
        head = data.get("head") or {}
        size = head.get("ContentLength")
        return f"{data.get('key')} exists" + (f" ({size} bytes)" if size is not None else "")
    nearby: List[str] = list(data.get("nearby") or [])
    near = f"; nearest: {', '.join(nearby[:3])}" if nearby else ""
    return f"{data.get('key')} is NOT in the bucket{near}"


def _owner(data: Dict[str, Any]) -> str:
    same = data.get("object_owner") in (None, data.get("bucket_owner"))
    return f"Object Ownership {data.get('ownership') or 'not set'}" + ("" if same else "; the object has another owner")


def _scp(data: Dict[str, Any]) -> str:
    if not data.get("in_organization"):
        return "the account is not in an organization"
    return f"{len(data.get('policies') or [])} service control policies apply"


def _alb(data: Dict[str, Any]) -> str:
    lb = data.get("load_balancer") or {}
    if not lb:
        return "no load balancer found for the origin's domain"
    targets = sum(len(v or []) for v in (data.get("target_health") or {}).values())
    return (f"{lb.get('LoadBalancerName')} ({lb.get('Scheme')}): {len(data.get('listeners') or [])} listener(s), "
            f"{len(data.get('target_groups') or [])} target group(s), {targets} target(s), "
            f"{len(data.get('security_groups') or [])} security group(s)")


def _origin_host(data: Dict[str, Any]) -> str:
    """EC2 and VPC origins: the instance or load balancer found, and how many groups were read."""
    host = data.get("load_balancer") or {}
    if not host:
        return "no instance or load balancer found for the origin"
    return f"{host.get('LoadBalancerName')}: {len(data.get('security_groups') or [])} security group(s) read"


def _summary_field(data: Dict[str, Any]) -> str:
    return str(data.get("summary") or "read")


_SUMMARIES: Dict[str, Callable[[Dict[str, Any]], str]] = {
    "http.viewer": _http,
    "http.viewer_with_origin": _http_cors,
    "http.preflight": _http_cors,
    "page.assets": _page,
    "aws.identity": _identity,
    "aws.distribution": _distribution,
    "aws.ecs_env": _ecs,
    "aws.origin_access": _origin_access,
    "aws.origin_policies": _policies,
    "aws.bucket_policy": _bucket_policy,
    "aws.bucket_cors": _cors,
    "aws.object": _object,
    "aws.object_owner": _owner,
    "aws.scp": _scp,
    "aws.alb_inventory": _alb,
    "aws.origin_host": _origin_host,
    "aws.vpc_origin": _origin_host,
    "aws.cloudfront_logs": _summary_field,
}


def found(outcome: ProbeOutcome) -> str:
    """What the probe found, in one line; for a probe without data, why."""
    if outcome.status == "denied":
        error = outcome.error or "AWS refused the read"
        action = outcome.missing_action
        return f"denied: {error}" + (f" (missing {action})" if action and action not in error else "")
    if outcome.status == "error":
        return f"failed: {outcome.error or 'unknown error'}"
    if outcome.status == "skipped":
        return f"skipped: {outcome.error or 'does not apply'}"
    data = outcome.data
    summary = _SUMMARIES.get(outcome.name)
    if summary is not None and isinstance(data, dict):
        try:
            return summary(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # an unexpected shape: fall back to the generic line rather than fail the screen
    if isinstance(data, dict):
        return "read: " + ", ".join(sorted(data)[:6])
    return "done"
